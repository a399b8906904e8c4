package io.ruqi.testing;

import io.ruqi.time.Ticker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Timers that go off only when the test moves the clock (as db-scheduler's {@code ManualScheduler}): each timer due
 * within the move runs, in order of its time, with the clock set to that time, so that what it does next sees the
 * time it would have seen in production. Runs on the caller's thread: call it where the code under test is confined.
 */
public final class ManualTicker implements Ticker {
  private record Timer(Instant due, long id, Runnable action) {
  }

  private final SettableClock clock;
  private final TreeSet<Timer> timers = new TreeSet<>(Comparator.comparing(Timer::due).thenComparing(Timer::id));
  private long nextId = 1;

  public ManualTicker(SettableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized long schedule(long delayMs, Runnable action) {
    long id = nextId++;
    timers.add(new Timer(clock.instant().plusMillis(Math.max(1, delayMs)), id, action));
    return id;
  }

  @Override
  public synchronized void cancel(long id) {
    timers.removeIf(t -> t.id() == id);
  }

  /** Moves the clock by {@code d}, running every timer that comes due on the way (those they set too). */
  public void advance(Duration d) {
    Instant to = clock.instant().plus(d);
    for (Timer next = nextDueBy(to); next != null; next = nextDueBy(to)) {
      if (next.due().isAfter(clock.instant())) {
        clock.set(next.due());
      }
      next.action().run();
    }
    clock.set(to);
  }

  /** Moves the clock to the next timer and runs it (and any due with it); false when none is set. */
  public boolean tick() {
    Optional<Instant> due = nextDue();
    due.ifPresent(at -> advance(at.isAfter(clock.instant()) ? Duration.between(clock.instant(), at) : Duration.ZERO));
    return due.isPresent();
  }

  /** When the earliest timer goes off. */
  public synchronized Optional<Instant> nextDue() {
    return timers.isEmpty() ? Optional.empty() : Optional.of(timers.first().due());
  }

  /** The times of the timers set, earliest first. */
  public synchronized List<Instant> pending() {
    return new ArrayList<>(timers.stream().map(Timer::due).toList());
  }

  private synchronized Timer nextDueBy(Instant to) {
    if (timers.isEmpty() || timers.first().due().isAfter(to)) {
      return null;
    }
    return timers.pollFirst();
  }
}
