package io.ruqi.api;

import io.ruqi.events.RuqiEvents;
import io.ruqi.schedule.SchedulerVerticle;
import io.ruqi.store.Job;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Tells every scheduler in the cluster that a job changed, so that it updates its heap at once instead of at its
 * next read-ahead (published, not sent: each node keeps its own heap), and tells listeners on ruqi.events.
 */
public final class JobChanges {
  public static final String ADDRESS = SchedulerVerticle.JOBS_CHANGED_ADDRESS;

  private final EventBus bus;
  private final RuqiEvents events;

  public JobChanges(EventBus bus, RuqiEvents events) {
    this.bus = bus;
    this.events = events;
  }

  /**
   * The notice carries the job's next fire as stored ({@code next_run_time}, epoch ms; null when paused or done), so
   * that a scheduler can drop a job whose next fire is beyond its window without reading it back.
   */
  void changed(Job job, String what) {
    Instant next = job.paused() ? null : job.nextRunTime();
    bus.publish(ADDRESS, new JsonObject().put("job_id", job.id()).put("change", what)
        .put("next_run_time", next == null ? null : next.toEpochMilli()));
    events.job(what, job.id(), job.name());
  }

  void removed(String jobId) {
    removed(jobId, null);
  }

  /** A job removed by the scheduler with its last fire's history row (jobs.keep_done false). */
  public void removed(String jobId, String jobName) {
    bus.publish(ADDRESS, new JsonObject().put("job_id", jobId).put("change", "removed")
        .put("next_run_time", null));
    events.job("removed", jobId, jobName);
  }

  void removedByName(String jobName) {
    bus.publish(ADDRESS, new JsonObject().put("job_name", jobName).put("change", "removed"));
    events.job("removed", null, jobName);
  }
}
