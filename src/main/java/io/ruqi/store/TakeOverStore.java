package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fires of a node that stopped (it died, or restarted, or lost track of them): their ruqi_running rows. Each
 * change is conditional on the row as it was read — its node and its start time — so that of the peers (and the
 * restarted node) that find the same fire, one acts on it; and a history row that ends a fire is written in the
 * transaction that removes its running row, so a fire given up never keeps counting against max_instances.
 */
public final class TakeOverStore {
  private static final String FIRES = "SELECT job_id, fire_time, node, start_time, parent_fire_id FROM ruqi_running";

  private final Pool pool;
  private final Dialect dialect;
  private final NodeLeases leases;
  private final DoneJobs doneJobs;
  private final ChainStarts chains;

  TakeOverStore(Pool pool, Dialect dialect, NodeLeases leases, DoneJobs doneJobs, ChainStarts chains) {
    this.doneJobs = doneJobs;
    this.chains = chains;
    this.pool = pool;
    this.dialect = dialect;
    this.leases = leases;
  }

  /** The fires a node holds: after its restart, fires it will never finish. */
  public Future<List<RunningFire>> runningOf(String node) {
    return pool.preparedQuery(FIRES + " WHERE node = ?").execute(Tuple.of(node)).map(TakeOverStore::toFires);
  }

  /**
   * Fires held by nodes other than {@code self} whose lease has ended by the database's clock: those nodes have
   * stopped. (This node's own rows are its own to judge, and must not crowd a dead peer's out of the limit.)
   */
  public Future<List<RunningFire>> expired(String self, int limit) {
    return pool.preparedQuery(FIRES + " WHERE node <> ? AND " + leases.withoutLease() + " LIMIT ?")
        .execute(Tuple.of(self, limit)).map(TakeOverStore::toFires);
  }

  /**
   * Takes over a fire its node claimed and never started: the row becomes {@code node}'s, started {@code now}.
   * Answers whether this node won it.
   */
  public Future<Boolean> adopt(RunningFire fire, String node, Instant now) {
    if (fire.started()) {
      return Future.succeededFuture(false);
    }
    Tuple args = Tuple.of(node, SqlJobStore.utc(now));
    String sql = "UPDATE ruqi_running SET node = ?, start_time = ? WHERE " + fence(fire, args);
    return pool.preparedQuery(sql).execute(args).map(rows -> rows.rowCount() == 1);
  }

  /**
   * Takes over a fire whose run was cut off, to run it again (at-least-once delivery): the row becomes
   * {@code node}'s, started {@code now}, and the attempt cut off is recorded as {@code cut} (interrupted; not the
   * fire's last row). Answers the attempt of the new run, or 0 when another node took the fire first.
   */
  public Future<Integer> rerun(RunningFire fire, String node, Instant now, HistoryRecord cut) {
    return Transactions.run(pool, dialect, conn -> {
      Tuple args = Tuple.of(node, SqlJobStore.utc(now));
      String sql = "UPDATE ruqi_running SET node = ?, start_time = ? WHERE " + fence(fire, args);
      return conn.preparedQuery(sql).execute(args).compose(rows -> rows.rowCount() != 1 ? Future.succeededFuture(0)
          : recordCut(conn, fire, cut).map(attempt -> attempt + 1));
    });
  }

  /**
   * Ends a fire of a stopped node without running it: {@code row} (missed, or interrupted) is written and the
   * running row removed, in one transaction, if the row is still as read; so is the job, if the row says it is
   * done ({@link DoneJobs}). Answers whether this node did it.
   */
  public Future<Boolean> release(RunningFire fire, HistoryRecord row) {
    return release(fire, row, () -> { });
  }

  /**
   * As above; {@code whenEndedHere} runs once this node ended the fire, before the job removed with it is told: the
   * fire's end is told first, as it is for a fire that ran (its event goes out as its row is queued). Told after the
   * removal, a one-shot cut off by its node's death was counted failing on every node for good.
   */
  public Future<Boolean> release(RunningFire fire, HistoryRecord row, Runnable whenEndedHere) {
    return Transactions.run(pool, dialect, conn -> {
      Tuple args = Tuple.tuple();
      ChainStarts.Chained chained = ChainStarts.none();
      return conn.preparedQuery("DELETE FROM ruqi_running WHERE " + fence(fire, args)).execute(args)
          .compose(rows -> rows.rowCount() != 1 ? Future.succeededFuture(Ended.NOT_HERE)
              : DoneJobs.lockFirst(conn, dialect, List.of(row)).compose(locked -> recordCut(conn, fire, row))
                  // a run cut off by its node's death ends as interrupted: its job's on_failure starts here
                  .compose(a -> row.chain().isEmpty() ? Future.succeededFuture()
                      : chains.children(conn, dialect, row, chained))
                  .compose(v -> DoneJobs.remove(conn, dialect, List.of(row)))
                  .map(removed -> new Ended(true, removed, chained)));
    }).map(ended -> {
      try {
        if (ended.won()) {
          whenEndedHere.run();
        }
      } finally {
        // committed: the removal and the chained fires are told whatever the caller's step did
        announced(ended);
      }
      return ended.won();
    });
  }

  /**
   * Ends a fire this node claimed and gives up (the store was out of reach past its grace): {@code row} is written
   * and the running row removed, if it is still this node's, whether or not a mark whose answer was lost started it.
   */
  public Future<Boolean> giveUp(FireRef fire, String node, HistoryRecord row) {
    Tuple args = Tuple.of(fire.jobId(), SqlJobStore.utc(fire.fireTime()), node);
    return Transactions.run(pool, dialect, conn -> conn
        .preparedQuery("DELETE FROM ruqi_running WHERE job_id = ? AND fire_time = ? AND node = ?").execute(args)
        .compose(rows -> rows.rowCount() != 1 ? Future.succeededFuture(Ended.NOT_HERE)
            : HistoryStore.insert(conn, dialect, List.of(row)).compose(v -> DoneJobs.remove(conn, dialect, List.of(row)))
                .map(Ended::here)))
        .map(this::announced);
  }

  /** Whether this node ended the fire, the jobs removed with it, and the chained fires it started. */
  private record Ended(boolean won, List<Job> removed, ChainStarts.Chained chained) {
    static final Ended NOT_HERE = new Ended(false, List.of(), ChainStarts.none());

    static Ended here(List<Job> removed) {
      return new Ended(true, removed, ChainStarts.none());
    }
  }

  private boolean announced(Ended ended) {
    doneJobs.announce(ended.removed());
    chains.announce(ended.chained());
    return ended.won();
  }

  /**
   * Writes {@code row} as the attempt after the fire's last recorded one (1 when none: an earlier attempt that
   * failed and was being retried keeps its row), unless the last is already interrupted (its node recorded the cut
   * itself as it stopped). Answers the attempt of the cut.
   */
  private Future<Integer> recordCut(SqlConnection conn, RunningFire fire, HistoryRecord row) {
    return lastAttempt(conn, fire).compose(last -> {
      if (last != null && last.status() == RunStatus.INTERRUPTED) {
        return Future.succeededFuture(last.attempt());
      }
      int attempt = last == null ? 1 : last.attempt() + 1;
      return HistoryStore.insert(conn, dialect, List.of(row.withAttempt(attempt))).map(attempt);
    });
  }

  /** The row as it was read: the same fire, on the same node, started at the same time (or not at all). */
  private static String fence(RunningFire fire, Tuple args) {
    args.addString(fire.jobId()).addValue(SqlJobStore.utc(fire.fireTime())).addString(fire.node());
    if (!fire.started()) {
      return "job_id = ? AND fire_time = ? AND node = ? AND start_time IS NULL";
    }
    args.addValue(SqlJobStore.utc(fire.startTime()));
    return "job_id = ? AND fire_time = ? AND node = ? AND start_time = ?";
  }

  private record Attempt(int attempt, RunStatus status) {
  }

  private static Future<Attempt> lastAttempt(SqlConnection conn, RunningFire fire) {
    return conn.preparedQuery("SELECT attempt, status FROM ruqi_jobs_history WHERE job_id = ? AND fire_time = ?"
            + " ORDER BY attempt DESC LIMIT 1")
        .execute(Tuple.of(fire.jobId(), SqlJobStore.utc(fire.fireTime())))
        .map((RowSet<Row> rows) -> {
          for (Row r : rows) {
            return new Attempt(r.getInteger(0), RunStatus.fromWire(r.getString(1)));
          }
          return null;
        });
  }

  private static List<RunningFire> toFires(Iterable<Row> rows) {
    List<RunningFire> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new RunningFire(r.getString(0), SqlJobStore.utcInstant(r.getLocalDateTime(1)), r.getString(2),
          SqlJobStore.utcInstant(r.getLocalDateTime(3)), r.getString(4)));
    }
    return out;
  }
}
