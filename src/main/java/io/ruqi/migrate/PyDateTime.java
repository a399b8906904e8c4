package io.ruqi.migrate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A Python {@code datetime} read from a pickle: its wall time, its time zone (null when naive, as RuQi's fork of
 * APScheduler stored them) and its {@code fold} (which of a repeated hour's two passes, Python 3.6+).
 */
record PyDateTime(LocalDateTime wall, PyZone zone, boolean fold) {

  /** The instant it names; a naive one is read in {@code naiveZone} (the RuQi host's zone). */
  Instant instant(ZoneId naiveZone) {
    if (zone != null && zone.offset() != null) {
      return wall.toInstant(zone.offset());
    }
    ZonedDateTime zoned = ZonedDateTime.ofLocal(wall, zone == null ? naiveZone : zone.zone(), null);
    return (fold ? zoned.withLaterOffsetAtOverlap() : zoned.withEarlierOffsetAtOverlap()).toInstant();
  }

  /** The zone of the wall time: its own, or {@code naiveZone} for a naive one. */
  ZoneId zoneOr(ZoneId naiveZone) {
    return zone == null ? naiveZone : zone.zone();
  }
}
