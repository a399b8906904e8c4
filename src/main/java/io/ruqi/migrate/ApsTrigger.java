package io.ruqi.migrate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/** An APScheduler 3 trigger as pickled, its times read in the trigger's zone (or the RuQi host's, if naive). */
sealed interface ApsTrigger {

  /** {@code CronTrigger}: its eight fields by name (year, month, day, week, day_of_week, hour, minute, second). */
  record Cron(List<CronField> fields, ZoneId zone, Instant start, Instant end, Duration jitter) implements ApsTrigger {
    CronField field(String name) {
      return fields.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }
  }

  /** {@code IntervalTrigger}: a fixed interval from {@code start} (the grid's origin). */
  record Interval(Duration interval, ZoneId zone, Instant start, Instant end, Duration jitter) implements ApsTrigger {
  }

  /** {@code DateTrigger}: one run at {@code runDate}, written as {@code wall} in {@code zone}. */
  record Date(Instant runDate, LocalDateTime wall, ZoneId zone) implements ApsTrigger {
  }

  /** Any other trigger class (combining triggers, calendar intervals, a service's own). */
  record Other(String className) implements ApsTrigger {
  }
}
