package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** The store's parts over one database pool: jobs, claims, history, audit. */
public record Stores(JobStore jobs, ClaimStore claims, HistoryStore history, AuditStore audit, DbClock clock,
                     Pool pool, DurableCommits durable) {

  static Stores over(Pool pool, Dialect dialect, DurableCommits durable) {
    return new Stores(new SqlJobStore(pool, dialect, durable), new ClaimStore(pool, dialect),
        new HistoryStore(pool, dialect, durable), new AuditStore(pool, durable), new DbClock(pool, dialect), pool,
        durable);
  }

  public Future<Void> close() {
    return pool.close().eventually(durable::close);
  }
}
