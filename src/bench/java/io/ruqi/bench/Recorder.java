package io.ruqi.bench;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the benchmark's targets (the event-bus no-op consumer and the HTTP sink) saw: for each fire, when it arrived
 * (System.currentTimeMillis() on receipt) against its scheduled time, taken from the fire id
 * {@code <job_id>@<fire epoch ms>}. Job ids are {@code <series>-<n>}: fires are grouped by series, and a series that
 * nobody asked for (warm-up fires) is counted but not reported.
 */
final class Recorder {

  static final class Series {
    final Stats lateMs = new Stats();
    private final Set<String> seen = new HashSet<>();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private int duplicates;

    synchronized void add(String fireId, long lateMs, long now) {
      if (!seen.add(fireId)) {
        duplicates++;
        return;
      }
      this.lateMs.add(lateMs);
      first = Math.min(first, now);
      last = Math.max(last, now);
    }

    synchronized int count() {
      return seen.size();
    }

    synchronized int duplicates() {
      return duplicates;
    }

    synchronized long first() {
      return first;
    }

    synchronized long last() {
      return last;
    }
  }

  private final Map<String, Series> series = new ConcurrentHashMap<>();

  Series series(String name) {
    return series.computeIfAbsent(name, n -> new Series());
  }

  void clear() {
    series.clear();
  }

  /** Records one fire received now; ignores what is not a fire id. */
  void record(String fireId, long now) {
    if (fireId == null) {
      return;
    }
    int at = fireId.lastIndexOf('@');
    int dash = fireId.indexOf('-');
    if (at <= 0 || dash <= 0 || dash > at) {
      return;
    }
    long fireMs;
    try {
      fireMs = Long.parseLong(fireId.substring(at + 1));
    } catch (NumberFormatException e) {
      return;
    }
    series(fireId.substring(0, dash)).add(fireId, now - fireMs, now);
  }
}
