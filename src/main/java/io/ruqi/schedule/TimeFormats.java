package io.ruqi.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date-time text as RuQi reads and writes it: {@code YYYY-M-D[( |T)H:M:S[.f{1,6}]]} in, {@code yyyy-MM-dd HH:mm:ss} out.
 *
 * <p>Wall times are read in a zone: one that falls in a DST gap is shifted forward by the gap, one in a repeated hour
 * takes the earlier (summer-time) offset, which is what {@link ZonedDateTime#of} does.
 */
public final class TimeFormats {

  /** RuQi's grammar, but anchored at both ends: RuQi matched only a prefix and ignored trailing garbage. */
  static final Pattern DATE_TIME = Pattern.compile(
      "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,6}))?)?");

  private static final DateTimeFormatter JSON_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private TimeFormats() {
  }

  /**
   * Reads {@code text} as a wall time in {@code zone}; does not accept {@code now} (only a date rule has an anchor).
   *
   * @throws RuleException with {@code field} when the text is not in the grammar or names an impossible date or time
   */
  public static Instant parseDateTime(String text, ZoneId zone, String field) {
    if (text == null || text.isBlank()) {
      throw new RuleException(field, field + " is empty; expected YYYY-MM-DD[ HH:MM:SS[.ffffff]]");
    }
    String trimmed = text.trim();
    Matcher m = DATE_TIME.matcher(trimmed);
    if (!m.matches()) {
      throw new RuleException(field,
          field + " '" + trimmed + "' is not a date; expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM:SS.ffffff");
    }
    LocalDateTime wall = wallTime(m, trimmed, field);
    return ZonedDateTime.of(wall, zone).toInstant();
  }

  private static LocalDateTime wallTime(Matcher m, String text, String field) {
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    String problem = null;
    if (month < 1 || month > 12) {
      problem = "month " + month + " is not 1-12";
    } else if (day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      problem = "day " + day + " is not in " + Month.of(month).getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + year;
    }
    int hour = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
    int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
    int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
    if (problem == null && hour > 23) {
      problem = "hour " + hour + " is not 0-23";
    } else if (problem == null && minute > 59) {
      problem = "minute " + minute + " is not 0-59";
    } else if (problem == null && second > 59) {
      problem = "second " + second + " is not 0-59";
    }
    if (problem != null) {
      throw new RuleException(field, field + " '" + text + "': " + problem);
    }
    int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
    return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
  }

  /** RuQi's JSON datetime: {@code yyyy-MM-dd HH:mm:ss} in {@code zone}, sub-seconds dropped. */
  public static String format(Instant t, ZoneId zone) {
    return JSON_FORMAT.format(t.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
  }

  /** Like {@link #format} but keeps milliseconds when there are any, so a normalised date rule loses no precision. */
  static String formatWithMillis(Instant t, ZoneId zone) {
    String seconds = format(t, zone);
    int millis = t.atZone(zone).getNano() / 1_000_000;
    return millis == 0 ? seconds : seconds + String.format(Locale.ROOT, ".%03d", millis);
  }

  /**
   * An IANA name ({@code Asia/Shanghai}), {@code UTC}, {@code Z} or an offset ({@code +08:00}). Abbreviations that
   * are not tz database names (such as {@code CST} or {@code PST}) are refused because they are ambiguous.
   */
  public static ZoneId zone(String name, String field) {
    if (name == null || name.isBlank()) {
      throw new RuleException(field, "unknown time zone: (empty)");
    }
    try {
      return ZoneId.of(name.trim());
    } catch (DateTimeException e) {
      throw new RuleException(field, "unknown time zone: " + name.trim());
    }
  }
}
