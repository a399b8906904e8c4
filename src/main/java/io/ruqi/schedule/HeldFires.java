package io.ruqi.schedule;

import io.ruqi.store.ClaimRequest;
import io.ruqi.store.FireRef;
import io.ruqi.store.RunningFire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fires this node knows it holds a running row for: from just before it sends their claim until their last
 * history row is handed to the writer. A row of this node's that it does not hold is an orphan — a claim or a
 * take-over whose answer was lost (the database went away at its commit), or any path that forgot a fire — and
 * would count against max_instances for ever; {@link #orphans} finds them, so that they are taken over as a dead
 * node's would be. Counted, not a set: a run-now and a scheduled fire may briefly name the same fire. Confined to
 * the scheduler's event loop.
 */
final class HeldFires {
  private final Map<FireRef, Integer> held = new HashMap<>();
  /** Rows found unheld at the previous look. */
  private Set<FireRef> suspects = Set.of();

  void hold(FireRef fire) {
    held.merge(fire, 1, Integer::sum);
  }

  void release(FireRef fire) {
    held.computeIfPresent(fire, (f, n) -> n > 1 ? n - 1 : null);
  }

  /**
   * Holds the fire a claim may win, from before the claim is sent: a claim whose answer is lost leaves a row this
   * node would not otherwise know of. A claim without a fire to run (every fire missed) holds nothing.
   */
  void holdClaim(ClaimRequest claim) {
    if (claim.runFire() != null) {
      hold(new FireRef(claim.jobId(), claim.runFire()));
    }
  }

  /** Lets go of a claim's fire: the claim failed, or won nothing to run. */
  void releaseClaim(ClaimRequest claim) {
    if (claim.runFire() != null) {
      release(new FireRef(claim.jobId(), claim.runFire()));
    }
  }

  boolean holds(FireRef fire) {
    return held.containsKey(fire);
  }

  int size() {
    return held.size();
  }

  /**
   * Of this node's rows in the store ({@code rows}), those it neither holds nor has ended ({@code endedNotWritten},
   * their release is on its way), at this look and at the one before. Two looks, so that a
   * row read just as its claim or its end was being answered is not taken for lost; the take-over is conditional on
   * the row as read besides, so a mistaken one would change nothing.
   */
  List<RunningFire> orphans(List<RunningFire> rows, Set<FireRef> endedNotWritten) {
    Set<FireRef> now = new HashSet<>();
    List<RunningFire> out = new ArrayList<>();
    for (RunningFire r : rows) {
      FireRef ref = new FireRef(r.jobId(), r.fireTime());
      if (held.containsKey(ref) || endedNotWritten.contains(ref)) {
        continue;
      }
      now.add(ref);
      if (suspects.contains(ref)) {
        out.add(r);
      }
    }
    suspects = now;
    return out;
  }
}
