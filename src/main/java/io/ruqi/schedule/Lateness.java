package io.ruqi.schedule;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/** How late the last runs started (run start − scheduled time), over a sliding window, for the status. */
final class Lateness {
  private static final int WINDOW = 1024;

  private final long[] millis = new long[WINDOW];
  private int count;
  private int next;

  void record(long lateMillis) {
    millis[next] = lateMillis;
    next = (next + 1) % WINDOW;
    count = Math.min(WINDOW, count + 1);
  }

  JsonObject summary() {
    if (count == 0) {
      return new JsonObject().put("samples", 0);
    }
    long[] sorted = Arrays.copyOf(millis, count);
    Arrays.sort(sorted);
    return new JsonObject()
        .put("samples", count)
        .put("last_ms", millis[(next - 1 + WINDOW) % WINDOW])
        .put("p50_ms", sorted[(int) Math.floor(0.50 * (count - 1))])
        .put("p99_ms", sorted[(int) Math.floor(0.99 * (count - 1))])
        .put("max_ms", sorted[count - 1]);
  }
}
