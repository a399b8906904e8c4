package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * drain: n one-shot jobs all due at the same instant, stored before the nodes start; fires per second from that
 * instant until the last run is in the history. Jobs send to the event-bus no-op consumer.
 *
 * <p>The burst meets a warm node ({@link WarmUp}): 60 s of one-shots ({@code --warm-s}), {@link #WARM_RATE}/s
 * ({@link #WARM_RATE_EMBEDDED}/s on the embedded store, whose history does not keep up with more here), go through the
 * same path first (claims, the event bus to the same target, history rows, done jobs removed), and the burst is due
 * {@link WarmUp#GAP_MS} after the last of them. Started right before the burst, a node compiled its hot paths during
 * it: in the drain of 50,000 the JIT's compiler threads took 40 % of the two cores in the node and as much again in
 * this JVM (the target), and the first fire of 5,000 left 1.5 s late, most of it the first TLS handshake of the
 * cluster's event bus to the target, run by code not yet compiled. That measured the JVM's start, not the
 * scheduler; the job_add scenario warms up for the same reason. After 10 s of warm-up it still did: during the
 * burst of 50,000 the node's C2 compiler thread used as much CPU as its event loop (4.4 against 3.9 s, one node;
 * 8.4 against 6.9 s over the pair's two JVMs, which compile the same code twice on the same two cores); after 60 s,
 * 1.4 against 3.8 s (one node) and 3.3 against 3.9 s (the pair): a burst runs paths that fires at 1,000/s do not
 * (full read-aheads, claims and history writes of the largest batches). So the warm-up also has a first burst,
 * {@link #WARM_BURST} (or {@code n}, if fewer) due at once halfway through it, and the burst measured is the second,
 * as a warm-up iteration precedes a measured one.
 */
final class Drain {
  static final int WARM_RATE = 1_000;
  static final int WARM_BURST = 5_000;
  static final int WARM_RATE_EMBEDDED = 500;

  private Drain() {
  }

  /** @param warmMs how long the warm-up's fires last ({@link Benchmark}'s {@code --warm-s}) */
  static void run(Deployment d, int n, long warmMs, Report report) {
    String row = String.format("drain %,d (fires/s)", n);
    Benchmark.log("%s — %s", d.label, row);
    d.reset();
    // the same warm-up for each node: the pair's nodes, each taking half the fires, were still compiling in the burst
    int rate = (d.store == Deployment.Store.EMBEDDED ? WARM_RATE_EMBEDDED : WARM_RATE) * d.nodeCount;
    int warmBurst = Math.min(n, WARM_BURST * d.nodeCount);
    // the rows of the warm-up and the burst are inserted before the start: a tenth of a millisecond each
    WarmUp warmUp = WarmUp.at(rate, warmMs, d, 1_000 + (n + warmBurst + rate * warmMs / 1000) / 10)
        .withBurst(warmBurst);
    long due = warmUp.burstDue();
    String series = "d" + n;
    List<JobRows.JobRow> rows = new ArrayList<>(warmUp.rows("w" + n, Target.EVENTBUS_CMD));
    rows.addAll(JobRows.allAt(series, n, Target.EVENTBUS_CMD, due));
    long insertMs = JobRows.insert(d.pool(), rows);
    d.start(true, List.of());
    JsonObject warmData = warmUp.data(System.currentTimeMillis());
    JsonObject data = new JsonObject().put("jobs", n).put("insert_ms", insertMs).put("start_ms", d.lastStartMs)
        .put("warmup", warmData);
    boolean warm = warmUp.awaitRecorded(d, warmData);
    Sync.sleepUntil(due);
    CpuUse cpu = CpuUse.start(d);
    long deadline = due + Math.max(60_000, n * 4L);
    Recorder.Series seen = d.target.recorder.series(series);
    // the history is counted once the target has every fire: counting it all along loaded the store under test
    while (seen.count() < n && System.currentTimeMillis() < deadline) {
      Sync.sleep(20);
    }
    long done = d.awaitHistory(warmUp.fires() + n, deadline);
    data.put("cpu_from_due_to_history", cpu.stop());
    Map<String, Long> statuses = d.statusCounts(series + "-");
    JsonObject claims = d.claimsByNode();
    d.saveMetrics("drain-" + n);
    d.stopNodes();
    data.put("history_by_status", new JsonObject(Map.copyOf(statuses))).put("claims_by_node", claims)
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
    double firesPerS = n / seconds;
    // the burst's wall-clock window, to read a recording (--jfr) of it alone
    data.put("due_epoch_ms", due).put("drain_ms", done - due).put("fires_per_s", Math.round(firesPerS));
    // #12's targets: one node on MariaDB 6,000/s (5,000 due) and 8,000/s (50,000), embedded 5,000/s (50,000); the
    // pair's (95 % of one node) is read against the one node's row
    Boolean met = null;
    if (d.nodeCount == 1 && d.store == Deployment.Store.MARIADB) {
      met = firesPerS >= (n > 5_000 ? 8_000 : 6_000);
    } else if (d.nodeCount == 1 && n > 5_000) {
      met = firesPerS >= 5_000;
    }
    String cell = String.format("%,.0f", firesPerS);
    if (!warm) {
      cell += " (warm-up unrecorded at the burst)";
      met = met == null ? null : false;
    }
    report.add(new Result(d.label, row, cell, met, data));
  }
}
