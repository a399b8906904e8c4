package io.ruqi.schedule;

import io.ruqi.config.Delivery;
import io.ruqi.config.JobDefaults;
import io.ruqi.exec.Command;
import io.ruqi.store.Job;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** A job's effective policies: what its options name, the service defaults for the rest. */
record JobPolicy(Duration grace, boolean coalesce, int maxInstances, Duration timeout, int retries,
                 Duration retryBackoff, Duration jitter, Delivery delivery, boolean keepDone) {

  static JobPolicy of(JsonObject options, Command command, JobDefaults d) {
    Duration kindTimeout = command instanceof Command.Process ? d.processTimeout() : d.httpTimeout();
    return new JobPolicy(
        seconds(options, "misfire_grace_time", d.misfireGraceTime()),
        options.getBoolean("coalesce", d.coalesce()),
        options.getInteger("max_instances", d.maxInstances()),
        seconds(options, "timeout", kindTimeout),
        options.getInteger("retries", d.retries()),
        seconds(options, "retry_backoff", d.retryBackoff()),
        seconds(options, "jitter", d.jitter()),
        delivery(options.getString("delivery"), d.delivery()),
        options.getBoolean("keep_done", d.keepDone()));
  }

  /**
   * Whether the last history row of a fire of {@code job} (as held for the fire) asks the store to remove the job
   * if it is done by then ({@code DoneJobs} decides, under lock): nothing keeps it, and it will not fire again (a
   * rule past its end_date), or it is a one-shot, whose fire by hand ({@code job_run}) may end after its scheduled
   * fire did.
   */
  boolean removesDone(Job job) {
    return !keepDone && !job.paused() && (job.nextRunTime() == null || "date".equals(job.trigger()));
  }

  /** Whether a run cut off by its node's death is run again (within the grace) rather than recorded lost. */
  boolean atLeastOnce() {
    return delivery == Delivery.AT_LEAST_ONCE;
  }

  private static Delivery delivery(String name, Delivery dflt) {
    Delivery d = name == null ? null : Delivery.fromWire(name);
    return d == null ? dflt : d;
  }

  private static Duration seconds(JsonObject options, String key, Duration dflt) {
    Number n = options.getNumber(key);
    return n == null ? dflt : Duration.ofMillis(Math.round(n.doubleValue() * 1000));
  }
}
