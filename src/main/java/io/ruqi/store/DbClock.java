package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * How far this node's clock is from the database's. Nodes compare times they wrote (leases, fire times) through
 * the database, so a node whose clock is off misjudges them; the embedded store shares the node's clock.
 */
public final class DbClock {
  private final Pool pool;
  private final Dialect dialect;

  DbClock(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  /** This node's clock minus the database's (half the round trip allowed for), or zero for the embedded store. */
  public Future<Duration> skew(Clock clock) {
    if (dialect != Dialect.MYSQL) {
      return Future.succeededFuture(Duration.ZERO);
    }
    long before = clock.millis();
    return pool.query("SELECT UTC_TIMESTAMP(3)").execute().map(rows -> {
      long after = clock.millis();
      LocalDateTime db = rows.iterator().next().getLocalDateTime(0);
      long dbMillis = db.toInstant(ZoneOffset.UTC).toEpochMilli();
      return Duration.ofMillis((before + after) / 2 - dbMillis);
    });
  }
}
