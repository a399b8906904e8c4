package io.ruqi.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FirePlannerTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");
  static final Duration GRACE = Duration.ofSeconds(30);

  /** Every 10 s from T + 10 s. */
  static Trigger every10s() {
    return Triggers.parse(new TriggerSpec("interval", "10s", ZoneOffset.UTC), T);
  }

  static Instant t(int seconds) {
    return T.plusSeconds(seconds);
  }

  @Test
  void an_on_time_fire_runs_and_the_schedule_moves_one_interval() {
    FirePlan plan = FirePlanner.plan(every10s(), t(10), t(10), GRACE, false);
    assertEquals(t(10), plan.runFire());
    assertEquals(t(20), plan.nextRunTime());
    assertEquals(List.of(), plan.missed());
  }

  @Test
  void fires_past_the_grace_are_missed_and_the_first_in_grace_runs() {
    // now T+65: fires 10, 20, 30 are more than 30 s late; 40, 50, 60 are in grace
    FirePlan plan = FirePlanner.plan(every10s(), t(10), t(65), GRACE, false);
    assertEquals(List.of(t(10), t(20), t(30)), plan.missed());
    assertEquals(t(40), plan.runFire());
    assertEquals(t(50), plan.nextRunTime(), "catches up one fire at a time");
  }

  @Test
  void coalescing_runs_the_latest_in_grace_and_moves_past_now() {
    FirePlan plan = FirePlanner.plan(every10s(), t(10), t(65), GRACE, true);
    assertEquals(List.of(t(10), t(20), t(30)), plan.missed());
    assertEquals(List.of(t(40), t(50)), plan.coalesced());
    assertEquals(t(60), plan.runFire());
    assertEquals(t(70), plan.nextRunTime());
  }

  @Test
  void a_zero_grace_misses_everything_late() {
    FirePlan plan = FirePlanner.plan(every10s(), t(10), t(100), Duration.ZERO, false);
    assertEquals(List.of(t(10), t(20), t(30), t(40), t(50), t(60), t(70), t(80), t(90)), plan.missed());
    assertEquals(t(100), plan.runFire(), "exactly on time is within a zero grace");
    assertEquals(t(110), plan.nextRunTime());
  }

  @Test
  void a_long_outage_lists_a_thousand_misses_and_counts_the_rest() {
    // 1 s interval, down for 2 hours
    Trigger everySecond = Triggers.parse(new TriggerSpec("interval", "1s", ZoneOffset.UTC), T);
    FirePlan plan = FirePlanner.plan(everySecond, t(1), t(7200), GRACE, false);
    assertEquals(FirePlanner.MAX_LISTED, plan.missed().size());
    assertEquals(t(1000), plan.missed().get(999));
    assertEquals(6169, plan.missedUncounted(), "fires 1001..7169 s are counted, not listed");
    assertEquals(t(7170), plan.runFire(), "the fires still in grace are not lost");
    assertEquals(t(7171), plan.nextRunTime());
  }

  @Test
  void when_every_due_fire_is_missed_nothing_runs_and_the_schedule_moves_past_now() {
    FirePlan plan = FirePlanner.plan(every10s(), t(10), t(105), Duration.ofSeconds(2), false);
    assertEquals(List.of(t(10), t(20), t(30), t(40), t(50), t(60), t(70), t(80), t(90), t(100)), plan.missed());
    assertNull(plan.runFire());
    assertEquals(t(110), plan.nextRunTime());
  }

  @Test
  void a_one_shot_has_no_next_fire_after_it_runs() {
    Trigger once = Triggers.parse(new TriggerSpec("date", "2026-11-21 04:00:05", ZoneOffset.UTC), T);
    FirePlan plan = FirePlanner.plan(once, t(5), t(6), GRACE, false);
    assertEquals(t(5), plan.runFire());
    assertNull(plan.nextRunTime());
  }
}
