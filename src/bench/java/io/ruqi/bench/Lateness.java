package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * lateness: {@code count} fires at {@code rate} per second, due times spread evenly, once to the event-bus no-op
 * consumer and then (after a gap) to the HTTP sink; each preceded by 2 s of warm-up fires at the same rate that
 * are not counted. Lateness = arrival at the target − scheduled time, in ms.
 *
 * <p>Before all that, the node warms up as in {@link Drain}: {@code preWarmMs} (the drain's warm-up) of fires to both
 * targets at {@link Drain#WARM_RATE}/s ({@link Drain#WARM_RATE_EMBEDDED}/s on the embedded store), or at {@code rate}
 * if it is lower, and a gap. With only the 2 s before it, the event-bus phase met a node whose cluster TLS and send path
 * were still being compiled: at 2,000/s it had p90 0.3–0.8 s while the node's own start lateness was 2 ms at p99,
 * and the HTTP phase after it, on the same node, 4 ms.
 */
final class Lateness {
  private static final long WARM_MS = 2_000;
  private static final long GAP_MS = 3_000;

  private Lateness() {
  }

  static void run(Deployment d, int count, int rate, long preWarmMs, Report report) {
    Benchmark.log("%s — lateness %,d fires at %,d/s", d.label, count, rate);
    d.reset();
    long durationMs = count * 1000L / rate;
    int warm = (int) (rate * WARM_MS / 1000);
    // each node as many fires as one node would get, as in Drain (up to the scenario's own rate)
    int preRate = Math.min(rate,
        (d.store == Deployment.Store.EMBEDDED ? Drain.WARM_RATE_EMBEDDED : Drain.WARM_RATE) * d.nodeCount);
    int pre = (int) (preRate / 2 * preWarmMs / 1000);
    long insertAllowance = 1_000 + (2L * (count + warm + pre)) / 10;
    long preStart = d.dueAfterStart() + insertAllowance;
    long ebStart = preStart + preWarmMs + GAP_MS + WARM_MS;
    long httpStart = ebStart + durationMs + GAP_MS + WARM_MS;
    String http = d.target.httpCmd();
    List<JobRows.JobRow> rows = new ArrayList<>();
    rows.addAll(JobRows.spread("peb", pre, Target.EVENTBUS_CMD, preStart, preRate / 2));
    rows.addAll(JobRows.spread("pht", pre, http, preStart + 1, preRate / 2));
    rows.addAll(JobRows.spread("web", warm, Target.EVENTBUS_CMD, ebStart - WARM_MS, rate));
    rows.addAll(JobRows.spread("leb", count, Target.EVENTBUS_CMD, ebStart, rate));
    rows.addAll(JobRows.spread("wht", warm, http, httpStart - WARM_MS, rate));
    rows.addAll(JobRows.spread("lht", count, http, httpStart, rate));
    d.target.recorder.clear();
    JobRows.insert(d.pool(), rows);
    d.start(true, List.of());
    long readyBefore = preStart - System.currentTimeMillis();
    long end = httpStart + durationMs;
    Sync.sleepUntil(ebStart);
    CpuUse cpu = CpuUse.start(d);
    Sync.sleepUntil(end);
    JsonObject cpuUse = cpu.stop();
    long deadline = end + 60_000;
    while (System.currentTimeMillis() < deadline
        && (d.target.recorder.series("leb").count() < count || d.target.recorder.series("lht").count() < count)) {
      Sync.sleep(100);
    }
    d.awaitHistory(rows.size(), deadline);
    JsonObject nodeView = new JsonObject();
    for (int i = 0; i < d.nodes.size(); i++) {
      nodeView.put(d.nodes.get(i).name, d.nodeLateness(i));
    }
    JsonObject claims = d.claimsByNode();
    d.saveMetrics("lateness-" + rate);
    Map<String, Long> statuses = d.statusCounts();
    d.stopNodes();
    // #12's targets: p99 within 5 ms at 200/s everywhere; at 2,000/s within 50 ms embedded, 20 ms on MariaDB
    long limit = rate <= 200 ? 5 : d.store == Deployment.Store.EMBEDDED ? 50 : 20;
    for (String[] t : new String[][] {{"leb", "event bus"}, {"lht", "HTTP sink"}}) {
      Recorder.Series s = d.target.recorder.series(t[0]);
      JsonObject data = s.lateMs.summary("ms").put("expected", count).put("rate_per_s", rate)
          .put("duplicates", s.duplicates()).put("target", t[1]).put("ready_before_first_warmup_ms", readyBefore)
          .put("pre_warmup", new JsonObject().put("fires", 2 * pre).put("rate_per_s", preRate)
              .put("ms", preWarmMs))
          .put("history_by_status", new JsonObject(Map.copyOf(statuses)))
          .put("node_lateness_last_1024_fires", nodeView).put("claims_by_node", claims)
          .put("cpu_measured_phases", cpuUse).put("event_bus_phase_epoch_ms", ebStart)
          .put("http_phase_epoch_ms", httpStart).put("phase_ms", durationMs);
      String row = String.format("lateness %,d/s → %s p50/p90/p99/max ms", rate, t[1]);
      String cell = String.format("%d/%d/%d/%d", data.getLong("p50_ms"), data.getLong("p90_ms"),
          data.getLong("p99_ms"), data.getLong("max_ms"));
      if (s.count() < count) {
        cell += String.format(" (only %,d/%,d)", s.count(), count);
      }
      boolean met = s.count() == count && data.getLong("p99_ms") <= limit;
      report.add(new Result(d.label, row, cell, met, data));
    }
  }
}
