package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Removes a job that will not fire again once its last fire is recorded, as RuQi (APScheduler) removed a one-shot
 * after it fired: in the transaction that writes the fire's last history row, so a crash leaves either both or
 * neither, and on any node of a pair by the same conditional change. A job goes only if, read under lock, it still
 * has no next fire, is not paused, has not been told to stay ({@code keep_done}) and has no fire running (a
 * {@code job_run}, or a retry, keeps it until that fire's own last row). Each removal leaves an audit row of the
 * actor {@code scheduler}, and is told to {@link #onRemoved} once committed.
 */
public final class DoneJobs {
  static final String ACTOR = "scheduler";
  static final String OPERATION = "job_remove";

  private volatile Consumer<List<Job>> listener = jobs -> { };

  /** Called with the jobs removed, after their transaction committed (on the store caller's context). */
  public void onRemoved(Consumer<List<Job>> listener) {
    this.listener = listener;
  }

  void announce(List<Job> removed) {
    if (!removed.isEmpty()) {
      listener.accept(removed);
    }
  }

  /**
   * Inside the caller's transaction, before its first plain read, when it reads plainly before {@link #remove} (a
   * chain's start, a take-over's cut): locks the jobs that {@code rows} may remove. MariaDB's plain reads see the
   * snapshot of the transaction's first one, and remove reads the jobs' running rows plainly. Taken before remove's
   * lock, that snapshot could miss a fire claimed of the job in between (a job_run on a peer), and the job went
   * while that fire ran. A claim writes its job's row before it inserts the fire's running row, so with the lock
   * held first, every such claim committed before the snapshot or waits for this transaction.
   */
  static Future<Void> lockFirst(SqlConnection conn, Dialect dialect, List<HistoryRecord> rows) {
    return inChunks(candidates(rows), chunk -> byIds(conn, dialect, "SELECT id FROM ruqi_jobs WHERE id IN (?)"
        + dialect.forUpdate(), chunk).map(locked -> List.of())).mapEmpty();
  }

  /**
   * Inside the caller's transaction, after the rows' running rows are gone: removes the done jobs that
   * {@code rows} end ({@link HistoryRecord#removesDoneJob}); answers them. Every chunk's jobs are locked before the
   * first read of running rows, for the reason {@link #lockFirst} gives, which a transaction that reads plainly
   * before this calls first.
   */
  static Future<List<Job>> remove(SqlConnection conn, Dialect dialect, List<HistoryRecord> rows) {
    List<Object> ids = candidates(rows);
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    HistoryRecord last = null;
    for (HistoryRecord r : rows) {
      if (r.removesDoneJob()) {
        last = r;
      }
    }
    String auditNode = last.node();
    Instant now = last.created();
    String lock = "SELECT " + SqlJobStore.COLUMNS + " FROM ruqi_jobs WHERE id IN (?)" + dialect.forUpdate();
    return inChunks(ids, chunk -> byIds(conn, dialect, lock, chunk).map(DoneJobs::jobs))
        .compose(locked -> inChunks(ids, chunk -> byIds(conn, dialect, runningOfList(dialect), chunk)
                .map(DoneJobs::firstColumn))
            .map(running -> done(locked, Set.copyOf(running))))
        .compose(done -> inChunks(done, chunk -> delete(conn, dialect, chunk, auditNode, now)));
  }

  /** Which of {@code jobs} jobs have a fire running, by the primary key (MySqlClaimStoreTest EXPLAINs it). */
  static String runningOf(Dialect dialect, int jobs) {
    return runningOfList(dialect).replace("(?)", "(" + InLists.marks(jobs) + ")");
  }

  /** {@link #runningOf} with {@code (?)} for its list. */
  private static String runningOfList(Dialect dialect) {
    return "SELECT DISTINCT job_id FROM ruqi_running" + dialect.usingIndex("PRIMARY") + " WHERE job_id IN (?)";
  }

  /** {@code sql} with its {@code (?)} the IN list of {@code ids}, padded (InLists), run on {@code ids}. */
  private static Future<RowSet<Row>> byIds(SqlConnection conn, Dialect dialect, String sql, List<Object> ids) {
    List<Object> padded = InLists.padded(dialect, ids);
    String list = "(" + InLists.marks(padded.size()) + ")";
    String statement = InLists.shape(dialect, ids.size(), sql.replace("(?)", list));
    return conn.preparedQuery(statement).execute(Tuple.wrap(padded));
  }

  /** Of the jobs read under lock, those done: no next fire, not paused, not told to stay, no fire running. */
  private static List<Job> done(List<Job> locked, Set<String> busy) {
    return locked.stream().filter(job -> job.nextRunTime() == null && !job.paused() && !busy.contains(job.id())
        && !Boolean.TRUE.equals(job.options().getBoolean("keep_done"))).toList();
  }

  private static List<Job> jobs(RowSet<Row> rows) {
    List<Job> out = new ArrayList<>();
    rows.forEach(r -> out.add(SqlJobStore.toJob(r)));
    return out;
  }

  private static List<String> firstColumn(RowSet<Row> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.getString(0)));
    return out;
  }

  /**
   * The jobs {@code rows} may remove, each once, in the key's order (near enough: MariaDB compares ids without
   * case), so that transactions lock them chunk after chunk in one order.
   */
  private static List<Object> candidates(List<HistoryRecord> rows) {
    Set<String> ids = new LinkedHashSet<>();
    for (HistoryRecord r : rows) {
      if (r.removesDoneJob()) {
        ids.add(r.jobId());
      }
    }
    return ids.stream().sorted(String.CASE_INSENSITIVE_ORDER).map(id -> (Object) id).toList();
  }

  /**
   * {@code step} over {@code items} a chunk at a time, one after the other; answers what every chunk answered. A
   * history batch can hold tens of thousands of rows (a drain): a statement takes at most 65,535 values.
   */
  private static <T, R> Future<List<R>> inChunks(List<T> items, Function<List<T>, Future<List<R>>> step) {
    List<R> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    int size = HistoryStore.ROWS_PER_STATEMENT;
    for (int from = 0; from < items.size(); from += size) {
      List<T> chunk = new ArrayList<>(items.subList(from, Math.min(items.size(), from + size)));
      chain = chain.compose(v -> step.apply(chunk)).map(answers -> {
        out.addAll(answers);
        return null;
      });
    }
    return chain.map(v -> out);
  }

  private static Future<List<Job>> delete(SqlConnection conn, Dialect dialect, List<Job> done, String node,
                                          Instant now) {
    List<Object> ids = done.stream().map(Job::id).collect(Collectors.toList());
    Tuple audit = Tuple.tuple();
    for (Job job : done) {
      audit.addValue(SqlJobStore.utc(now)).addString(ACTOR).addString(OPERATION).addString(job.id())
          .addString(before(job).encode()).addValue(null).addString(node);
    }
    return byIds(conn, dialect, "DELETE FROM ruqi_jobs WHERE id IN (?)", ids)
        .compose(v -> conn.preparedQuery("INSERT INTO ruqi_audit (c_time, actor, operation, job_id, before_value,"
            + " after_value, node) VALUES " + String.join(", ", Collections.nCopies(done.size(),
            "(?, ?, ?, ?, ?, ?, ?)"))).execute(audit))
        .map(done);
  }

  /** The job as removed, with why, for the audit. */
  private static JsonObject before(Job job) {
    return new JsonObject().put("job_id", job.id()).put("job_name", job.name()).put("job_trigger", job.trigger())
        .put("cmd", job.cmd()).put("rule", job.rule()).put("next_run_time", null).put("timezone", job.zone().getId())
        .put("state", "done").put("options", job.options()).put("version", job.version())
        .put("removed", "it will not fire again and its last fire is recorded (jobs.keep_done / keep_done keep it)");
  }
}
