package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * The store's parts over one database pool: jobs, claims, history, audit, the scheduler's pause switch, the calendars;
 * {@code doneJobs} tells of the jobs removed with their last fire's history row.
 */
public record Stores(JobStore jobs, ClaimStore claims, HistoryStore history, AuditStore audit, DbClock clock,
                     Pool pool, DurableCommits durable, DoneJobs doneJobs, SchedulerSwitch schedulerSwitch,
                     CalendarStore calendars) {

  /** @param connections how many statements the pool runs at once */
  static Stores over(Pool pool, Dialect dialect, DurableCommits durable, int connections) {
    DoneJobs doneJobs = new DoneJobs();
    ChainStarts chains = new ChainStarts();
    return new Stores(new SqlJobStore(pool, dialect, durable, connections),
        new ClaimStore(pool, dialect, doneJobs, chains),
        new HistoryStore(pool, dialect, durable, doneJobs, chains, connections), new AuditStore(pool, durable),
        new DbClock(pool, dialect), pool, durable, doneJobs, new SchedulerSwitch(pool, dialect, durable),
        new CalendarStore(pool, dialect, durable));
  }

  public Future<Void> close() {
    return pool.close().eventually(durable::close);
  }
}
