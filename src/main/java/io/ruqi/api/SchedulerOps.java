package io.ruqi.api;

import io.ruqi.schedule.SchedulerVerticle;
import io.ruqi.schedule.TimeFormats;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The operations answered by this node's scheduler: {@code scheduler_status} (each node answers for itself, as in
 * RuQi), {@code scheduler_wakeup} and {@code job_run}.
 */
final class SchedulerOps {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);

  private final EventBus bus;
  private final AuditLog audit;
  private final ZoneId serviceZone;
  private final String nodeName;

  SchedulerOps(EventBus bus, AuditLog audit, ZoneId serviceZone, String nodeName) {
    this.bus = bus;
    this.audit = audit;
    this.serviceZone = serviceZone;
    this.nodeName = nodeName;
  }

  Future<Object> status(Params p) {
    return bus.<JsonObject>request(SchedulerVerticle.STATUS_ADDRESS, new JsonObject(), LOCAL).map(reply -> {
      JsonObject s = reply.body().copy();
      s.put("check_time", time(s.getLong("check_time")));
      s.put("next_wakeup_time", time(s.getLong("next_wakeup_time")));
      return s.put("node", nodeName).put("timezone", serviceZone.getId());
    });
  }

  Future<Object> wakeup(Params p) {
    bus.publish(SchedulerVerticle.WAKEUP_ADDRESS, new JsonObject().put("node", nodeName));
    return Future.succeededFuture(null);
  }

  /** Fires the job now, outside its schedule; the run is recorded like any fire. */
  Future<Object> run(Params p) {
    String id = p.requiredId("job_id");
    return bus.<JsonObject>request(SchedulerVerticle.RUN_ADDRESS, new JsonObject().put("job_id", id), LOCAL)
        .map(reply -> {
          JsonObject r = reply.body();
          switch (String.valueOf(r.getString("outcome"))) {
            case "started" -> {
              return new JsonObject().put("job_id", id).put("fire_time", time(r.getLong("fire_time")))
                  .put("fire_id", r.getString("fire_id"));
            }
            case "no_job" -> throw ApiException.noSuchJob(id);
            case "skipped" -> throw ApiException.conflict("job " + id + " already has max_instances fires running;"
                + " this run was recorded as skipped");
            case "conflict" -> throw ApiException.conflict("job " + id + " kept changing; try again");
            default -> throw new IllegalStateException("scheduler: " + r.encode());
          }
        })
        .compose(answer -> audit.record(p, id, null, (JsonObject) answer).map(answer));
  }

  private String time(Long epochMillis) {
    return epochMillis == null ? null : TimeFormats.format(Instant.ofEpochMilli(epochMillis), serviceZone);
  }
}
