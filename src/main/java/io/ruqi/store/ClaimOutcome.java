package io.ruqi.store;

/** What became of a {@link ClaimRequest}. */
public enum ClaimOutcome {
  /** The schedule moved on and the fire is this node's to run. */
  RUN,
  /** The schedule moved on, but the job already had max_instances fires running: the fire is skipped. */
  SKIPPED,
  /** The schedule moved on; there was no fire to run (the claim recorded missed fires only). */
  MOVED,
  /** The job is at max_instances and the fire may still wait: nothing was written; ask again shortly. */
  DEFERRED,
  /** Someone else wrote the job first (another node's claim, or an edit): nothing was written. */
  LOST,
  /** The scheduler is paused (scheduler_pause): nothing was written; the fire stays due until it resumes. */
  PAUSED
}
