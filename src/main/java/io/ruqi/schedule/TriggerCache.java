package io.ruqi.schedule;

import io.ruqi.store.Job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed triggers by what defines them, so a job that fires every second is not re-parsed every second. Bounded
 * (least recently used out); confined to one thread.
 */
final class TriggerCache {
  private static final int MAX = 10_000;

  private final Map<String, Trigger> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Trigger> eldest) {
      return size() > MAX;
    }
  };

  Trigger of(Job job) {
    String key = job.trigger() + '|' + job.rule() + '|' + job.zone().getId() + '|' + job.startDate() + '|'
        + job.endDate() + '|' + job.anchor();
    Trigger t = cache.get(key);
    if (t == null) {
      t = JobTriggers.of(job);
      cache.put(key, t);
    }
    return t;
  }
}
