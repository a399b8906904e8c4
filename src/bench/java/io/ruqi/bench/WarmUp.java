package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The fires a burst scenario sends through the same path first, so that the burst meets a warm node (see
 * {@link Drain} for what a cold one measured): {@code fires} one-shots at {@code ratePerS}, from {@code fromMs} for
 * {@code ms}; the burst is due {@link #GAP_MS} after the last of them.
 */
record WarmUp(int fires, int ratePerS, long fromMs, long ms) {
  static final long GAP_MS = 8_000;

  /** {@code ms} of fires at {@code ratePerS}, from {@code leadMs} after the start. */
  static WarmUp at(int ratePerS, long ms, Deployment d, long leadMs) {
    return new WarmUp((int) (ratePerS * ms / 1000), ratePerS, d.dueAfterStart() + leadMs, ms);
  }

  long burstDue() {
    return fromMs + ms + GAP_MS;
  }

  List<JobRows.JobRow> rows(String series, String cmd) {
    return JobRows.spread(series, fires, cmd, fromMs, ratePerS);
  }

  /** What results.json says of it, the node ready at {@code readyAt}. */
  JsonObject data(long readyAt) {
    return new JsonObject().put("fires", fires).put("rate_per_s", ratePerS).put("ms", ms).put("ready_before_first_ms",
        fromMs - readyAt).put("gap_before_burst_ms", GAP_MS);
  }

  /**
   * Waits for the warm-up's rows, up to just before the burst; notes in {@code data} whether and when they were all
   * recorded. A burst that shared the store with the warm-up's last rows is a figure, but not its scenario's.
   */
  boolean awaitRecorded(Deployment d, JsonObject data) {
    Sync.sleepUntil(fromMs + ms);
    long recorded = d.awaitHistory(fires, burstDue() - 500);
    data.put("recorded_before_burst", recorded >= 0)
        .put("recorded_ms_after_its_last_fire", recorded < 0 ? null : recorded - (fromMs + ms));
    return recorded >= 0;
  }
}
