package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * processes: n jobs running the program {@code true}, all due at once; runs per second from that instant until all
 * are in the history.
 *
 * <p>The burst meets a warm node, as in {@link Drain} ({@link WarmUp}): 10 s of {@code true} at {@link #WARM_RATE}/s go
 * through the same path first (claims, the process runner, history rows, done jobs removed), and the burst is due
 * {@link WarmUp#GAP_MS} after the last of them. Started right before the burst, the node compiled the runner's path
 * during it.
 */
final class Processes {
  static final int WARM_RATE = 200;

  private Processes() {
  }

  static void run(Deployment d, int n, boolean quick, Report report) {
    String row = String.format("processes %,d × true (runs/s)", n);
    Benchmark.log("%s — %s", d.label, row);
    d.reset();
    WarmUp warmUp = WarmUp.at(WARM_RATE, quick ? 1_000 : 10_000, d, 1_000);
    long due = warmUp.burstDue();
    List<JobRows.JobRow> rows = new ArrayList<>(warmUp.rows("pw", "true"));
    rows.addAll(JobRows.allAt("p", n, "true", due));
    long insertMs = JobRows.insert(d.pool(), rows);
    d.start(true, List.of());
    JsonObject warmData = warmUp.data(System.currentTimeMillis());
    JsonObject data = new JsonObject().put("jobs", n).put("insert_ms", insertMs).put("warmup", warmData);
    boolean warm = warmUp.awaitRecorded(d, warmData);
    Sync.sleepUntil(due);
    long done = d.awaitHistory(warmUp.fires() + n, due + 120_000);
    Map<String, Long> statuses = d.statusCounts("p-");
    d.stopNodes();
    data.put("history_by_status", new JsonObject(Map.copyOf(statuses))).put("timeline", d.timeline("p-", due));
    if (done < 0) {
      report.add(new Result(d.label, row, "timeout", false, data.put("timed_out", true)));
      return;
    }
    double rate = n / ((done - due) / 1000.0);
    data.put("drain_ms", done - due).put("runs_per_s", Math.round(rate));
    String cell = String.format("%,.0f", rate);
    Boolean met = rate >= 650;
    if (!warm) {
      cell += " (warm-up unrecorded at the burst)";
      met = false;
    }
    report.add(new Result(d.label, row, cell, met, data));
  }
}
