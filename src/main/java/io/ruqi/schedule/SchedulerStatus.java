package io.ruqi.schedule;

import io.ruqi.worker.RemoteRuns;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * The answer to {@code scheduler_status}: RuQi's fields ({@code check_time}, {@code next_wakeup_time} — the heap's
 * head, or the store's earliest fire beyond the window — and {@code wait_seconds}) and ruqi's own.
 */
final class SchedulerStatus {
  private final SchedulerVerticle.Deps deps;
  private final Timeline timeline;
  private final SchedulerPeers peers;
  private final FireDispatcher dispatcher;
  private final StoreHealth health;
  private final ClockSkew skew;
  private final RemoteRuns remote;

  SchedulerStatus(SchedulerVerticle.Deps deps, Timeline timeline, SchedulerPeers peers, FireDispatcher dispatcher,
                  StoreHealth health, ClockSkew skew, RemoteRuns remote) {
    this.remote = remote;
    this.deps = deps;
    this.timeline = timeline;
    this.peers = peers;
    this.dispatcher = dispatcher;
    this.health = health;
    this.skew = skew;
  }

  Future<JsonObject> status() {
    FireQueue.Entry head = timeline.head();
    Future<Instant> next = head != null ? Future.succeededFuture(head.due()) : deps.jobs().earliestNextRunTime();
    return next.map(wakeup -> statusWith(wakeup, head));
  }

  private JsonObject statusWith(Instant wakeup, FireQueue.Entry head) {
    Instant now = deps.clock().instant();
    Instant checkTime = timeline.checkTime();
    return new JsonObject()
        .put("check_time", checkTime == null ? null : checkTime.toEpochMilli())
        .put("next_wakeup_time", wakeup == null ? null : wakeup.toEpochMilli())
        .put("wait_seconds", wakeup == null ? null : Math.max(0, wakeup.toEpochMilli() - now.toEpochMilli()) / 1000.0)
        .put("paused", timeline.paused())
        .put("heap_size", timeline.size())
        .put("schedulers", peers.size(now))
        .put("in_flight", dispatcher.inFlight())
        .put("history_queue", deps.history().queued())
        .put("store_errors", health.errors())
        .put("store_ok", health.reachable())
        .put("clock_skew_ms", skew.skew().toMillis())
        .put("lateness", dispatcher.lateness().summary())
        .put("current_lateness_ms", head == null ? 0 : Math.max(0, now.toEpochMilli() - head.due().toEpochMilli()))
        .put("workers", remote.workers());
  }
}
