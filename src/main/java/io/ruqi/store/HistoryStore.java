package io.ruqi.store;

import io.ruqi.progress.Progress;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** The history table: many rows per statement on the way in, filtered pages on the way out. */
public final class HistoryStore {
  /** Rows per INSERT: 15 parameters each stays far below MySQL's 65,535 placeholders. */
  public static final int ROWS_PER_STATEMENT = 500;
  /** Rows one DELETE of a history clear removes. */
  public static final int DELETE_CHUNK = 10_000;
  /**
   * On SQLite, whose one write lock every claim and start mark waits for, a tenth of that: a chunk's DELETE is a
   * fire's longest wait during a clear.
   */
  static final int SQLITE_DELETE_CHUNK = 1_000;

  private static final String COLUMNS = "job_id, job_name, cmd, cmd_is_success, cmd_output, cmd_cost, scheduler_name,"
      + " c_time, fire_time, start_time, status, attempt, exit_code, parent_fire_id, worker";
  /** As read: cmd_is_success is a TINYINT (see {@link SqlJobStore#COLUMNS} for why it is read as a comparison). */
  private static final String SELECTED = COLUMNS.replace("cmd_is_success", "(cmd_is_success <> 0) AS cmd_is_success");
  private static final String ROW_MARKS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Pool pool;
  private final Dialect dialect;
  private final DurableCommits durable;
  private final DoneJobs doneJobs;
  private final ChainStarts chains;
  private final int connections;

  HistoryStore(Pool pool, Dialect dialect, DurableCommits durable, DoneJobs doneJobs, ChainStarts chains,
               int connections) {
    this.chains = chains;
    this.connections = connections;
    this.pool = pool;
    this.dialect = dialect;
    this.durable = durable;
    this.doneJobs = doneJobs;
  }

  /**
   * Writes the rows and, in the same transaction, releases the ruqi_running rows of the fires they end and removes
   * the jobs that are done with them ({@link DoneJobs}). A row whose (job_id, fire_time, attempt) is already there
   * is ignored: a fire is recorded once. Answers the jobs removed.
   */
  public Future<List<Job>> write(List<HistoryRecord> records) {
    return write(records, List.of());
  }

  /** As {@link #write(List)}, also releasing {@code releaseOnly}: ended fires whose rows were not kept. */
  public Future<List<Job>> write(List<HistoryRecord> records, List<FireRef> releaseOnly) {
    if (records.isEmpty() && releaseOnly.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Transactions.run(pool, dialect, conn -> {
      Future<?> chain = insert(conn, dialect, records);
      List<FireRef> ending = new ArrayList<>(releaseOnly);
      // a row that starts a chain has its running row removed on its own: only that removal starts the chain
      records.stream().filter(r -> r.endsTheFire() && !ChainStarts.chains(r))
          .forEach(r -> ending.add(new FireRef(r.jobId(), r.fireTime())));
      // in the index's order (near enough: MariaDB compares ids without case), so that writes side by side lock
      // running rows in one order rather than deadlock across their chunks
      ending.sort(RELEASE_ORDER);
      for (int from = 0; from < ending.size(); from += ROWS_PER_STATEMENT) {
        List<FireRef> chunk = ending.subList(from, Math.min(ending.size(), from + ROWS_PER_STATEMENT));
        Tuple keys = Tuple.tuple();
        String sql = InLists.shape(dialect, chunk.size(), "DELETE FROM ruqi_running WHERE "
            + FireRef.matching(dialect, chunk, keys));
        chain = chain.compose(v -> conn.preparedQuery(sql).execute(keys));
      }
      List<HistoryRecord> parents = records.stream().filter(ChainStarts::chains).toList();
      // a chain's start reads plainly: the done jobs' locks come before it (see DoneJobs.lockFirst)
      return chain.compose(v -> parents.isEmpty() ? Future.succeededFuture(NO_CHAIN)
              : DoneJobs.lockFirst(conn, dialect, records).compose(locked -> chains.start(conn, dialect, parents)))
          .compose(started -> DoneJobs.remove(conn, dialect, records).map(removed -> new Written(removed, started)));
    }).onSuccess(written -> {
      doneJobs.announce(written.removed());
      chains.announce(written.chained());
    }).map(Written::removed);
  }

  private static final Comparator<FireRef> RELEASE_ORDER = Comparator.comparing(FireRef::jobId,
      String.CASE_INSENSITIVE_ORDER).thenComparing(FireRef::fireTime);
  private static final ChainStarts.Chained NO_CHAIN = new ChainStarts.Chained(List.of(), List.of());

  /** What a write's transaction did besides its rows: the jobs it removed, the chained fires it started. */
  private record Written(List<Job> removed, ChainStarts.Chained chained) {
  }

  /**
   * How many writes of rows this store takes side by side: half its connections (the others are the claims' and the
   * API's), at most three, which keep the history up with a drain's fires on MariaDB (a 50,000 drain's last row came
   * about 3 s after its last fire with one write at a time, under 1 s with three). The embedded store has one
   * connection, which runs one statement at a time.
   */
  public int concurrentWrites() {
    return Math.max(1, Math.min(3, connections / 2));
  }

  /** The job chains this table's writes start. */
  public ChainStarts chains() {
    return chains;
  }

  /**
   * Inserts the rows on {@code conn}, inside the caller's transaction (a take-over writes the row that ends a fire
   * with the change to its running row). A row whose (job_id, fire_time, attempt) is already there is ignored.
   */
  static Future<Void> insert(SqlConnection conn, Dialect dialect, List<HistoryRecord> records) {
    Future<?> chain = Future.succeededFuture();
    for (int from = 0; from < records.size(); from += ROWS_PER_STATEMENT) {
      List<HistoryRecord> chunk = records.subList(from, Math.min(records.size(), from + ROWS_PER_STATEMENT));
      String sql = dialect.insertIgnore() + " INTO ruqi_jobs_history (" + COLUMNS + ") VALUES "
          + String.join(", ", Collections.nCopies(chunk.size(), ROW_MARKS)) + dialect.ignoreEnd();
      Tuple args = Tuple.tuple();
      chunk.forEach(r -> bind(args, r));
      chain = chain.compose(v -> conn.preparedQuery(sql).execute(args));
    }
    return chain.mapEmpty();
  }

  private static void bind(Tuple t, HistoryRecord r) {
    t.addString(r.jobId()).addString(r.jobName()).addString(r.cmd()).addBoolean(r.success())
        .addString(r.output() == null ? "" : r.output()).addDouble(r.cost()).addString(r.node())
        .addValue(SqlJobStore.utc(r.created())).addValue(SqlJobStore.utc(r.fireTime()))
        .addValue(r.startTime() == null ? null : SqlJobStore.utc(r.startTime())).addString(r.status().wire())
        .addInteger(r.attempt()).addValue(r.exitCode()).addValue(r.parentFireId())
        .addString(r.worker());
  }

  /** Rows counted per bucket of {@code bucketSeconds} from {@code from} (see {@link HistoryBuckets}). */
  public Future<List<HistoryBuckets.Cell>> buckets(Instant from, Instant to, int bucketSeconds) {
    return HistoryBuckets.count(pool, dialect, from, to, bucketSeconds);
  }

  /**
   * One fire's rows, first attempt first, and whether it still runs (its ruqi_running row goes with its last row,
   * in one transaction: a fire with rows and no running row is over). Both reads are by key.
   */
  public Future<FireRecords> fire(FireRef fire) {
    Tuple key = Tuple.of(fire.jobId(), SqlJobStore.utc(fire.fireTime()));
    // the running row first, the history rows after: a fire's last row and the running row's removal commit
    // together, so a fire that ends between the two reads is still seen whole (read in parallel, it could look
    // neither running nor ended)
    return pool.preparedQuery("SELECT COUNT(*) FROM ruqi_running WHERE job_id = ? AND fire_time = ?")
        .execute(key).map(rows -> rows.iterator().next().getLong(0) > 0)
        .compose(running -> pool.preparedQuery("SELECT id, " + SELECTED
                + " FROM ruqi_jobs_history WHERE job_id = ? AND fire_time = ? ORDER BY attempt")
            .execute(key).map(found -> {
              List<HistoryRow> out = new ArrayList<>();
              found.forEach(r -> out.add(toRow(r)));
              return new FireRecords(running, out);
            }));
  }

  /** What {@link #fire} found: {@code running} while the fire is claimed or runs, its history rows so far. */
  public record FireRecords(boolean running, List<HistoryRow> rows) {
  }

  public Future<Page<HistoryRow>> list(HistoryQuery q) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.jobId() != null) {
      where.append(" AND job_id = ?");
      args.add(q.jobId());
    }
    if (q.jobName() != null) {
      where.append(" AND job_name = ?");
      args.add(q.jobName());
    }
    if (q.success() != null) {
      where.append(" AND cmd_is_success = ?");
      args.add(q.success());
    }
    if (q.status() != null) {
      where.append(" AND status = ?");
      args.add(q.status());
    }
    return PageReader.read(pool, "SELECT id, " + SELECTED, "ruqi_jobs_history", where.toString(),
        args, dialect.usingIndex("ix_ruqi_jobs_history_c_time"), q.pageIndex(), q.pageSize(), q.exactTotal(),
        HistoryStore::toRow);
  }

  /**
   * Deletes rows created before {@code before} (of one job or job_name when given); answers how many. Millions of
   * rows go {@link #DELETE_CHUNK} at a time, each DELETE its own short transaction: one statement for them all
   * would hold its locks, undo log and a replica's apply for minutes, while fires wait to write their rows. The
   * count comes first, so that {@code progress} can say how far the clear is.
   */
  public Future<Long> deleteBefore(Instant before, String jobId, String jobName, Progress progress) {
    return deleteBefore(before, jobId, jobName, progress,
        dialect == Dialect.SQLITE ? SQLITE_DELETE_CHUNK : DELETE_CHUNK);
  }

  /** As above, {@code chunk} rows per statement (tests show the chunking on a few hundred rows). */
  Future<Long> deleteBefore(Instant before, String jobId, String jobName, Progress progress, int chunk) {
    StringBuilder where = new StringBuilder(" WHERE c_time < ?");
    List<Object> args = new ArrayList<>(List.of(SqlJobStore.utc(before)));
    if (jobId != null) {
      where.append(" AND job_id = ?");
      args.add(jobId);
    }
    if (jobName != null) {
      where.append(" AND job_name = ?");
      args.add(jobName);
    }
    String delete = dialect.deleteAtMost("ruqi_jobs_history", where.toString(), chunk);
    return pool.preparedQuery("SELECT COUNT(*) FROM ruqi_jobs_history" + where).execute(Tuple.wrap(args))
        .compose(rows -> {
          progress.total(rows.iterator().next().getLong(0));
          return deleteChunks(delete, chunk, Tuple.wrap(args), progress, 0);
        })
        .compose(deleted -> durable.afterCommit().map(deleted))
        .onComplete(ar -> progress.finish());
  }

  private Future<Long> deleteChunks(String delete, int chunk, Tuple args, Progress progress, long deletedSoFar) {
    return pool.preparedQuery(delete).execute(args)
        // chunks already deleted stay deleted: the caller must not answer "nothing was changed"
        .recover(e -> Future.failedFuture(deletedSoFar > 0 ? new PartialDelete(deletedSoFar, e) : e))
        .compose(rows -> {
      progress.advance(rows.rowCount());
      long deleted = deletedSoFar + rows.rowCount();
      return rows.rowCount() < chunk ? Future.succeededFuture(deleted)
          : deleteChunks(delete, chunk, args, progress, deleted);
    });
  }

  private static HistoryRow toRow(Row r) {
    Instant start = SqlJobStore.utcInstant(r.getLocalDateTime("start_time"));
    HistoryRecord rec = new HistoryRecord(r.getString("job_id"), r.getString("job_name"), r.getString("cmd"),
        RunStatus.fromWire(r.getString("status")), r.getString("cmd_output"), r.getDouble("cmd_cost"),
        r.getString("scheduler_name"), SqlJobStore.utcInstant(r.getLocalDateTime("c_time")),
        SqlJobStore.utcInstant(r.getLocalDateTime("fire_time")), start, r.getInteger("attempt"),
        r.getInteger("exit_code"), true).withParent(r.getString("parent_fire_id"))
        .onWorker(r.getString("worker"));
    return new HistoryRow(r.getLong("id"), rec);
  }
}
