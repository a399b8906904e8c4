package io.ruqi.schedule;

import io.ruqi.store.RunningFire;

import java.time.Instant;

/** What becomes of a fire whose node stopped before it ended. */
enum TakeOverDecision {
  /** Claimed and never started: it runs here, late. */
  RUN,
  /** Started and cut off, and its job takes at-least-once delivery: it runs again here, as the next attempt. */
  RUN_AGAIN,
  /** Never started, and now past its grace (or its job is gone): recorded missed. */
  MISSED,
  /** Started and cut off: recorded interrupted, never run again (at most once), or too late to run again. */
  INTERRUPTED;

  /**
   * @param policy the job's policies, or null when the job has been removed. The grace is judged on this node's
   *               clock, as every fire this node runs is: the fire time is the schedule's, not a node's.
   */
  static TakeOverDecision of(RunningFire fire, JobPolicy policy, Instant now) {
    boolean inGrace = policy != null && !now.isAfter(fire.fireTime().plus(policy.grace()));
    if (!fire.started()) {
      return inGrace ? RUN : MISSED;
    }
    return inGrace && policy.atLeastOnce() ? RUN_AGAIN : INTERRUPTED;
  }
}
