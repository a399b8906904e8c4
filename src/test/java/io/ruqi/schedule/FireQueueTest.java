package io.ruqi.schedule;

import io.ruqi.store.Job;
import io.ruqi.testing.ManualTicker;
import io.ruqi.testing.SettableClock;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read-ahead heap and its one timer, moved by a settable clock: no Vert.x, no waiting. */
class FireQueueTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");
  static final Duration LEAD = Duration.ofMillis(200);

  final SettableClock clock = new SettableClock(T);
  final ManualTicker ticker = new ManualTicker(clock);
  final List<Instant> wokenAt = new ArrayList<>();
  final FireQueue queue = new FireQueue(ticker, clock, LEAD, () -> wokenAt.add(clock.instant()));

  static Job job(String id, Instant next, long version) {
    return new Job(id, "n", "interval", "10s", "true", ZoneOffset.UTC, null, null, T, next, false, new JsonObject(),
        version, T, T);
  }

  void offer(String id, int dueSecond) {
    Instant due = T.plusSeconds(dueSecond);
    queue.offer(job(id, due, 0), 0, due);
  }

  @Test
  void the_timer_goes_off_one_lead_before_the_head_is_due() {
    offer("a", 10);
    ticker.advance(Duration.ofSeconds(10).minus(LEAD).minusMillis(1));
    assertEquals(List.of(), wokenAt, "not before the lead");
    ticker.advance(Duration.ofMillis(1));
    assertEquals(List.of(T.plusSeconds(10).minus(LEAD)), wokenAt);
  }

  @Test
  void an_earlier_entry_rearms_the_timer_and_a_later_one_does_not() {
    offer("late", 10);
    offer("early", 5);
    offer("later", 20);
    assertEquals(List.of(T.plusSeconds(5).minus(LEAD)), ticker.pending(), "one timer, for the earliest entry");
    ticker.advance(Duration.ofSeconds(30));
    assertEquals(List.of(T.plusSeconds(5).minus(LEAD)), wokenAt, "the scheduler re-arms after it polls");
  }

  @Test
  void poll_due_takes_the_due_entries_earliest_first_up_to_the_limit() {
    offer("c", 3);
    offer("a", 1);
    offer("b", 2);
    offer("d", 9);
    assertEquals(List.of(), queue.pollDue(T, 10), "nothing is due yet");
    List<FireQueue.Entry> due = queue.pollDue(T.plusSeconds(3), 2);
    assertEquals(List.of("a", "b"), due.stream().map(e -> e.job().id()).toList());
    assertEquals(List.of("c"), queue.pollDue(T.plusSeconds(3), 10).stream().map(e -> e.job().id()).toList());
    assertEquals(1, queue.size(), "polled entries leave the queue");
  }

  @Test
  void offering_a_job_again_replaces_its_entry_and_the_old_one_never_comes_due() {
    offer("a", 1);
    queue.offer(job("a", T.plusSeconds(7), 1), 0, T.plusSeconds(7));
    assertEquals(1, queue.size());
    assertFalse(queue.holds("a", 0));
    assertTrue(queue.holds("a", 1));
    assertFalse(queue.hasDue(T.plusSeconds(5)), "the replaced entry is skipped at the head");
    assertEquals(List.of(), queue.pollDue(T.plusSeconds(5), 10));
    assertEquals(T.plusSeconds(7), queue.head().due());
  }

  @Test
  void the_same_fire_and_version_is_found_with_its_jitter_and_moves_only_when_asked_to() {
    Instant fire = T.plusSeconds(10);
    queue.offer(job("a", fire, 0), 700, fire.plusMillis(700));
    assertEquals(700, queue.entryOf(job("a", fire, 0)).jitterMillis(), "a read-ahead seeing it again keeps it");
    assertEquals(null, queue.entryOf(job("a", fire, 1)), "another version is another fire");
    assertEquals(null, queue.entryOf(job("a", fire.plusSeconds(1), 0)), "and so is another fire time");
    queue.offer(job("a", fire, 0), 700, fire.plusMillis(1700));
    assertEquals(fire.plusMillis(1700), queue.head().due(), "moved: a peer is to claim it first now");
    assertEquals(1, queue.size());
  }

  /** A read that began before an edit can end after the edit's own read has queued the job: it must not undo it. */
  @Test
  void an_older_version_never_replaces_a_newer_one() {
    queue.offer(job("a", T.plusSeconds(30), 2), 0, T.plusSeconds(30));
    queue.offer(job("a", T.plusSeconds(1), 1), 0, T.plusSeconds(1));
    assertTrue(queue.holds("a", 2));
    assertEquals(List.of(), queue.pollDue(T.plusSeconds(5), 10), "the pre-edit fire is not claimed");
  }

  /** Removed and added again (its removal's notice named no job, so its entry stayed), a job starts at version 0. */
  @Test
  void a_job_added_again_replaces_the_entry_of_the_job_removed_under_its_id() {
    queue.offer(job("a", T.plusSeconds(30), 5), 0, T.plusSeconds(30));
    Job again = new Job("a", "n", "interval", "10s", "true", ZoneOffset.UTC, null, null, T, T.plusSeconds(1), false,
        new JsonObject(), 0, T.plusSeconds(1), T.plusSeconds(1));
    queue.offer(again, 0, T.plusSeconds(1));
    assertTrue(queue.holds("a", 0));
    assertEquals(List.of(again), queue.pollDue(T.plusSeconds(1), 10).stream().map(FireQueue.Entry::job).toList());
  }

  @Test
  void a_removed_job_is_never_polled() {
    offer("a", 1);
    queue.remove("a");
    assertEquals(0, queue.size());
    assertEquals(List.of(), queue.pollDue(T.plusSeconds(5), 10));
    assertEquals(null, queue.head());
  }

  @Test
  void a_closed_queue_sets_no_timer_and_cancels_its_own() {
    offer("a", 10);
    queue.close();
    assertEquals(List.of(), ticker.pending());
    offer("b", 1);
    ticker.advance(Duration.ofSeconds(30));
    assertEquals(List.of(), wokenAt);
  }

  @Test
  void an_entry_already_due_wakes_the_scheduler_at_the_next_tick() {
    clock.set(T.plusSeconds(60));
    offer("overdue", 1);
    assertEquals(List.of(T.plusSeconds(60).plusMillis(1)), ticker.pending(), "a timer of at least 1 ms, not a past one");
    ticker.tick();
    assertEquals(1, wokenAt.size());
  }
}
