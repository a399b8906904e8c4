package io.ruqi.api;

import io.ruqi.schedule.TimeFormats;
import io.ruqi.store.HistoryBuckets;
import io.ruqi.store.HistoryStore;
import io.ruqi.store.LatenessHistogram;
import io.ruqi.store.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code history_stats}: the history of the last hour or day in time buckets (history rows by status, lateness
 * p50/p99 of first attempts), what the console draws. Read from the store, so every node of a pair answers the same
 * and a restart loses nothing; the windows are fixed so that the number of buckets is bounded.
 */
final class HistoryStats {
  /** A window and its bucket width: 60 one-minute buckets, or 96 of a quarter of an hour. */
  enum Window {
    HOUR("1h", 3_600, 60),
    DAY("24h", 86_400, 900);

    final String wire;
    final int seconds;
    final int bucketSeconds;

    Window(String wire, int seconds, int bucketSeconds) {
      this.wire = wire;
      this.seconds = seconds;
      this.bucketSeconds = bucketSeconds;
    }

    static Window parse(String text) {
      if (text == null || text.isBlank()) {
        return HOUR;
      }
      return Arrays.stream(values()).filter(w -> w.wire.equals(text.strip())).findFirst()
          .orElseThrow(() -> ApiException.badParams("window must be 1h or 24h (got '" + text + "')"));
    }
  }

  private final HistoryStore store;
  private final Clock clock;
  private final ZoneId serviceZone;

  HistoryStats(HistoryStore store, Clock clock, ZoneId serviceZone) {
    this.store = store;
    this.clock = clock;
    this.serviceZone = serviceZone;
  }

  Future<Object> stats(Params p) {
    Window window = Window.parse(p.optionalString("window", 8));
    int width = window.bucketSeconds;
    // buckets on whole minutes (quarters), the current one last, so that a refresh moves the chart by whole buckets
    long to = (Math.floorDiv(clock.instant().getEpochSecond(), width) + 1) * width;
    Instant from = Instant.ofEpochSecond(to - window.seconds);
    int count = window.seconds / width;
    return store.buckets(from, Instant.ofEpochSecond(to), width).map(cells -> {
      Map<Integer, JsonObject> counts = new HashMap<>();
      Map<Integer, LatenessHistogram> lateness = new HashMap<>();
      for (HistoryBuckets.Cell cell : cells) {
        if (cell.bucket() < 0 || cell.bucket() >= count) {
          continue; // the range is half-open on whole buckets; this only guards against a rounding surprise
        }
        JsonObject c = counts.computeIfAbsent(cell.bucket(), b -> new JsonObject());
        c.put(cell.status(), c.getLong(cell.status(), 0L) + cell.count());
        if (cell.lateClass() != null) {
          lateness.computeIfAbsent(cell.bucket(), b -> new LatenessHistogram()).add(cell.lateClass(), cell.count());
        }
      }
      JsonArray buckets = new JsonArray();
      for (int b = 0; b < count; b++) {
        Instant start = from.plusSeconds((long) b * width);
        JsonObject byStatus = counts.getOrDefault(b, new JsonObject());
        LatenessHistogram late = lateness.get(b);
        buckets.add(new JsonObject()
            .put("time", start.getEpochSecond())
            .put("start", TimeFormats.format(start, serviceZone))
            .put("counts", byStatus)
            .put("runs", byStatus.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum())
            .put("lateness_p50_ms", late == null ? null : round(late.quantileMs(0.5)))
            .put("lateness_p99_ms", late == null ? null : round(late.quantileMs(0.99))));
      }
      JsonArray statuses = new JsonArray();
      Arrays.stream(RunStatus.values()).forEach(s -> statuses.add(s.wire()));
      return new JsonObject()
          .put("window", window.wire)
          .put("bucket_seconds", width)
          .put("from", TimeFormats.format(from, serviceZone))
          .put("to", TimeFormats.format(Instant.ofEpochSecond(to), serviceZone))
          .put("statuses", statuses)
          .put("buckets", buckets);
    });
  }

  private static Double round(Double ms) {
    return ms == null ? null : Math.round(ms * 10) / 10.0;
  }
}
