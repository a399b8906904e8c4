package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
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
  static Future<Void> lockFirst(SqlConnection conn, List<HistoryRecord> rows) {
    return inChunks(candidates(rows), chunk -> conn.preparedQuery("SELECT id FROM ruqi_jobs WHERE id IN ("
        + marks(chunk) + ") FOR UPDATE").execute(Tuple.wrap(chunk)).map(locked -> List.<Job>of())).mapEmpty();
  }

  /**
   * Inside the caller's transaction, after the rows' running rows are gone: removes the done jobs that
   * {@code rows} end ({@link HistoryRecord#removesDoneJob}); answers them. A transaction that reads plainly before
   * this calls {@link #lockFirst} first.
   */
  static Future<List<Job>> remove(SqlConnection conn, List<HistoryRecord> rows) {
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
    return inChunks(ids, chunk -> removeChunk(conn, chunk, auditNode, now));
  }

  /** The jobs {@code rows} may remove, each once. */
  private static List<Object> candidates(List<HistoryRecord> rows) {
    Set<Object> ids = new LinkedHashSet<>();
    for (HistoryRecord r : rows) {
      if (r.removesDoneJob()) {
        ids.add(r.jobId());
      }
    }
    return new ArrayList<>(ids);
  }

  /**
   * {@code step} over the ids a chunk at a time, one after the other; answers the jobs of every chunk. A history
   * batch can hold tens of thousands of rows (a drain): a statement takes at most 65,535 values.
   */
  private static Future<List<Job>> inChunks(List<Object> ids, Function<List<Object>, Future<List<Job>>> step) {
    List<Job> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    int size = HistoryStore.ROWS_PER_STATEMENT;
    for (int from = 0; from < ids.size(); from += size) {
      List<Object> chunk = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + size)));
      chain = chain.compose(v -> step.apply(chunk)).map(jobs -> {
        out.addAll(jobs);
        return null;
      });
    }
    return chain.map(v -> out);
  }

  private static String marks(List<?> keys) {
    return String.join(", ", Collections.nCopies(keys.size(), "?"));
  }

  private static Future<List<Job>> removeChunk(SqlConnection conn, List<Object> keys, String auditNode, Instant now) {
    String marks = marks(keys);
    return conn.preparedQuery("SELECT " + SqlJobStore.COLUMNS + " FROM ruqi_jobs WHERE id IN (" + marks
            + ") FOR UPDATE").execute(Tuple.wrap(keys))
        .compose(found -> conn.preparedQuery("SELECT DISTINCT job_id FROM ruqi_running WHERE job_id IN (" + marks
            + ")").execute(Tuple.wrap(keys)).map(running -> {
              Set<String> busy = new HashSet<>();
              running.forEach(r -> busy.add(r.getString(0)));
              List<Job> done = new ArrayList<>();
              for (Row row : found) {
                Job job = SqlJobStore.toJob(row);
                if (job.nextRunTime() == null && !job.paused() && !busy.contains(job.id())
                    && !Boolean.TRUE.equals(job.options().getBoolean("keep_done"))) {
                  done.add(job);
                }
              }
              return done;
            }))
        .compose(done -> done.isEmpty() ? Future.succeededFuture(done) : delete(conn, done, auditNode, now));
  }

  private static Future<List<Job>> delete(SqlConnection conn, List<Job> done, String node, Instant now) {
    List<Object> ids = done.stream().map(Job::id).collect(Collectors.toList());
    String marks = marks(ids);
    Tuple audit = Tuple.tuple();
    for (Job job : done) {
      audit.addValue(SqlJobStore.utc(now)).addString(ACTOR).addString(OPERATION).addString(job.id())
          .addString(before(job).encode()).addValue(null).addString(node);
    }
    return conn.preparedQuery("DELETE FROM ruqi_jobs WHERE id IN (" + marks + ")").execute(Tuple.wrap(ids))
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
