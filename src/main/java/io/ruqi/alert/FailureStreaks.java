package io.ruqi.alert;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ruqi.events.RuqiEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts, per job, the fires that failed in a row, and shows them on {@code /metrics} as two gauges without a job
 * label (a label per job would make a time series per job): how many jobs are failing now, and the longest streak.
 * A fire counts as {@link AlertNotifier} counts it for {@code alert_after}: failed, timed out or interrupted after
 * its retries; a success ends the streak; missed and skipped fires pass. It listens to the whole cluster's events,
 * so that a job whose fires alternate between the nodes of a pair still has one streak (each node then shows the
 * same: alert on the maximum). Streaks are counted from the node's start.
 */
public final class FailureStreaks {
  private static final Set<String> FAILURES = Set.of("fire_failed", "fire_timeout", "fire_interrupted");
  /**
   * Streaks kept at most: a store of a million HTTP jobs whose target is down would otherwise hold a million
   * entries. Beyond it new failing jobs are not counted; the gauges then say "at least".
   */
  static final int MOST_TRACKED = 100_000;

  private final Vertx vertx;
  /** Only jobs in a streak: a success or a removal drops the entry, so this holds no more than the failing jobs. */
  private final Map<String, Integer> streaks = new HashMap<>();
  /** How many jobs have each streak length, so that the longest is found without a scan at every fire. */
  private final TreeMap<Integer, Integer> lengths = new TreeMap<>();
  private MessageConsumer<JsonObject> consumer;
  private volatile int failing;
  private volatile int longest;

  public FailureStreaks(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    Gauge.builder("ruqi.jobs.failing", () -> failing)
        .description("Jobs whose last fire failed (after its retries), seen since this node started")
        .register(registry);
    Gauge.builder("ruqi.failure.streak.max", () -> longest)
        .description("The most fires in a row that one job has failed, among the jobs failing now")
        .register(registry);
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(RuqiEvents.ADDRESS, m -> onEvent(m.body()));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  void onEvent(JsonObject event) {
    String name = event.getString("event", "");
    String job = event.getString("job_id");
    if (job == null) {
      return;
    }
    if (FAILURES.contains(name) && event.getBoolean("final", true)) {
      if (streaks.size() >= MOST_TRACKED && !streaks.containsKey(job)) {
        return;
      }
      int before = streaks.merge(job, 1, Integer::sum) - 1;
      forget(before);
      lengths.merge(before + 1, 1, Integer::sum);
    } else if (name.equals("fire_succeeded") || name.equals("job_removed")) {
      forget(streaks.remove(job));
    } else {
      return;
    }
    failing = streaks.size();
    longest = lengths.isEmpty() ? 0 : lengths.lastKey();
  }

  private void forget(Integer length) {
    if (length != null && length > 0) {
      lengths.computeIfPresent(length, (k, jobs) -> jobs == 1 ? null : jobs - 1);
    }
  }
}
