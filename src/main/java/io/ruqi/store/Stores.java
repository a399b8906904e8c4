package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * The store's parts over one database pool: jobs, claims, history, audit, the scheduler's pause switch, the calendars;
 * {@code doneJobs} tells of the jobs removed with their last fire's history row.
 */
public record Stores(JobStore jobs, ClaimStore claims, HistoryStore history, AuditStore audit, DbClock clock,
                     Pool pool, Pool marks, DurableCommits durable, DoneJobs doneJobs,
                     SchedulerSwitch schedulerSwitch, CalendarStore calendars, Dialect dialect,
                     AutoCloseable fileLock) {

  /**
   * @param marks       where the start marks go: {@code pool}, or on the embedded store a connection of their own
   * @param connections how many statements the pool runs at once
   */
  static Stores over(Pool pool, Pool marks, Dialect dialect, DurableCommits durable, int connections) {
    return over(pool, marks, dialect, durable, connections, () -> { });
  }

  /** @param fileLock released when the store closes (the embedded file's, {@link StoreFileLock}) */
  static Stores over(Pool pool, Pool marks, Dialect dialect, DurableCommits durable, int connections,
                     AutoCloseable fileLock) {
    DoneJobs doneJobs = new DoneJobs();
    ChainStarts chains = new ChainStarts();
    return new Stores(new SqlJobStore(pool, dialect, durable, connections),
        new ClaimStore(pool, marks, dialect, doneJobs, chains),
        new HistoryStore(pool, dialect, durable, doneJobs, chains, connections), new AuditStore(pool, durable),
        new DbClock(pool, dialect), pool, marks, durable, doneJobs, new SchedulerSwitch(pool, dialect, durable),
        new CalendarStore(pool, dialect, durable), dialect, fileLock);
  }

  public Future<Void> close() {
    Future<Void> marksClosed = marks == pool ? Future.succeededFuture() : marks.close();
    return marksClosed.eventually(pool::close).eventually(durable::close).andThen(ar -> {
      try {
        fileLock.close();
      } catch (Exception e) {
        // the OS releases it with the process
      }
    });
  }
}
