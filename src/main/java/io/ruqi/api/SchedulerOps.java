package io.ruqi.api;

import io.ruqi.events.RuqiEvents;
import io.ruqi.schedule.SchedulerBus;
import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.schedule.SchedulerBus.RunNow;
import io.ruqi.schedule.SchedulerBus.RunNowReply;
import io.ruqi.schedule.TimeFormats;
import io.ruqi.store.SchedulerSwitch;
import io.ruqi.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The operations answered by this node's scheduler: {@code scheduler_status} (each node answers for itself, as in
 * RuQi), {@code scheduler_wakeup} and {@code job_run}; and the whole scheduler's switch, {@code scheduler_pause}
 * and {@code scheduler_resume} (APScheduler's and flask-apscheduler's maintenance switch), kept in the store so
 * that it holds on every node.
 */
final class SchedulerOps {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);

  private final EventBus bus;
  private final AuditLog audit;
  private final SchedulerSwitch schedulerSwitch;
  private final RuqiEvents events;
  private final Clock clock;
  private final ZoneId serviceZone;
  private final String nodeName;

  SchedulerOps(EventBus bus, AuditLog audit, SchedulerSwitch schedulerSwitch, RuqiEvents events, Clock clock,
               ZoneId serviceZone, String nodeName) {
    this.bus = bus;
    this.audit = audit;
    this.schedulerSwitch = schedulerSwitch;
    this.events = events;
    this.clock = clock;
    this.serviceZone = serviceZone;
    this.nodeName = nodeName;
  }

  /**
   * Pauses the whole scheduler: once answered, no node claims a fire (a fire already claimed, at most
   * scheduler.claim_ahead before its time, still starts; runs in progress finish, retries included).
   */
  Future<Object> pause(Params p) {
    return flip(p, true);
  }

  /** Resumes it: fires due meanwhile run now if within their misfire grace (coalesced if so set), else are missed. */
  Future<Object> resume(Params p) {
    return flip(p, false);
  }

  private Future<Object> flip(Params p, boolean paused) {
    return schedulerSwitch.set(paused, clock.instant()).compose(before -> {
      Object answer = new JsonObject().put("paused", paused);
      if (before == paused) {
        return Future.succeededFuture(answer);
      }
      // every node's scheduler reads the switch again now (without a cluster, at its next read-ahead)
      bus.publish(SchedulerBus.JOBS_CHANGED, JobChanged.schedulerSwitch(paused).toJson());
      events.scheduler(paused ? "paused" : "resumed");
      return audit.record(p, null, new JsonObject().put("paused", before), (JsonObject) answer).map(answer);
    });
  }

  Future<Object> status(Params p) {
    return bus.<JsonObject>request(SchedulerBus.STATUS, new JsonObject(), LOCAL).map(reply -> {
      JsonObject s = reply.body().copy();
      s.put("check_time", time(s.getLong("check_time")));
      s.put("next_wakeup_time", time(s.getLong("next_wakeup_time")));
      return s.put("node", nodeName).put("timezone", serviceZone.getId());
    });
  }

  Future<Object> wakeup(Params p) {
    bus.publish(SchedulerBus.WAKEUP, new JsonObject().put("node", nodeName));
    return Future.succeededFuture(null);
  }

  /** Fires the job now, outside its schedule; the run is recorded like any fire. */
  Future<Object> run(Params p) {
    String id = p.requiredId("job_id");
    return bus.<JsonObject>request(SchedulerBus.RUN, new RunNow(id).toJson(), LOCAL)
        .map(reply -> {
          RunNowReply r = RunNowReply.from(reply.body());
          return switch (r.outcome()) {
            case STARTED -> new JsonObject().put("job_id", id).put("fire_time", time(r.fireTime()))
                .put("fire_id", r.fireId());
            case NO_JOB -> throw ApiException.noSuchJob(id);
            case SKIPPED -> throw ApiException.conflict("job " + id + " already has max_instances fires running;"
                + " this run was recorded as skipped");
            case CONFLICT -> throw ApiException.conflict("job " + id + " kept changing; try again");
            case PAUSED -> throw new ApiException(Stat.ERR, 409, "the scheduler is paused (scheduler_pause):"
                + " nothing fires until scheduler_resume");
            case STORE_UNAVAILABLE -> throw new StoreUnavailableException(
                new IllegalStateException("the scheduler could not reach it to claim the run"));
          };
        })
        .compose(answer -> audit.record(p, id, null, (JsonObject) answer).map(answer));
  }

  private String time(Long epochMillis) {
    return epochMillis == null ? null : time(Instant.ofEpochMilli(epochMillis));
  }

  private String time(Instant t) {
    return TimeFormats.format(t, serviceZone);
  }
}
