package io.ruqi.schedule;

import io.ruqi.store.DbClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * How far this node's clock is off the database's. Fires are due by this node's clock and leases end by the
 * database's, so a skew over a second is worth a warning (and a metric, and a line in the status).
 */
final class ClockSkew {
  private static final Logger LOG = LoggerFactory.getLogger(ClockSkew.class);
  private static final Duration WARNING = Duration.ofSeconds(1);

  private final DbClock dbClock;
  private final Clock clock;
  private Duration skew = Duration.ZERO;

  ClockSkew(DbClock dbClock, Clock clock) {
    this.dbClock = dbClock;
    this.clock = clock;
  }

  void check() {
    dbClock.skew(clock).onSuccess(measured -> {
      skew = measured;
      if (measured.abs().compareTo(WARNING) > 0) {
        LOG.warn("this node's clock is {} ms off the database's: fires and leases are judged by clocks;"
            + " synchronise it (NTP)", measured.toMillis());
      }
    });
  }

  /** As last measured (zero before the first). */
  Duration skew() {
    return skew;
  }
}
