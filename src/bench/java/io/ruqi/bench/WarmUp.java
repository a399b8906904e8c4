package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The fires a burst scenario sends through the same path first, so that the burst meets a warm node (see
 * {@link Drain} for what a cold one measured): {@code spread} one-shots at {@code ratePerS}, from {@code fromMs} for
 * {@code ms}, and {@code burst} more all due halfway (a first burst, as a warm-up iteration of the measured one); the
 * measured burst is due {@link #GAP_MS} after the last of them.
 */
record WarmUp(int spread, int burst, int ratePerS, long fromMs, long ms) {
  static final long GAP_MS = 8_000;

  /** {@code ms} of fires at {@code ratePerS}, from {@code leadMs} after the start. */
  static WarmUp at(int ratePerS, long ms, Deployment d, long leadMs) {
    return new WarmUp((int) (ratePerS * ms / 1000), 0, ratePerS, d.dueAfterStart() + leadMs, ms);
  }

  /** The same with {@code fires} more due at once halfway through. */
  WarmUp withBurst(int fires) {
    return new WarmUp(spread, fires, ratePerS, fromMs, ms);
  }

  /** Every fire of the warm-up. */
  int fires() {
    return spread + burst;
  }

  long burstDue() {
    return fromMs + ms + GAP_MS;
  }

  List<JobRows.JobRow> rows(String series, String cmd) {
    List<JobRows.JobRow> rows = new ArrayList<>(JobRows.spread(series, spread, cmd, fromMs, ratePerS));
    rows.addAll(JobRows.allAt(series + "b", burst, cmd, fromMs + ms / 2));
    return rows;
  }

  /** What results.json says of it, the node ready at {@code readyAt}. */
  JsonObject data(long readyAt) {
    return new JsonObject().put("fires", spread).put("rate_per_s", ratePerS).put("ms", ms)
        .put("burst_halfway", burst).put("ready_before_first_ms", fromMs - readyAt).put("gap_before_burst_ms", GAP_MS);
  }

  /**
   * Waits for the warm-up's rows, up to just before the burst; notes in {@code data} whether and when they were all
   * recorded. A burst that shared the store with the warm-up's last rows is a figure, but not its scenario's.
   */
  boolean awaitRecorded(Deployment d, JsonObject data) {
    Sync.sleepUntil(fromMs + ms);
    long recorded = d.awaitHistory(fires(), burstDue() - 500);
    data.put("recorded_before_burst", recorded >= 0)
        .put("recorded_ms_after_its_last_fire", recorded < 0 ? null : recorded - (fromMs + ms));
    return recorded >= 0;
  }
}
