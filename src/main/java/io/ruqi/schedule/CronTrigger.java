package io.ruqi.schedule;

import com.cronutils.model.time.ExecutionTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A six-field cron rule (second minute hour day month day_of_week) evaluated on the wall clock of its zone.
 *
 * <p><b>Daylight saving time.</b> When the clocks go forward, a wall time that does not exist that day fires once,
 * shifted forward by the gap (02:30 becomes 03:30 in New York on the spring-forward day); if the shifted time is also a
 * regular match it fires only once. When the clocks go back, a rule whose hour field is {@code *} follows real time and
 * fires in both passes of the repeated hour; any other rule fires each wall time once, on the first pass (summer
 * time). Use the zone {@code UTC} to avoid both effects.
 *
 * <p>How: cron-utils only ever sees UTC, where wall time has no gaps or repeats, and so answers "which wall times
 * match". This class walks the zone's offset periods and maps those wall times to instants by the rule above; this also
 * keeps us clear of cron-utils' own DST handling, which skips gap times and, in the repeated hour, fires twice or once
 * depending on how often the rule fires rather than on its hour field.
 */
final class CronTrigger implements Trigger {

  /** Offset periods visited by one {@link #next} call; about two per year, and cron-utils looks ahead 100 years. */
  private static final int MAX_PERIODS = 1_000;
  /** Within this of a period's lower bound, a later period may still fire at an earlier wall time (see below). */
  private static final Duration NEAR = Duration.ofHours(72);

  private final CronRule rule;
  private final ExecutionTime wallClock;
  private final boolean everyHour;
  private final ZoneId zone;
  private final Instant startDate;
  private final Instant endDate;

  /** False only in tests, to compare with the plain walk over every period. */
  private final boolean skipQuietPeriods;
  /** cron-utils searches made, the cost of this trigger; for tests. */
  private final LongAdder searches = new LongAdder();

  private CronTrigger(CronRule rule, ZoneId zone, Instant startDate, Instant endDate, boolean skipQuietPeriods) {
    this.skipQuietPeriods = skipQuietPeriods;
    this.rule = rule;
    this.wallClock = ExecutionTime.forCron(rule.cron);
    this.everyHour = rule.everyHour();
    this.zone = zone;
    this.startDate = startDate;
    this.endDate = endDate;
  }

  static CronTrigger parse(String text, ZoneId zone, Instant anchor, Instant startDate, Instant endDate) {
    return parse(text, zone, anchor, startDate, endDate, true);
  }

  /** As {@link #parse}, walking every offset period one by one: the reference the skipping walk is tested against. */
  static CronTrigger parseWalkingEveryPeriod(String text, ZoneId zone, Instant anchor) {
    return parse(text, zone, anchor, null, null, false);
  }

  private static CronTrigger parse(String text, ZoneId zone, Instant anchor, Instant startDate, Instant endDate,
                                   boolean skipQuietPeriods) {
    CronTrigger trigger = new CronTrigger(CronRule.parse(text), zone, startDate, endDate, skipQuietPeriods);
    if (trigger.nextWallTime(LocalDateTime.ofInstant(anchor, zone)).isEmpty()) {
      throw new RuleException("rule", "cron '" + trigger.rule() + "' never fires");
    }
    return trigger;
  }

  @Override
  public String type() {
    return "cron";
  }

  @Override
  public String rule() {
    return rule.text;
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public Optional<Instant> next(Instant after) {
    Instant lower = after;
    if (startDate != null && startDate.minusNanos(1).isAfter(lower)) {
      lower = startDate.minusNanos(1);
    }
    Optional<Instant> fire = firstFireAfter(lower);
    if (fire.isPresent() && !fire.get().isAfter(after)) {
      throw new IllegalStateException("cron " + rule() + " in " + zone + ": " + fire.get() + " is not after " + after);
    }
    return fire.filter(t -> endDate == null || !t.isAfter(endDate));
  }

  /**
   * Walks the periods of constant UTC offset from the one holding {@code after}. Within a period wall time maps to
   * instants one-to-one; what differs is at its start: after a gap, the skipped wall times fire shifted into this
   * period; after an overlap, the repeated wall times belong to this period only for every-hour rules.
   */
  private Optional<Instant> firstFireAfter(Instant after) {
    ZoneRules rules = zone.getRules();
    Instant lower = after;
    ZoneOffsetTransition periodStart = rules.previousTransition(after.plusNanos(1));
    for (int period = 0; period < MAX_PERIODS; period++) {
      ZoneOffset offset = periodStart == null ? rules.getOffset(lower) : periodStart.getOffsetAfter();
      ZoneOffsetTransition periodEnd = rules.nextTransition(periodStart == null ? lower : periodStart.getInstant());
      Instant end = periodEnd == null ? Instant.MAX : periodEnd.getInstant();

      Optional<Instant> regular = regularFire(lower, offset, periodStart);
      boolean gapStillAhead = periodStart != null && periodStart.isGap()
          && lower.isBefore(periodStart.getInstant().plus(periodStart.getDuration()));
      Optional<Instant> skipped = gapStillAhead ? skippedFire(lower, periodStart) : Optional.empty();
      Optional<Instant> fire = earlier(regular.filter(t -> t.isBefore(end)), skipped);
      boolean nothingLater = regular.isEmpty() || periodEnd == null || (endDate != null && end.isAfter(endDate));
      if (fire.isPresent() || nothingLater) {
        return fire;
      }
      Instant skipTo = earliestLaterFire(regular.get(), offset);
      if (skipQuietPeriods && end.isAfter(lower.plus(NEAR)) && skipTo.isAfter(end)) {
        lower = skipTo.minusNanos(1);
        periodStart = rules.previousTransition(skipTo);
      } else {
        lower = end.minusNanos(1);
        periodStart = periodEnd;
      }
    }
    throw new IllegalStateException("cron " + rule() + " in " + zone + ": no fire found within " + MAX_PERIODS
        + " offset changes after " + after);
  }

  /**
   * The earliest instant a later period can fire at, when this period has none and its next matching wall time W
   * lies beyond it; the periods before it are skipped. A rare rule ({@code 0 0 0 29 2 6L} fires every few decades)
   * would otherwise cost a cron-utils search per offset period, two a year, each searching the years up to W again:
   * seconds of an event loop for one {@code job_next_times}.
   *
   * <p>Why skipping is safe: no wall time between this period's lower bound and W matches, except in the repeated
   * hour this period may have excluded, and a fire's instant is its wall time minus its offset, at most
   * {@link ZoneOffset#MAX} (18 h); so a later fire at W or after is not before W read at that offset. A fire at a
   * wall time before W would need a later period whose offset is lower than this one's by more than the time
   * between them; offsets differ by at most 36 h, and an overlap lasts at most as long, so only a period that starts
   * within {@link #NEAR} of the lower bound can have one: the walk skips only when the next period starts later.
   */
  private static Instant earliestLaterFire(Instant regular, ZoneOffset offset) {
    return LocalDateTime.ofInstant(regular, offset).toInstant(ZoneOffset.MAX);
  }

  private Optional<Instant> regularFire(Instant lower, ZoneOffset offset, ZoneOffsetTransition periodStart) {
    LocalDateTime from = LocalDateTime.ofInstant(lower, offset);
    if (periodStart != null && periodStart.isOverlap() && !everyHour) {
      LocalDateTime firstUnrepeated = periodStart.getDateTimeBefore();
      if (from.isBefore(firstUnrepeated)) {
        from = firstUnrepeated.minusNanos(1);
      }
    }
    return nextWallTime(from).map(wall -> wall.toInstant(offset));
  }

  /** A wall time inside the gap, read with the offset before the gap: the same shift java.time applies. */
  private Optional<Instant> skippedFire(Instant lower, ZoneOffsetTransition gap) {
    LocalDateTime from = LocalDateTime.ofInstant(lower, gap.getOffsetBefore());
    return nextWallTime(from)
        .filter(wall -> wall.isBefore(gap.getDateTimeAfter()))
        .map(wall -> wall.toInstant(gap.getOffsetBefore()));
  }

  /** The first matching wall time strictly after {@code from}; fire times are whole seconds. */
  private Optional<LocalDateTime> nextWallTime(LocalDateTime from) {
    searches.increment();
    ZonedDateTime start = from.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
    return wallClock.nextExecution(start).map(ZonedDateTime::toLocalDateTime);
  }

  /** How many cron-utils searches this trigger has made (each can scan years for a rare rule). */
  long searches() {
    return searches.sum();
  }

  private static Optional<Instant> earlier(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().isBefore(b.get()) ? a : b;
  }

  @Override
  public String toString() {
    return "cron " + rule() + " " + zone;
  }
}
