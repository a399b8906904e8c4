package io.ruqi.schedule;

import io.ruqi.store.FireRef;
import io.ruqi.store.Job;
import io.ruqi.testing.ManualTicker;
import io.ruqi.testing.SettableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Claimed fires marked started one lead ahead and started at their time, moved by a settable clock. */
class FireStarterTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");
  static final Duration MIN_LEAD = Duration.ofMillis(50);
  static final Duration MAX_LEAD = Duration.ofMillis(500);

  final SettableClock clock = new SettableClock(T);
  final ManualTicker ticker = new ManualTicker(clock);
  final Hooks hooks = new Hooks();
  final FireStarter starter = new FireStarter(ticker, clock, MIN_LEAD, MAX_LEAD, hooks);

  /** Records what the starter asks of the scheduler; marks are answered by the test. */
  final class Hooks implements FireStarter.Hooks {
    final List<List<FireRef>> marks = new ArrayList<>();
    final List<Promise<Set<FireRef>>> answers = new ArrayList<>();
    final List<String> started = new ArrayList<>();
    final List<Instant> startedAt = new ArrayList<>();
    final List<String> lost = new ArrayList<>();
    final List<String> givenUp = new ArrayList<>();
    boolean giveUp;

    @Override
    public Future<Set<FireRef>> mark(List<FireRef> fires) {
      marks.add(fires);
      Promise<Set<FireRef>> p = Promise.promise();
      answers.add(p);
      return p.future();
    }

    @Override
    public void start(FireStarter.Pending fire) {
      started.add(fire.job().id());
      startedAt.add(clock.instant());
    }

    @Override
    public void waiting(Duration wait) {
    }

    @Override
    public void lost(FireStarter.Pending fire) {
      lost.add(fire.job().id());
    }

    @Override
    public boolean giveUp(FireStarter.Pending fire, Throwable cause) {
      if (giveUp) {
        givenUp.add(fire.job().id());
      }
      return giveUp;
    }

    /** Answers the last mark: every fire it named is marked. */
    void markAll() {
      answers.get(answers.size() - 1).complete(new HashSet<>(marks.get(marks.size() - 1)));
    }
  }

  void add(String id, Instant at) {
    starter.add(FireQueueTest.job(id, at, 0), at, at);
  }

  static List<String> ids(List<FireRef> refs) {
    return refs.stream().map(FireRef::jobId).toList();
  }

  @Test
  void a_fire_is_marked_one_lead_ahead_and_starts_at_its_time_not_before() {
    Instant fire = T.plusSeconds(10);
    add("a", fire);
    assertEquals(MAX_LEAD, starter.lead(), "until a mark has been timed, the most");
    ticker.advance(Duration.ofSeconds(10).minus(MAX_LEAD).minusMillis(1));
    assertEquals(List.of(), hooks.marks, "not marked before its lead");
    ticker.advance(Duration.ofMillis(1));
    assertEquals(List.of(List.of(new FireRef("a", fire))), hooks.marks);
    hooks.markAll();
    assertEquals(List.of(), hooks.started, "marked, waiting for its time");
    assertEquals(1, starter.size());
    ticker.advance(Duration.between(clock.instant(), fire).minusMillis(1));
    assertEquals(List.of(), hooks.started);
    ticker.advance(Duration.ofMillis(1));
    assertEquals(List.of("a"), hooks.started);
    assertEquals(List.of(fire), hooks.startedAt);
    assertEquals(0, starter.size());
  }

  @Test
  void fires_due_together_are_marked_in_one_statement() {
    add("a", T.plusSeconds(10));
    add("b", T.plusSeconds(10));
    add("c", T.plusSeconds(10).plus(MAX_LEAD).plusMillis(1));
    ticker.advance(Duration.ofSeconds(10).minus(MAX_LEAD));
    assertEquals(1, hooks.marks.size());
    assertEquals(Set.of("a", "b"), Set.copyOf(ids(hooks.marks.get(0))), "c is not due for marking yet");
  }

  @Test
  void a_fire_a_peer_took_over_is_lost_not_started() {
    add("a", T.plusSeconds(1));
    add("b", T.plusSeconds(1));
    ticker.advance(Duration.ofSeconds(1).minus(MAX_LEAD));
    hooks.answers.get(0).complete(Set.of(new FireRef("b", T.plusSeconds(1))));
    ticker.advance(Duration.ofSeconds(5));
    assertEquals(List.of("a"), hooks.lost);
    assertEquals(List.of("b"), hooks.started);
  }

  @Test
  void a_failed_mark_is_tried_again_after_a_pause_with_the_same_fires() {
    add("a", T.plusSeconds(1));
    ticker.advance(Duration.ofSeconds(1).minus(MAX_LEAD));
    hooks.answers.get(0).fail(new VertxException("connection closed"));
    assertEquals(1, starter.size(), "still held while it waits to be marked again");
    ticker.advance(Duration.ofMillis(249));
    assertEquals(1, hooks.marks.size(), "not before the pause");
    ticker.advance(Duration.ofMillis(1));
    assertEquals(2, hooks.marks.size());
    assertEquals(hooks.marks.get(0), hooks.marks.get(1));
    hooks.markAll();
    ticker.advance(Duration.ofSeconds(1));
    assertEquals(List.of("a"), hooks.started);
  }

  @Test
  void a_fire_given_up_after_a_failed_mark_is_not_tried_again() {
    hooks.giveUp = true;
    add("a", T.plusSeconds(1));
    ticker.advance(Duration.ofSeconds(1).minus(MAX_LEAD));
    hooks.answers.get(0).fail(new VertxException("connection closed"));
    ticker.advance(Duration.ofSeconds(10));
    assertEquals(List.of("a"), hooks.givenUp);
    assertEquals(1, hooks.marks.size());
    assertEquals(List.of(), hooks.started);
    assertEquals(0, starter.size());
  }

  @Test
  void at_most_two_marks_are_in_flight_and_the_rest_wait_for_an_answer() {
    add("a", T.plusSeconds(1));
    ticker.advance(Duration.ofSeconds(1).minus(MAX_LEAD));
    add("b", T.plusSeconds(2));
    ticker.advance(Duration.ofSeconds(1));
    add("c", T.plusSeconds(3));
    ticker.advance(Duration.ofSeconds(1));
    assertEquals(2, hooks.marks.size(), "a and b in flight, c waits");
    hooks.answers.get(0).complete(Set.of(new FireRef("a", T.plusSeconds(1))));
    // the answer timed the mark, so the lead may have shrunk toward its least: c is marked by its time
    ticker.advance(Duration.ofMillis(500));
    assertEquals(3, hooks.marks.size(), "an answer lets the next mark go");
    assertEquals(List.of("c"), ids(hooks.marks.get(2)));
    assertTrue(hooks.started.contains("a"), "a was due already: it starts at once");
  }

  @Test
  void a_fire_claimed_within_the_lead_is_not_marked_again_and_starts_at_its_time() {
    Instant fire = T.plusMillis(300);
    starter.addStarted(FireQueueTest.job("a", fire, 0), fire, fire);
    ticker.advance(Duration.ofSeconds(1));
    assertEquals(List.of(), hooks.marks);
    assertEquals(List.of(fire), hooks.startedAt);
  }
}
