package io.ruqi.testing;

import io.ruqi.testing.FireLedger.Delivery;
import io.ruqi.testing.FireLedger.Disruption;
import io.ruqi.testing.FireLedger.Job;
import io.ruqi.testing.FireLedger.Kind;
import io.ruqi.testing.FireLedger.Mode;
import io.ruqi.testing.FireLedger.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos test's oracle on hand-made fires: a clean run passes, and each broken promise is caught and named. (An
 * oracle that cannot fail proves nothing, so every rule is shown failing here.)
 */
class FireLedgerTest {
  private static final long T = 1_700_000_000_000L;
  private static final long GRACE = 120_000;

  /** A job firing every second from T + 2 s to T + 8 s (added at T, paused at T + 10 s). */
  private static Job every(String id, Mode mode, long grace) {
    return Job.every(id, mode, grace, 1_000, 0, T, T + 10_000, 1_500);
  }

  private static Row row(String job, long fire, String status) {
    return new Row(job, fire, status, 1, status.equals("success") || status.equals("interrupted") ? fire - 20 : null,
        fire + 50, "node-a", "");
  }

  private static Delivery sent(String job, long fire, String node) {
    return new Delivery(job + "@" + fire, node, fire + 5, fire + 10, -1);
  }

  /** Job "c" delivered and successful at every fire but those listed in {@code except}. */
  private static FireLedger clean(Mode mode, long grace, long... except) {
    FireLedger ledger = new FireLedger(new FireLedger.Settings(1_000, 3_000)).job(every("c", mode, grace));
    List<Row> rows = new ArrayList<>();
    List<Delivery> deliveries = new ArrayList<>();
    outer:
    for (long f = T + 2_000; f <= T + 8_000; f += 1_000) {
      for (long e : except) {
        if (e == f) {
          continue outer;
        }
      }
      rows.add(row("c", f, "success"));
      deliveries.add(sent("c", f, "node-a"));
    }
    return ledger.recorded(rows).delivered(deliveries).calm(T + 7_000, T + 8_000, 1_000);
  }

  private static List<String> problems(FireLedger ledger) {
    FireLedger.Verdict v = ledger.check();
    System.out.println(v.counts() + String.join("\n", v.problems()));
    return v.problems();
  }

  private static void assertOne(List<String> problems, String start) {
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(start), problems.get(0));
  }

  @Test
  void a_clean_run_keeps_every_promise() {
    FireLedger.Verdict v = clean(Mode.AT_MOST_ONCE, GRACE).phase(new FireLedger.Phase("all", T, T + 10_000)).check();
    assertEquals(List.of(), v.problems());
    assertTrue(v.counts().contains("all"), v.counts());
  }

  @Test
  void a_fire_delivered_twice_is_caught() {
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE).delivered(List.of(sent("c", T + 3_000, "node-b")))),
        "delivered twice: c@" + (T + 3_000));
  }

  @Test
  void an_at_least_once_fire_may_come_again_only_after_a_cut() {
    long f = T + 4_000;
    FireLedger cutFirst = clean(Mode.AT_LEAST_ONCE, GRACE, f)
        .recorded(List.of(row("c", f, "interrupted"), new Row("c", f, "success", 2, f + 900, f + 990, "node-b", "")))
        .delivered(List.of(new Delivery("c@" + f, "node-a", f + 5, -1, f + 300),
            new Delivery("c@" + f, "node-b", f + 900, f + 910, -1)))
        .disruption(new Disruption(Kind.KILL, "node-a", f + 300, f + 5_000, "kill node-a"));
    assertEquals(List.of(), problems(cutFirst));

    FireLedger notCut = clean(Mode.AT_LEAST_ONCE, GRACE).delivered(List.of(sent("c", T + 4_000, "node-b")));
    assertOne(problems(notCut), "delivered twice: c@" + f);
  }

  @Test
  void a_success_not_delivered_and_a_delivery_recorded_as_not_run_are_caught() {
    long f = T + 5_000;
    FireLedger noDelivery = clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(row("c", f, "success")));
    assertOne(problems(noDelivery), "success without a delivery: c@" + f);

    FireLedger ranThoughMissed = clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(row("c", f, "missed")))
        .delivered(List.of(sent("c", f, "node-a")));
    assertOne(problems(ranThoughMissed), "delivered, though recorded missed: c@" + f);
  }

  @Test
  void a_fire_without_a_row_is_unaccounted_for() {
    long f = T + 3_000;
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE, f)), "unaccounted for: c@" + f);
    FireLedger deliveredOnly = clean(Mode.AT_MOST_ONCE, GRACE, f).delivered(List.of(sent("c", f, "node-a")));
    assertOne(problems(deliveredOnly), "unaccounted for: c@" + f);
  }

  @Test
  void a_one_shot_that_never_fired_is_lost() {
    FireLedger ledger = clean(Mode.AT_MOST_ONCE, GRACE).job(Job.oneShot("once", Mode.AT_MOST_ONCE, GRACE, T + 4_321));
    assertOne(problems(ledger), "unaccounted for: once@" + (T + 4_321));
  }

  @Test
  void an_interrupted_fire_needs_a_kill_or_freeze_that_cut_it() {
    long f = T + 4_000;
    FireLedger unsent = clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(row("c", f, "interrupted")));
    assertOne(problems(unsent), "interrupted, though no kill or freeze cut it: c@" + f);
    assertEquals(List.of(), problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(row("c", f, "interrupted")))
        .disruption(new Disruption(Kind.KILL, "node-b", f - 10, f + 6_000, "kill node-b"))));

    // delivered by node-a: only what happened to node-a while it held the fire counts
    FireLedger sentByA = clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(row("c", f, "interrupted")))
        .delivered(List.of(sent("c", f, "node-a")));
    assertOne(problems(sentByA.disruption(new Disruption(Kind.KILL, "node-b", f, f + 6_000, "kill node-b"))),
        "interrupted, though no kill or freeze cut it: c@" + f);
    assertEquals(List.of(), problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(row("c", f, "interrupted")))
        .delivered(List.of(sent("c", f, "node-a")))
        .disruption(new Disruption(Kind.FREEZE, "node-a", f - 500, f + 8_000, "freeze node-a"))));
  }

  @Test
  void a_fire_marked_as_the_database_went_down_is_cut_by_a_kill_before_it_came_back() {
    long f = T + 4_000;
    Row marked = new Row("c", f, "interrupted", 1, f + 1, f + 40_000, "node-a",
        "node node-b stopped renewing its lease while this fire ran");
    Disruption kill = new Disruption(Kind.KILL, "node-b", f + 8_000, f + 40_000, "kill node-b (db down)");
    Disruption db = new Disruption(Kind.DATABASE, null, f, f + 35_000, "database down");
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(marked)).disruption(kill)),
        "interrupted, though no kill or freeze cut it");
    assertEquals(List.of(), problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(marked)).disruption(kill)
        .disruption(db)));
    // only a kill of the node that held it, before its row
    Disruption otherNode = new Disruption(Kind.KILL, "node-c", f + 8_000, f + 40_000, "kill node-c (db down)");
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(marked)).disruption(otherNode)
        .disruption(db)), "interrupted, though no kill or freeze cut it");
    Row recordedBeforeTheKill = new Row("c", f, "interrupted", 1, f + 1, f + 7_000, "node-a", marked.output());
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(recordedBeforeTheKill)).disruption(kill)
        .disruption(db)), "interrupted, though no kill or freeze cut it");
    // marked well before the outage, the fire had its time to be sent
    Disruption later = new Disruption(Kind.DATABASE, null, f + 5_000, f + 35_000, "database down");
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(marked)).disruption(kill)
        .disruption(later)), "interrupted, though no kill or freeze cut it");
  }

  @Test
  void an_interrupted_fire_marked_by_a_skewed_node_is_judged_on_the_real_time() {
    long f = T + 4_000;
    // node-b ran 4 s ahead: its mark says f + 4 s, while it really marked (and died) at f
    Row marked = new Row("c", f, "interrupted", 1, f + 4_000 - 20, f + 9_000, "node-a", "");
    Disruption kill = new Disruption(Kind.KILL, "node-b", f, f + 6_000, "kill node-b");
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(marked)).disruption(kill)),
        "interrupted, though no kill or freeze cut it");
    assertEquals(List.of(), problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(marked)).disruption(kill)
        .skew(new FireLedger.Skew("node-b", 4_000, T, T + 20_000))));
  }

  @Test
  void a_skewed_mark_written_as_the_kill_lands_is_judged_on_the_real_time() {
    long f = T + 4_000;
    // the skew's end is read just before the kill: the node's last mark can come a moment after it
    Row marked = new Row("c", f, "interrupted", 1, f + 4_000 + 1, f + 9_000, "node-a", "");
    Disruption kill = new Disruption(Kind.KILL, "node-b", f, f + 6_000, "kill node-b");
    assertEquals(List.of(), problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(marked)).disruption(kill)
        .skew(new FireLedger.Skew("node-b", 4_000, T, f))));
  }

  @Test
  void an_at_least_once_fire_left_interrupted_and_unsent_is_caught() {
    long f = T + 4_000;
    FireLedger ledger = clean(Mode.AT_LEAST_ONCE, GRACE, f).recorded(List.of(row("c", f, "interrupted")))
        .disruption(new Disruption(Kind.KILL, "node-a", f - 10, f + 6_000, "kill node-a"));
    assertOne(problems(ledger), "at-least-once, yet interrupted and never delivered");
  }

  @Test
  void missed_is_excused_only_by_a_disruption_longer_than_the_grace() {
    long f = T + 4_000;
    Disruption db = new Disruption(Kind.DATABASE, null, f - 200, f + 4_000, "database down");
    assertEquals(List.of(), problems(clean(Mode.AT_MOST_ONCE, 3_000, f).recorded(List.of(row("c", f, "missed")))
        .disruption(db)));
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(row("c", f, "missed"))).disruption(db)),
        "missed with no disruption to excuse it: c@" + f);
    assertOne(problems(clean(Mode.AT_MOST_ONCE, 3_000, f).recorded(List.of(row("c", f, "skipped")))),
        "skipped with no disruption to excuse it: c@" + f);
  }

  @Test
  void skipped_for_max_instances_is_excused_only_while_a_disruption_may_hold_a_fire_of_its_job() {
    long f = T + 5_000;
    long grace = 5_000;
    // node-b claimed the fire before f and was killed before it ended: node-a took it over, recording it interrupted
    Row previous = new Row("c", f - 1_000, "interrupted", 1, f - 1_020, f + 2_000, "node-a",
        "node node-b stopped renewing its lease while this fire ran");
    Row skipped = new Row("c", f, "skipped", 1, null, f + 50, "node-a",
        "not run: the job already has max_instances (1) fires running");
    // held up until 5 s after the fire (lease 3 s, the judge's slack): not past the grace, so only the hold excuses
    Disruption killB = new Disruption(Kind.KILL, "node-b", f - 1_500, f - 500, "kill node-b");
    assertEquals(List.of(), problems(clean(Mode.AT_MOST_ONCE, grace, f, f - 1_000)
        .recorded(List.of(previous, skipped)).delivered(List.of(sent("c", f - 1_000, "node-b"))).disruption(killB)));

    // skipped for another reason: excused only as a fire held up past its grace is
    Row skippedOtherwise = new Row("c", f, "skipped", 1, null, f + 50, "node-a", "not run: some other reason");
    assertOne(problems(clean(Mode.AT_MOST_ONCE, grace, f, f - 1_000).recorded(List.of(previous, skippedOtherwise))
        .delivered(List.of(sent("c", f - 1_000, "node-b"))).disruption(killB)),
        "skipped with no disruption to excuse it: c@" + f);
    // a disruption whose hold ended before the fire came due excuses nothing (nor the interrupted fire before it)
    Disruption earlier = new Disruption(Kind.KILL, "node-b", f - 9_000, f - 8_000, "kill node-b");
    List<String> problems = problems(clean(Mode.AT_MOST_ONCE, grace, f, f - 1_000)
        .recorded(List.of(previous, skipped)).delivered(List.of(sent("c", f - 1_000, "node-b"))).disruption(earlier));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("skipped with no disruption to excuse it: c@" + f)),
        problems.toString());
  }

  @Test
  void a_fire_already_late_when_a_disruption_began_is_excused_only_while_in_its_grace() {
    long f = T + 4_000;
    FireLedger ledger = clean(Mode.AT_MOST_ONCE, 3_000, f).recorded(List.of(row("c", f, "missed")));
    assertEquals(List.of(), problems(ledger.disruption(new Disruption(Kind.FREEZE, "node-a", f + 2_500, f + 10_500,
        "freeze node-a"))));
    assertOne(problems(clean(Mode.AT_MOST_ONCE, 3_000, f).recorded(List.of(row("c", f, "missed")))
        .disruption(new Disruption(Kind.FREEZE, "node-a", f + 3_500, f + 11_500, "freeze node-a"))),
        "missed with no disruption to excuse it: c@" + f);
  }

  @Test
  void a_job_stuck_skipped_after_the_chaos_is_not_firing() {
    long f = T + 7_000;
    Disruption db = new Disruption(Kind.DATABASE, null, f - 200, f + 4_000, "database down");
    FireLedger ledger = clean(Mode.AT_MOST_ONCE, 3_000, f).recorded(List.of(row("c", f, "skipped"))).disruption(db);
    assertOne(problems(ledger), "not firing (on time) after the chaos: c 1 of 2 fires {skipped=1}");
  }

  @Test
  void a_late_delivery_after_the_chaos_is_not_on_time() {
    long f = T + 8_000;
    FireLedger ledger = clean(Mode.AT_MOST_ONCE, GRACE, f).recorded(List.of(row("c", f, "success")))
        .delivered(List.of(new Delivery("c@" + f, "node-a", f + 4_000, f + 4_010, -1)));
    assertOne(problems(ledger), "not firing (on time) after the chaos: c 1 of 2 fires {late=1}");
  }

  @Test
  void a_running_row_left_behind_is_caught() {
    FireLedger ledger = clean(Mode.AT_MOST_ONCE, GRACE)
        .leftRunning(List.of(new FireLedger.Running("c", T + 9_000, "node-a", null)));
    assertOne(problems(ledger), "left running: c@");
  }

  @Test
  void a_fire_that_ran_another_command_than_its_row_names_is_caught() {
    String f = "c@" + (T + 3_000);
    assertEquals(List.of(), problems(clean(Mode.AT_MOST_ONCE, GRACE).commands(Map.of(f, "/v2"), Map.of(f, "/v2"))));
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE).commands(Map.of(f, "/v2"), Map.of(f, "/v1"))),
        "ran another command than its row names: " + f);
  }

  @Test
  void rows_and_deliveries_off_the_schedule_are_caught() {
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE).recorded(List.of(row("c", T + 3_500, "success")))
        .delivered(List.of(sent("c", T + 3_500, "node-a")))), "a fire off the schedule: c@" + (T + 3_500));
    assertOne(problems(clean(Mode.AT_MOST_ONCE, GRACE).delivered(List.of(sent("x", T + 3_000, "node-a")))),
        "a delivery of no known job's fire");
  }
}
