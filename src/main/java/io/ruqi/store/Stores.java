package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** The store's parts over one database pool: jobs, claims, history, audit. */
public record Stores(JobStore jobs, ClaimStore claims, HistoryStore history, AuditStore audit, DbClock clock,
                     Pool pool) {

  static Stores over(Pool pool, Dialect dialect) {
    return new Stores(new SqlJobStore(pool, dialect), new ClaimStore(pool, dialect), new HistoryStore(pool, dialect),
        new AuditStore(pool), new DbClock(pool, dialect), pool);
  }

  public Future<Void> close() {
    return pool.close();
  }
}
