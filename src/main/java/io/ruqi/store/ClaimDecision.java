package io.ruqi.store;

import java.time.Instant;

/**
 * What a claim does with its fire, given how many fires of its job run now (across all nodes): the pure part of
 * {@link ClaimStore#claim}, kept apart so that it is tested without a database. Only {@link ClaimOutcome#RUN} adds a
 * running fire; {@link ClaimOutcome#DEFERRED} and {@link ClaimOutcome#LOST} write nothing; the others move the
 * schedule on.
 */
final class ClaimDecision {
  private ClaimDecision() {
  }

  /**
   * @param running     the job's fires running now, those this batch already decided to run included
   * @param fireClaimed whether the very fire asked for is in ruqi_running (ended here or not). Either another claim
   *                    (a peer's, one of this node's whose answer was lost) took it since the job was read, and the
   *                    move, on a version that claim changed, is lost; or an edit since that claim (a pause and
   *                    resume, a new rule, within the claim's lead) set the job back to it, and the schedule moves
   *                    on past it without a run. Waiting for the job to be free, or losing, would ask again for a
   *                    fire not to be had; and once its run ended, run it a second time.
   */
  static ClaimOutcome of(ClaimRequest request, int running, boolean fireClaimed, Instant now) {
    if (request.runFire() == null || fireClaimed) {
      return ClaimOutcome.MOVED;
    }
    boolean busy = running >= request.maxInstances();
    if (!busy) {
      return ClaimOutcome.RUN;
    }
    return request.waitUntil() != null && now.isBefore(request.waitUntil()) ? ClaimOutcome.DEFERRED
        : ClaimOutcome.SKIPPED;
  }
}
