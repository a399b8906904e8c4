package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * drain: n one-shot jobs all due at the same instant, stored before the nodes start; fires per second from that
 * instant until the last run is in the history. Jobs send to the event-bus no-op consumer.
 */
final class Drain {
  private Drain() {
  }

  static void run(Deployment d, int n, Report report) {
    String row = String.format("drain %,d (fires/s)", n);
    Benchmark.log("%s — %s", d.label, row);
    d.reset();
    long insertAllowance = 1_000 + n / 10;
    long due = d.dueAfterStart() + insertAllowance;
    String series = "d" + n;
    long insertMs = JobRows.insert(d.pool(), JobRows.allAt(series, n, Target.EVENTBUS_CMD, due));
    d.start(true, List.of());
    long readyAt = System.currentTimeMillis();
    JsonObject data = new JsonObject().put("jobs", n).put("insert_ms", insertMs).put("start_ms", d.lastStartMs)
        .put("ready_before_due_ms", due - readyAt);
    Sync.sleepUntil(due);
    long deadline = due + Math.max(60_000, n * 4L);
    long done = d.awaitHistory(n, deadline);
    Recorder.Series seen = d.target.recorder.series(series);
    Map<String, Long> statuses = d.statusCounts();
    d.stopNodes();
    data.put("history_by_status", new JsonObject(Map.copyOf(statuses)))
        .put("target_received", seen.count()).put("target_duplicates", seen.duplicates());
    if (seen.count() > 0) {
      data.put("target_first_ms_after_due", seen.first() - due).put("target_last_ms_after_due", seen.last() - due);
    }
    if (done < 0) {
      long got = statuses.values().stream().mapToLong(Long::longValue).sum();
      data.put("timed_out", true).put("history_rows", got);
      report.add(new Result(d.label, row, String.format("timeout (%,d/%,d)", got, n), false, data));
      return;
    }
    double seconds = (done - due) / 1000.0;
    double rate = n / seconds;
    data.put("drain_ms", done - due).put("fires_per_s", Math.round(rate));
    Boolean met = d.store == Deployment.Store.MARIADB ? rate >= 5000 : null;
    report.add(new Result(d.label, row, String.format("%,.0f", rate), met, data));
  }
}
