package io.ruqi.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A one-shot run at a fixed instant. {@code now} means the anchor (when the job was added or modified). Whether a past
 * instant is acceptable is the caller's decision; this class just reports that it never fires again.
 */
final class DateTrigger implements Trigger {

  private final Instant at;
  private final ZoneId zone;
  private final Instant startDate;
  private final Instant endDate;

  private DateTrigger(Instant at, ZoneId zone, Instant startDate, Instant endDate) {
    this.at = at;
    this.zone = zone;
    this.startDate = startDate;
    this.endDate = endDate;
  }

  static DateTrigger parse(String rule, ZoneId zone, Instant anchor, Instant startDate, Instant endDate) {
    Instant at = "now".equalsIgnoreCase(rule.trim()) ? anchor : TimeFormats.parseDateTime(rule, zone, "rule");
    // the listed rule shows milliseconds at most, so keep no more than that to make rule() and next() agree
    return new DateTrigger(at.truncatedTo(ChronoUnit.MILLIS), zone, startDate, endDate);
  }

  @Override
  public String type() {
    return "date";
  }

  @Override
  public String rule() {
    return TimeFormats.formatWithMillis(at, zone);
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  Instant at() {
    return at;
  }

  @Override
  public Optional<Instant> next(Instant after) {
    boolean inBounds = (startDate == null || !at.isBefore(startDate)) && (endDate == null || !at.isAfter(endDate));
    return at.isAfter(after) && inBounds ? Optional.of(at) : Optional.empty();
  }

  @Override
  public String toString() {
    return "date " + rule() + " " + zone;
  }
}
