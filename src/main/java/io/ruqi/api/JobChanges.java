package io.ruqi.api;

import io.ruqi.events.RuqiEvents;
import io.ruqi.schedule.SchedulerBus;
import io.ruqi.schedule.SchedulerBus.DoneJobsRemoved;
import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.store.Job;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

import java.time.Instant;
import java.util.List;

/**
 * Tells every scheduler in the cluster that a job changed, so that it updates its heap at once instead of at its
 * next read-ahead (published, not sent: each node keeps its own heap), and tells listeners on ruqi.events.
 */
public final class JobChanges {
  private final EventBus bus;
  private final ChangeNotices notices;
  private final RuqiEvents events;

  public JobChanges(Vertx vertx, RuqiEvents events) {
    this.bus = vertx.eventBus();
    this.notices = new ChangeNotices(vertx);
    this.events = events;
  }

  /** The notice carries the job's next fire as stored (null when paused or done): see {@link JobChanged}. */
  void changed(Job job, String what) {
    Instant next = job.paused() ? null : job.nextRunTime();
    notices.publish(JobChanged.job(job.id(), what, next));
    events.job(what, job.id(), job.name());
  }

  void removed(String jobId, String jobName) {
    notices.publish(JobChanged.job(jobId, "removed", null));
    events.job("removed", jobId, jobName);
  }

  /**
   * Jobs removed by the scheduler with their last fire's history rows (jobs.keep_done false), as one removal
   * committed them: to the schedulers in notices of many ids, to ruqi.events one event per job as for any removal.
   */
  public void removedDone(List<Job> jobs) {
    for (int from = 0; from < jobs.size(); from += DoneJobsRemoved.MOST) {
      List<String> ids = jobs.subList(from, Math.min(jobs.size(), from + DoneJobsRemoved.MOST)).stream()
          .map(Job::id).toList();
      bus.publish(SchedulerBus.JOBS_CHANGED, new DoneJobsRemoved(ids).toJson());
    }
    jobs.forEach(job -> events.removedDone(job.id(), job.name()));
  }
}
