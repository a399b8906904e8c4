package io.ruqi.api;

import io.ruqi.schedule.TimeFormats;
import io.ruqi.store.Job;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A job as the API shows it: RuQi's fields first ({@code job_id, job_name, job_trigger, cmd, rule, next_run_time,
 * c_time}), then ruqi's. Times of the job's schedule are written in the job's time zone; c_time in the service's.
 */
final class JobView {
  static final String SCHEDULED = "scheduled";
  static final String PAUSED = "paused";
  static final String DONE = "done";

  private JobView() {
  }

  static JsonObject of(Job job, ZoneId serviceZone) {
    return new JsonObject()
        .put("job_id", job.id())
        .put("job_name", job.name())
        .put("job_trigger", job.trigger())
        .put("cmd", job.cmd())
        .put("rule", job.rule())
        .put("next_run_time", format(job.nextRunTime(), job.zone()))
        .put("c_time", format(job.created(), serviceZone))
        .put("timezone", job.zone().getId())
        .put("start_date", format(job.startDate(), job.zone()))
        .put("end_date", format(job.endDate(), job.zone()))
        .put("state", state(job))
        .put("options", job.options())
        .put("version", job.version())
        .put("u_time", format(job.updated(), serviceZone));
  }

  /**
   * job_show adds RuQi's {@code nexttime}, the same time under its older name, and as RuQi wrote it (Python's
   * {@code str()}): the string {@code None} when there is none, which RuQi's clients test for.
   */
  static JsonObject detailed(Job job, ZoneId serviceZone) {
    JsonObject view = of(job, serviceZone);
    Object next = view.getValue("next_run_time");
    return view.put("nexttime", next == null ? "None" : next);
  }

  static String state(Job job) {
    if (job.paused()) {
      return PAUSED;
    }
    return job.nextRunTime() == null ? DONE : SCHEDULED;
  }

  static String format(Instant t, ZoneId zone) {
    return t == null ? null : TimeFormats.format(t, zone);
  }
}
