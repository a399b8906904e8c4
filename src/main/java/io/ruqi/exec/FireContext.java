package io.ruqi.exec;

import java.time.Duration;
import java.time.Instant;

/**
 * Which fire a run belongs to, handed to the command so it can act idempotently.
 *
 * @param fireId  the fire's idempotency key, {@code <job_id>@<fire time in epoch ms>}: the same for every attempt
 *                of the fire and on every node (written by {@code store/FireRef.id()}, the scheduler's side)
 * @param attempt 1 for the first run of a fire, 2 for its first retry, ...
 * @param timeout how long the run may take before it is ended and recorded as {@code timeout}
 * @param parentFireId the fire whose end started this one (a job chain: on_success, on_failure); null for a fire
 *                     of the job's own schedule or a run by hand
 */
public record FireContext(String jobId, String jobName, Instant fireTime, String fireId, int attempt,
                          Duration timeout, String parentFireId) {

  public FireContext(String jobId, String jobName, Instant fireTime, String fireId, int attempt, Duration timeout) {
    this(jobId, jobName, fireTime, fireId, attempt, timeout, null);
  }
}
