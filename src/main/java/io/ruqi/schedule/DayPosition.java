package io.ruqi.schedule;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * APScheduler's day-field expressions that cron-utils spells otherwise: {@code last} (the month's last day) is
 * Quartz's {@code L}; {@code 2nd fri} and {@code last fri} (a weekday's position in the month) are Quartz's
 * day_of_week {@code 4#2} and {@code 4L} (here 0 = Monday), with the day field {@code ?}. APScheduler also matches the
 * day_of_week field then; Quartz has one expression for both, so a position goes with a day_of_week of {@code *} or
 * {@code ?} only, and alone in its field.
 */
final class DayPosition {
  private static final Pattern POSITIONED = Pattern.compile("(1st|2nd|3rd|4th|5th|last) (mon|tue|wed|thu|fri|sat|sun)");
  private static final List<String> ORDINALS = List.of("1st", "2nd", "3rd", "4th", "5th");
  private static final List<String> WEEKDAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  /** Day and day_of_week as cron-utils reads them. */
  record Quartz(String day, String dayOfWeek) {
  }

  private DayPosition() {
  }

  /** @param day and {@code dayOfWeek} as {@link CronText#render} gives them */
  static Quartz translate(String day, String dayOfWeek) {
    if (!day.contains("last") && !day.contains(" ")) {
      return new Quartz(day, dayOfWeek);
    }
    String[] items = day.split(",", -1);
    Matcher positioned = POSITIONED.matcher(day);
    if (items.length == 1 && positioned.matches()) {
      if (!dayOfWeek.equals("*") && !dayOfWeek.equals("?")) {
        throw new RuleException("rule.day", "day: '" + day + "' cannot go with a day_of_week of '" + dayOfWeek
            + "' (write the weekday in the day field only, with day_of_week *)");
      }
      int weekday = WEEKDAYS.indexOf(positioned.group(2));
      String position = positioned.group(1);
      return new Quartz("?", position.equals("last") ? weekday + "L" : weekday + "#" + (ORDINALS.indexOf(position) + 1));
    }
    StringBuilder out = new StringBuilder();
    for (String item : items) {
      if (POSITIONED.matcher(item).matches()) {
        throw new RuleException("rule.day", "day: '" + day + "': a weekday's position (" + item + ") must be the"
            + " whole day field, not part of a list");
      }
      out.append(out.length() == 0 ? "" : ",").append(item.equals("last") ? "L" : item.toUpperCase(Locale.ROOT));
    }
    return new Quartz(out.toString(), dayOfWeek);
  }
}
