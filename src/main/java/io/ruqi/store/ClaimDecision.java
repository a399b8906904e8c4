package io.ruqi.store;

import java.time.Instant;

/**
 * What a claim does with its fire, given how many fires of its job run now (across all nodes): the pure part of
 * {@link ClaimStore#claim}, kept apart so that it is tested without a database. Only {@link ClaimOutcome#RUN} adds a
 * running fire; {@link ClaimOutcome#DEFERRED} writes nothing; the others move the schedule on.
 */
final class ClaimDecision {
  private ClaimDecision() {
  }

  /** @param running the job's fires running now, those this batch already decided to run included */
  static ClaimOutcome of(ClaimRequest request, int running, Instant now) {
    if (request.runFire() == null) {
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
