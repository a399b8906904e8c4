package io.ruqi.alert;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ruqi.events.RuqiEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * its retries; a success ends the streak; missed and skipped fires pass. It counts the whole cluster's fires, so
 * that a job whose fires alternate between the nodes of a pair still has one streak (each node then shows the same:
 * alert on the maximum). Streaks are counted from the node's start.
 *
 * <p>Each node reads its own events and tells the others only what changes a streak: a failure, the success that
 * ends a streak, a job's removal. Reading every peer's {@code ruqi.events} instead sent each fire's two events to
 * every other node over the cluster's TLS, for successes that change nothing (in a pair, two more encrypted messages
 * per fire than the fire's own). A success on one node crossing the failure it ends from the other (the same job
 * fired on both within the message's few milliseconds) can leave that job counted failing until its next fire.
 */
public final class FailureStreaks {
  private static final Set<String> FAILURES = Set.of("fire_failed", "fire_timeout", "fire_interrupted");
  /** The events that change a streak, from every node to every node (itself included). */
  static final String SHARED = "ruqi.internal.failure.streaks";
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
  private MessageConsumer<JsonObject> own;
  private MessageConsumer<JsonObject> shared;
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
    // both handlers on one context: the counts are confined to its thread
    Promise<Void> started = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      own = vertx.eventBus().localConsumer(RuqiEvents.ADDRESS, m -> {
        if (changesAStreak(m.body())) {
          vertx.eventBus().publish(SHARED, m.body());
        }
      });
      shared = vertx.eventBus().consumer(SHARED, m -> onEvent(m.body()));
      Future.all(own.completion(), shared.completion()).<Void>mapEmpty().onComplete(started);
    });
    return started.future();
  }

  public Future<Void> stop() {
    return Future.all(own == null ? Future.succeededFuture() : own.unregister(),
        shared == null ? Future.succeededFuture() : shared.unregister()).mapEmpty();
  }

  /**
   * Whether the cluster must hear of this event of this node: every node tracks the same streaks (each hears every
   * failure), so a success only matters for a job tracked here, or for any job while the tracking is full.
   */
  boolean changesAStreak(JsonObject event) {
    String name = event.getString("event", "");
    String job = event.getString("job_id");
    if (job == null) {
      return false;
    }
    if (FAILURES.contains(name)) {
      return event.getBoolean("final", true);
    }
    if (name.equals("fire_succeeded")) {
      return streaks.containsKey(job) || streaks.size() >= MOST_TRACKED;
    }
    return name.equals("job_removed");
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
