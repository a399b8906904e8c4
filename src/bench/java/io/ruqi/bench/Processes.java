package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/** processes: n jobs running the program {@code true}, all due at once; runs per second until all are in the history. */
final class Processes {
  private Processes() {
  }

  static void run(Deployment d, int n, Report report) {
    String row = String.format("processes %,d × true (runs/s)", n);
    Benchmark.log("%s — %s", d.label, row);
    d.reset();
    long due = d.dueAfterStart() + 1_000;
    long insertMs = JobRows.insert(d.pool(), JobRows.allAt("p", n, "true", due));
    d.start(true, List.of());
    JsonObject data = new JsonObject().put("jobs", n).put("insert_ms", insertMs)
        .put("ready_before_due_ms", due - System.currentTimeMillis());
    Sync.sleepUntil(due);
    long done = d.awaitHistory(n, due + 120_000);
    Map<String, Long> statuses = d.statusCounts();
    d.stopNodes();
    data.put("history_by_status", new JsonObject(Map.copyOf(statuses)));
    if (done < 0) {
      report.add(new Result(d.label, row, "timeout", false, data.put("timed_out", true)));
      return;
    }
    double rate = n / ((done - due) / 1000.0);
    data.put("drain_ms", done - due).put("runs_per_s", Math.round(rate));
    report.add(new Result(d.label, row, String.format("%,.0f", rate), rate >= 650, data));
  }
}
