package io.ruqi.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fixed-rate grid: fires at {@code origin + k * interval} for k = 0, 1, 2, ... where the origin is the start date
 * when one is given, otherwise the anchor plus one interval (RuQi's "first run = creation + interval").
 *
 * <p>Pure instant arithmetic: DST changes do not move the grid, so {@code 1d} is always 86 400 s (a daily job at 09:00
 * runs at 10:00 local time after the clocks go back). Use cron for wall-clock schedules. The grid keeps the anchor's
 * milliseconds; it does not drift with execution time.
 */
final class IntervalTrigger implements Trigger {

  /** One or more {@code <number>[ ]<unit>} parts, e.g. {@code 90s}, {@code 10 m}, {@code 1h30m}, {@code 1d12h}. */
  static final Pattern SHAPE = Pattern.compile("(?:\\d+ ?[smhdSMHD])+");
  private static final Pattern PART = Pattern.compile("(\\d+) ?([smhdSMHD])");
  private static final String UNITS = "smhd";
  private static final long[] UNIT_SECONDS = {1, 60, 3_600, 86_400};
  static final long MAX_SECONDS = 3_650L * 86_400;
  private static final String EXAMPLES = "e.g. 30s, 10m, 1h, 2d, 1h30m";

  private final Duration interval;
  private final Instant origin;
  private final Instant endDate;
  private final ZoneId zone;

  private IntervalTrigger(Duration interval, Instant origin, Instant endDate, ZoneId zone) {
    this.interval = interval;
    this.origin = origin;
    this.endDate = endDate;
    this.zone = zone;
  }

  static IntervalTrigger parse(String rule, ZoneId zone, Instant anchor, Instant startDate, Instant endDate) {
    Duration interval = Duration.ofSeconds(parseSeconds(rule));
    Instant origin = startDate != null ? startDate : anchor.plus(interval);
    return new IntervalTrigger(interval, origin, endDate, zone);
  }

  /** Total whole seconds of an interval rule. */
  static long parseSeconds(String rule) {
    String text = rule.trim();
    if (!SHAPE.matcher(text).matches()) {
      throw new RuleException("rule", describeBadShape(text));
    }
    long total = 0;
    int previousUnit = UNITS.length();
    Matcher part = PART.matcher(text);
    while (part.find()) {
      int unit = UNITS.indexOf(part.group(2).toLowerCase(Locale.ROOT));
      if (unit >= previousUnit) {
        throw new RuleException("rule",
            "interval '" + text + "': give each unit once, largest first (d, h, m, s), " + EXAMPLES);
      }
      previousUnit = unit;
      total += amount(part.group(1), text) * UNIT_SECONDS[unit];
      if (total > MAX_SECONDS) {
        throw tooLong(text);
      }
    }
    if (total < 1) {
      throw new RuleException("rule", "interval must be at least 1 second (got '" + text + "')");
    }
    return total;
  }

  private static long amount(String digits, String text) {
    String significant = digits.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 10) {
      throw tooLong(text);
    }
    return Long.parseLong(significant);
  }

  private static RuleException tooLong(String text) {
    return new RuleException("rule", "interval '" + text + "' is longer than the maximum of 3650 days");
  }

  private static String describeBadShape(String text) {
    if (text.matches("\\d+")) {
      return "interval '" + text + "' has no unit; add s, m, h or d, " + EXAMPLES;
    }
    if (text.matches("\\d+ ?[A-Za-z]+")) {
      return "interval '" + text + "' has an unknown unit; use s, m, h or d, " + EXAMPLES;
    }
    return "interval '" + text + "' is not a whole number followed by a unit (s, m, h, d), " + EXAMPLES;
  }

  @Override
  public String type() {
    return "interval";
  }

  @Override
  public String rule() {
    return interval.getSeconds() + "s";
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  Duration interval() {
    return interval;
  }

  @Override
  public Optional<Instant> next(Instant after) {
    Instant fire = origin;
    if (!origin.isAfter(after)) {
      long steps = Duration.between(origin, after).dividedBy(interval) + 1;
      fire = origin.plus(interval.multipliedBy(steps));
    }
    return endDate != null && fire.isAfter(endDate) ? Optional.empty() : Optional.of(fire);
  }

  @Override
  public String toString() {
    return "interval " + rule() + " from " + origin;
  }
}
