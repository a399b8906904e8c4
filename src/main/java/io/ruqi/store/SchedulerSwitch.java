package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;

/**
 * The whole scheduler's pause switch, in the database so that it holds on every node of a pair (a node's memory
 * would pause that node only, and a restart would forget it). Every claim reads it in its own transaction
 * ({@link ClaimStore}), so no fire is claimed on any node once a pause is committed; the nodes also read it
 * as they read ahead, to stop and start their timers.
 */
public final class SchedulerSwitch {
  static final String READ = "SELECT paused <> 0 FROM ruqi_scheduler WHERE name = 'scheduler'";

  private final Pool pool;
  private final Dialect dialect;
  private final DurableCommits durable;

  SchedulerSwitch(Pool pool, Dialect dialect, DurableCommits durable) {
    this.pool = pool;
    this.dialect = dialect;
    this.durable = durable;
  }

  /** Whether the scheduler is paused (a missing row, as before the table had one, is running). */
  public Future<Boolean> paused() {
    return pool.query(READ).execute().map(SchedulerSwitch::pausedOf);
  }

  /** Inside a claim's transaction, with the lock that makes a pause wait for claims in flight and later ones see it. */
  static Future<Boolean> pausedFor(SqlConnection conn, Dialect dialect) {
    return conn.query(READ + dialect.sharedLock()).execute().map(SchedulerSwitch::pausedOf);
  }

  /** Pauses or resumes; answers whether it was paused before. Durable before it answers. */
  public Future<Boolean> set(boolean paused, Instant now) {
    return Transactions.run(pool, dialect, conn -> conn.query(READ + dialect.forUpdate()).execute()
        .map(SchedulerSwitch::pausedOf)
        .compose(before -> conn.preparedQuery("UPDATE ruqi_scheduler SET paused = ?, u_time = ? WHERE name = 'scheduler'")
            .execute(Tuple.of(paused, SqlJobStore.utc(now))).map(before)))
        .compose(before -> durable.afterCommit().map(before));
  }

  private static boolean pausedOf(Iterable<io.vertx.sqlclient.Row> rows) {
    for (io.vertx.sqlclient.Row row : rows) {
      Object v = row.getValue(0);
      return v instanceof Boolean b ? b : v instanceof Number n && n.intValue() != 0;
    }
    return false;
  }
}
