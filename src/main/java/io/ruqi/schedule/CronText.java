package io.ruqi.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cron rule's text as RuQi listed it: the six fields split on any blanks, APScheduler's {@code 2nd fri} kept as
 * one field, and each field rendered the way APScheduler renders a parsed field ({@code 05} is {@code 5},
 * {@code 5-5} is {@code 5}, names lower case). The rendering is what is stored and parsed again, so it must mean
 * what was written: {@code 5-5/2} is {@code 5} (APScheduler's own {@code 5/2} would mean 5 to the end, every 2).
 */
final class CronText {
  /** APScheduler's weekday positions in the day field; written with a blank, they are one field. */
  static final Pattern POSITION = Pattern.compile("(?i)1st|2nd|3rd|4th|5th|last");
  static final Pattern WEEKDAY_NAME = Pattern.compile("(?i)mon|tue|wed|thu|fri|sat|sun");
  private static final Pattern NAME = Pattern.compile(
      "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|MON|TUE|WED|THU|FRI|SAT|SUN");
  private static final Pattern POSITION_UPPER = Pattern.compile("1ST|2ND|3RD|4TH|5TH|LAST");
  private static final Pattern LEADING_ZEROS = Pattern.compile("(?<![0-9])0+(?=[0-9])");
  private static final Pattern SAME_BOUNDS = Pattern.compile("([0-9]+|[a-z]+)-\\1(/[0-9]+)?");

  private CronText() {
  }

  /** The fields as written: split on blanks, with {@code 1st}..{@code 5th}/{@code last} and a weekday name joined. */
  static List<String> fields(String rule) {
    String[] tokens = rule.trim().split("\\s+");
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < tokens.length; i++) {
      if (i + 1 < tokens.length && POSITION.matcher(tokens[i]).matches()
          && WEEKDAY_NAME.matcher(tokens[i + 1]).matches()) {
        fields.add(tokens[i] + " " + tokens[i + 1]);
        i++;
      } else {
        fields.add(tokens[i]);
      }
    }
    return fields;
  }

  /** A field as RuQi listed it; L and W upper-case, as cron-utils and Quartz write them. */
  static String render(String field) {
    String f = field.toUpperCase(Locale.ROOT);
    f = POSITION_UPPER.matcher(f).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    f = NAME.matcher(f).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    f = LEADING_ZEROS.matcher(f).replaceAll("");
    List<String> items = new ArrayList<>();
    for (String item : f.split(",", -1)) {
      Matcher same = SAME_BOUNDS.matcher(item);
      items.add(same.matches() ? same.group(1) : item);
    }
    return String.join(",", items);
  }
}
