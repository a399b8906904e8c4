package io.ruqi.alert;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ruqi.events.RuqiEvents;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Counts, per job, the fires that failed in a row, and shows them on {@code /metrics} as two gauges without a job
 * label (a label per job would make a time series per job): how many jobs are failing now, and the longest streak.
 * A fire counts as {@link AlertNotifier} counts it for {@code alert_after}: failed, timed out or interrupted after
 * its retries; a success ends the streak; missed and skipped fires pass. It counts the whole cluster's fires, so
 * that a job whose fires alternate between the nodes of a pair still has one streak (each node then shows the same:
 * alert on the maximum). A node that starts takes the streaks a peer counts; alone, it counts from its start.
 *
 * <p>Each node reads its own events and tells the others only what changes a streak: a failure, the success that
 * ends a streak, a job's removal (a one-shot's once done only if it ends a streak). Reading every peer's
 * {@code ruqi.events} instead sent each fire's two events to every other node over the cluster's TLS, for successes
 * that change nothing (in a pair, two more encrypted messages per fire than the fire's own). A success on one node
 * crossing the failure it ends from the other (the same job fired on both within the message's few milliseconds)
 * can leave that job counted failing until its next fire.
 */
public final class FailureStreaks {
  private static final Set<String> FAILURES = Set.of("fire_failed", "fire_timeout", "fire_interrupted");
  /** The events of one node that change a streak, to the others. */
  static final String SHARED = "ruqi.internal.failure.streaks";
  /** A starting node's question: the streaks counted so far. */
  static final String ASK = "ruqi.internal.failure.streaks.ask";
  private static final String ORIGIN = "ruqi-streak-origin";
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
  /** Which node an event on {@link #SHARED} came from: a node counted its own already. */
  private final String origin = UUID.randomUUID().toString();
  private volatile MessageConsumer<JsonObject> own;
  private volatile MessageConsumer<JsonObject> shared;
  private volatile MessageConsumer<JsonObject> ask;
  private volatile boolean stopped;
  private Context context;
  /** Until a peer's streaks are in: every success is told, and the streaks that end are not taken back. */
  private boolean learning = true;
  private final Set<String> endedWhileLearning = new HashSet<>();
  private volatile int failing;
  private volatile int longest;

  public FailureStreaks(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    Gauge.builder("ruqi.jobs.failing", () -> failing)
        .description("Jobs whose last fire failed (after its retries), over the cluster")
        .register(registry);
    Gauge.builder("ruqi.failure.streak.max", () -> longest)
        .description("The most fires in a row that one job has failed, among the jobs failing now")
        .register(registry);
  }

  public Future<Void> start() {
    // every handler on one context: the counts are confined to its thread
    context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      own = vertx.eventBus().localConsumer(RuqiEvents.ADDRESS,
          m -> onOwnEvent(m.body(), m.headers().contains(RuqiEvents.REMOVED_DONE)));
      shared = vertx.eventBus().consumer(SHARED, m -> {
        if (!origin.equals(m.headers().get(ORIGIN))) {
          onEvent(m.body());
        }
      });
      Future.all(own.completion(), shared.completion()).<Void>mapEmpty().onComplete(started)
          // asked once the peers can tell this node what changes after their answer
          .onComplete(ar -> learnFromAPeer());
    });
    return started.future();
  }

  /**
   * A node counts its own events at once, in their order, and then tells the others: counted only as they came
   * back from the cluster, a failure's own success could be read before it and be kept from the others.
   */
  private void onOwnEvent(JsonObject event, boolean removedDone) {
    boolean share = changesAStreak(event, removedDone);
    onEvent(event);
    if (share) {
      JsonObject slim = new JsonObject().put("event", event.getString("event")).put("job_id", event.getString("job_id"))
          .put("final", event.getBoolean("final", true));
      vertx.eventBus().publish(SHARED, slim, new DeliveryOptions().addHeader(ORIGIN, origin));
    }
  }

  /**
   * A node that starts asks one peer for the streaks it counts: without them, a success here of a job that failed
   * before this start would not be told, and the others would count that job failing until it failed again. Until
   * the answer is in, every success here is told, and a streak that ended here meanwhile is not taken back from
   * the answer. Its own answers to later nodes come after, so that the question does not reach itself.
   */
  private void learnFromAPeer() {
    vertx.eventBus().<JsonObject>request(ASK, new JsonObject(), new DeliveryOptions().setSendTimeout(5_000))
        .onSuccess(reply -> reply.body().forEach(e -> {
          if (e.getValue() instanceof Number length) {
            learn(e.getKey(), length.intValue());
          }
        }))
        .onComplete(ar -> {
          learning = false;
          endedWhileLearning.clear();
          if (!stopped) {
            ask = vertx.eventBus().consumer(ASK, m -> m.reply(new JsonObject(new HashMap<>(streaks))));
          }
        });
  }

  /** A peer's streak of {@code job}: kept where it is the longer (the peer heard more of the job's failures). */
  void learn(String job, int length) {
    Integer mine = streaks.get(job);
    if (length <= 0 || mine != null && mine >= length || mine == null && streaks.size() >= MOST_TRACKED
        || endedWhileLearning.contains(job)) {
      return;
    }
    streaks.put(job, length);
    forget(mine);
    lengths.merge(length, 1, Integer::sum);
    failing = streaks.size();
    longest = lengths.lastKey();
  }

  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    // on the handlers' context, after whatever it runs now: no consumer is registered behind this
    Promise<Void> stoppedAll = Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      Future.all(List.of(unregister(own), unregister(shared), unregister(ask))).<Void>mapEmpty()
          .onComplete(stoppedAll);
    });
    return stoppedAll.future();
  }

  private static Future<Void> unregister(MessageConsumer<?> consumer) {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * Whether the cluster must hear of this event of this node: every node tracks the same streaks (each hears every
   * failure), so a success, or the removal of a one-shot done ({@code removedDone}), only matters for a job tracked
   * here, or for any job while the tracking is full. Telling every such removal sent a message to each peer per fire
   * of a one-shot. A removal through the API is told whatever the job: rare, and its streak (a failure on its way
   * from a peer) would not end at a next fire.
   */
  boolean changesAStreak(JsonObject event, boolean removedDone) {
    String name = event.getString("event", "");
    String job = event.getString("job_id");
    if (job == null) {
      return false;
    }
    if (FAILURES.contains(name)) {
      return event.getBoolean("final", true);
    }
    if (name.equals("fire_succeeded") || name.equals("job_removed") && removedDone) {
      return learning || streaks.containsKey(job) || streaks.size() >= MOST_TRACKED;
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
      if (learning) {
        endedWhileLearning.add(job);
      }
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
