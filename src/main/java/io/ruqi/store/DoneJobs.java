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
   * Inside the caller's transaction, after the rows' running rows are gone: removes the done jobs that
   * {@code rows} end ({@link HistoryRecord#removesDoneJob}); answers them.
   */
  static Future<List<Job>> remove(SqlConnection conn, List<HistoryRecord> rows) {
    Set<String> ids = new LinkedHashSet<>();
    HistoryRecord last = null;
    for (HistoryRecord r : rows) {
      if (r.removesDoneJob()) {
        ids.add(r.jobId());
        last = r;
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String auditNode = last.node();
    Instant now = last.created();
    // a history batch can hold tens of thousands of rows (a drain): a statement takes at most 65,535 values
    List<String> all = new ArrayList<>(ids);
    List<Job> removed = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    int step = HistoryStore.ROWS_PER_STATEMENT;
    for (int from = 0; from < all.size(); from += step) {
      List<Object> chunk = new ArrayList<>(all.subList(from, Math.min(all.size(), from + step)));
      chain = chain.compose(v -> removeChunk(conn, chunk, auditNode, now)).map(done -> {
        removed.addAll(done);
        return null;
      });
    }
    return chain.map(v -> removed);
  }

  private static Future<List<Job>> removeChunk(SqlConnection conn, List<Object> keys, String auditNode, Instant now) {
    String marks = String.join(", ", Collections.nCopies(keys.size(), "?"));
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
    String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
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
