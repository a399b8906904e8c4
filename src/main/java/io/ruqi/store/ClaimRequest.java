package io.ruqi.store;

import java.time.Instant;

/**
 * A node's bid for one fire of one job: move the job's next_run_time from what was read (by version) to
 * {@code nextRunTime}, and, when {@code runFire} is set, record that fire as running on this node.
 *
 * @param nextRunTime  the job's next fire after this claim; null when it has none left (a done one-shot)
 * @param runFire      the fire to run, or null when the claim only moves the schedule on (missed fires)
 * @param maxInstances how many fires of the job may run at once, across all nodes
 * @param waitUntil    while the job is at max_instances before this time, the fire waits (is not claimed) instead of
 *                     being skipped; null skips at once
 * @param startAt      when the run will start; a fire claimed ahead of it is recorded as not started yet (null: at
 *                     once, when the claim commits)
 */
public record ClaimRequest(String jobId, long expectedVersion, Instant nextRunTime, Instant runFire,
                           int maxInstances, Instant waitUntil, Instant startAt) {

  public ClaimRequest(String jobId, long expectedVersion, Instant nextRunTime, Instant runFire, int maxInstances) {
    this(jobId, expectedVersion, nextRunTime, runFire, maxInstances, null, null);
  }

  /** Whether, claimed at {@code now}, the run starts later (so its running row waits for a start mark). */
  boolean startsAfter(Instant now) {
    return startAt != null && startAt.isAfter(now);
  }
}
