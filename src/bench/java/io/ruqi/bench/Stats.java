package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/** A growable list of longs and the percentiles the report shows (nearest-rank). */
final class Stats {
  private long[] values = new long[1024];
  private int size;

  synchronized void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  synchronized int size() {
    return size;
  }

  synchronized long[] sorted() {
    long[] out = Arrays.copyOf(values, size);
    Arrays.sort(out);
    return out;
  }

  /** Nearest-rank percentile of sorted values; -1 when empty. */
  static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** p50, p90, p99, max (and count) of these values, in the unit they were recorded in. */
  JsonObject summary(String unit) {
    long[] s = sorted();
    return new JsonObject().put("count", s.length)
        .put("p50_" + unit, pct(s, 50)).put("p90_" + unit, pct(s, 90)).put("p99_" + unit, pct(s, 99))
        .put("max_" + unit, s.length == 0 ? -1 : s[s.length - 1]);
  }
}
