package io.ruqi.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The claim's choice at max_instances, without a database: run, wait, skip or only move the schedule on. */
class ClaimDecisionTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  static ClaimRequest fire(int maxInstances, Instant waitUntil) {
    return new ClaimRequest("a", 0, T.plusSeconds(10), T, maxInstances, waitUntil, null);
  }

  /** A fire not claimed already. */
  static ClaimOutcome decide(ClaimRequest request, int running, Instant now) {
    return ClaimDecision.of(request, running, false, now);
  }

  /** Only moved: on the version read, so lost if the claim that took the fire moved the job since. */
  @Test
  void a_fire_claimed_already_only_moves_the_schedule_whatever_its_wait() {
    assertEquals(ClaimOutcome.MOVED, ClaimDecision.of(fire(1, T.plusSeconds(30)), 1, true, T),
        "not deferred: a fire taken is not freed by waiting");
    assertEquals(ClaimOutcome.MOVED, ClaimDecision.of(fire(3, null), 1, true, T), "nor run again below the limit");
  }

  @Test
  void a_fire_below_max_instances_runs() {
    assertEquals(ClaimOutcome.RUN, decide(fire(1, null), 0, T));
    assertEquals(ClaimOutcome.RUN, decide(fire(3, null), 2, T));
  }

  @Test
  void a_fire_at_max_instances_with_no_wait_is_skipped() {
    assertEquals(ClaimOutcome.SKIPPED, decide(fire(1, null), 1, T));
    assertEquals(ClaimOutcome.SKIPPED, decide(fire(2, null), 5, T), "more running than allowed: skipped");
  }

  @Test
  void a_fire_at_max_instances_waits_until_its_wait_ends_then_is_skipped() {
    Instant until = T.plusSeconds(30);
    assertEquals(ClaimOutcome.DEFERRED, decide(fire(1, until), 1, T));
    assertEquals(ClaimOutcome.DEFERRED, decide(fire(1, until), 1, until.minusMillis(1)));
    assertEquals(ClaimOutcome.SKIPPED, decide(fire(1, until), 1, until), "at its end the wait is over");
  }

  @Test
  void a_wait_changes_nothing_for_a_fire_that_may_run() {
    assertEquals(ClaimOutcome.RUN, decide(fire(1, T.plusSeconds(30)), 0, T));
  }

  @Test
  void a_claim_with_no_fire_only_moves_the_schedule_whatever_runs() {
    ClaimRequest missedOnly = new ClaimRequest("a", 0, T.plusSeconds(10), null, 1, T.plusSeconds(30), null);
    assertEquals(ClaimOutcome.MOVED, decide(missedOnly, 0, T));
    assertEquals(ClaimOutcome.MOVED, decide(missedOnly, 9, T), "never deferred: it starts nothing");
  }
}
