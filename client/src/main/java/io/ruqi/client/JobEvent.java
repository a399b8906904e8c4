package io.ruqi.client;

import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;

/**
 * What happened to a job, as ruqi publishes it on {@code ruqi.events} and streams it at {@code /ruqi/events}.
 * Times are in the service's time zone.
 *
 * @param event   {@code job_added}, {@code job_modified}, {@code job_removed}, {@code job_paused},
 *                {@code job_resumed}, {@code scheduler_paused}, {@code scheduler_resumed}, {@code fire_started},
 *                {@code fire_succeeded}, {@code fire_failed}, {@code fire_timeout}, {@code fire_missed},
 *                {@code fire_skipped} or {@code fire_interrupted}
 * @param jobId   null for the scheduler's events
 * @param status  of a fire that ended, as in its history row; null otherwise
 * @param cost    seconds a run took, or null
 * @param last    no retry follows this fire's outcome
 */
public record JobEvent(String event, String jobId, String jobName, LocalDateTime time, LocalDateTime fireTime,
                       String fireId, String status, String node, Integer attempt, Double cost, boolean last) {

  public static final String FIRE_STARTED = "fire_started";
  public static final String FIRE_SUCCEEDED = "fire_succeeded";
  public static final String FIRE_FAILED = "fire_failed";

  /** A fire ended, one way or another (its history row was written). */
  public boolean isOutcome() {
    return event.startsWith("fire_") && !FIRE_STARTED.equals(event);
  }

  static JobEvent from(JsonObject e) {
    return new JobEvent(e.getString("event"), e.getString("job_id"), e.getString("job_name"),
        WireTimes.parse(e.getString("time")), WireTimes.parse(e.getString("fire_time")), e.getString("fire_id"),
        e.getString("status"), e.getString("node"), e.getInteger("attempt"), e.getDouble("cost"),
        e.getBoolean("final", false));
  }
}
