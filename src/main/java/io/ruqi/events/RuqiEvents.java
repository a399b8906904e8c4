package io.ruqi.events;

import io.ruqi.store.FireRef;
import io.ruqi.store.RunStatus;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Publishes what happens to jobs and fires on {@code ruqi.events}, APScheduler's listener model for the cluster:
 * every consumer on any node gets every event. Events are JSON: {@code event} (job_added, job_modified,
 * job_removed, job_paused, job_resumed, scheduler_paused, scheduler_resumed, fire_started, fire_succeeded,
 * fire_failed, fire_timeout, fire_missed, fire_skipped, fire_interrupted), {@code job_id}, {@code time}, and for
 * fires {@code fire_time}, {@code fire_id},
 * {@code status}, {@code node}, {@code attempt}, {@code cost} and {@code final} (no retry follows).
 */
public final class RuqiEvents {
  public static final String ADDRESS = "ruqi.events";
  /** Header of a job_removed that {@link #removedDone} published. */
  public static final String REMOVED_DONE = "ruqi-removed-done";
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final EventBus bus;
  private final Clock clock;
  private final ZoneId zone;

  public RuqiEvents(EventBus bus, Clock clock, ZoneId zone) {
    this.bus = bus;
    this.clock = clock;
    this.zone = zone;
  }

  /** {@code job_<what>}, e.g. job_added. */
  public void job(String what, String jobId, String jobName) {
    bus.publish(ADDRESS, base("job_" + what, jobId, jobName));
  }

  /**
   * {@code job_removed} of a job the scheduler removed once its last fire was recorded, marked by the
   * {@link #REMOVED_DONE} header (not in the event's JSON: listeners see the job_removed they always saw).
   */
  public void removedDone(String jobId, String jobName) {
    bus.publish(ADDRESS, base("job_removed", jobId, jobName), new DeliveryOptions().addHeader(REMOVED_DONE, "true"));
  }

  /** {@code scheduler_<what>}: the whole scheduler was paused or resumed (APScheduler's events of those names). */
  public void scheduler(String what) {
    bus.publish(ADDRESS, base("scheduler_" + what, null, null));
  }

  /** {@code fire_started}: a run begins. */
  public void started(String jobId, String jobName, Instant fireTime, String node, int attempt) {
    started(jobId, jobName, fireTime, node, attempt, null);
  }

  /** As above, for a chained fire: {@code parent_fire_id} names the fire whose end started it (null: none). */
  public void started(String jobId, String jobName, Instant fireTime, String node, int attempt, String parentFireId) {
    fire("started", null, jobId, jobName, fireTime, node, attempt, null, false, parentFireId);
  }

  /**
   * {@code fire_<status>} (fire_succeeded for success): a fire's history row was made; {@code last} when no retry
   * follows it.
   */
  public void ended(RunStatus status, String jobId, String jobName, Instant fireTime, String node, int attempt,
                    Double cost, boolean last) {
    ended(status, jobId, jobName, fireTime, node, attempt, cost, last, null);
  }

  /** As above, for a chained fire: {@code parent_fire_id} names the fire whose end started it (null: none). */
  public void ended(RunStatus status, String jobId, String jobName, Instant fireTime, String node, int attempt,
                    Double cost, boolean last, String parentFireId) {
    String what = status == RunStatus.SUCCESS ? "succeeded" : status.wire();
    fire(what, status.wire(), jobId, jobName, fireTime, node, attempt, cost, last, parentFireId);
  }

  private void fire(String what, String status, String jobId, String jobName, Instant fireTime, String node,
                    int attempt, Double cost, boolean last, String parentFireId) {
    JsonObject e = base("fire_" + what, jobId, jobName)
        .put("fire_time", format(fireTime))
        .put("fire_id", fireTime == null ? null : new FireRef(jobId, fireTime).id())
        .put("status", status)
        .put("node", node)
        .put("attempt", attempt)
        .put("final", last);
    if (cost != null) {
      e.put("cost", Math.round(cost * 1000) / 1000.0);
    }
    if (parentFireId != null) {
      e.put("parent_fire_id", parentFireId);
    }
    bus.publish(ADDRESS, e);
  }

  private JsonObject base(String event, String jobId, String jobName) {
    JsonObject e = new JsonObject().put("event", event).put("job_id", jobId).put("time", format(clock.instant()));
    if (jobName != null) {
      e.put("job_name", jobName);
    }
    return e;
  }

  private String format(Instant t) {
    return t == null ? null : FORMAT.format(t.atZone(zone));
  }
}
