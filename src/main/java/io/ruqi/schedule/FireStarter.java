package io.ruqi.schedule;

import io.ruqi.store.FireRef;
import io.ruqi.store.Job;
import io.ruqi.time.Ticker;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Fires claimed ahead, waiting for their time. Shortly before it (the {@link MarkLead lead}) each is marked started
 * in the store, the fires due together in one statement, and it starts at its time once marked. Until then the fire
 * is only claimed: should this node die, a peer sees that it never started and runs it, rather than recording a run
 * that never happened as interrupted (what Quartz calls acquired, not yet executing). The lead follows how long
 * marks take: a busy database moves the marks earlier, so that starts are not later; but no earlier than it must,
 * since a node that dies between a mark and the run leaves that fire interrupted, unrun. Confined to the
 * scheduler's event loop.
 */
final class FireStarter {
  private static final int MARKS_IN_FLIGHT = 2;
  private static final int MARK_BATCH = 500;
  private static final Duration RETRY = Duration.ofMillis(250);
  /**
   * While a mark is in flight, the next one also takes the fires due this much after the one that set it off: one
   * statement for the fires of a window, where a mark per fire cost a commit per fire (at 2,000 fires/s the marks
   * fell behind and the runs started late). Only then: a fire marked early waits longer, marked and not yet run,
   * and a few fires a second never need it.
   */
  private static final Duration WINDOW = Duration.ofMillis(30);

  /** A claimed fire and when it starts (its fire time, plus any jitter); {@code parentFireId}: a chained fire's. */
  record Pending(Job job, Instant fire, Instant startAt, String parentFireId) {
    Pending(Job job, Instant fire, Instant startAt) {
      this(job, fire, startAt, null);
    }

    FireRef ref() {
      return new FireRef(job.id(), fire);
    }
  }

  /** What the starter needs of the scheduler. */
  interface Hooks {
    /** Marks the fires started in the store; answers those marked (the others were taken over by a peer). */
    Future<Set<FireRef>> mark(List<FireRef> fires);

    void start(Pending fire);

    /** A fire recorded started waits {@code wait} for its time (zero when it is due already). */
    void waiting(Duration wait);

    /** A fire taken over by a peer while it waited here. */
    void lost(Pending fire);

    /** A mark failed (the store is out of reach): answers true when the fire is past waiting and was dealt with. */
    boolean giveUp(Pending fire, Throwable cause);
  }

  private final Ticker ticker;
  private final Clock clock;
  private final MarkLead lead;
  private final Hooks hooks;
  private final PriorityQueue<Pending> waiting = new PriorityQueue<>(Comparator.comparing(Pending::startAt));
  /** Marked, or being marked, and not started yet. */
  private int marking;
  private int marksInFlight;
  private long timerId = -1;
  private Instant armedFor;

  /** @param minLead the least time before its start a fire is marked; @param maxLead the most */
  FireStarter(Ticker ticker, Clock clock, Duration minLead, Duration maxLead, Hooks hooks) {
    this.ticker = ticker;
    this.clock = clock;
    this.lead = new MarkLead(minLead, maxLead);
    this.hooks = hooks;
  }

  void add(Job job, Instant fire, Instant startAt) {
    add(job, fire, startAt, null);
  }

  /** A fire claimed and not started, that {@code parentFireId}'s end started (a job chain; null: none). */
  void add(Job job, Instant fire, Instant startAt, String parentFireId) {
    waiting.add(new Pending(job, fire, startAt, parentFireId));
    markDue();
  }

  /** A fire whose claim already recorded it started (claimed within the lead): it only waits for its time. */
  void addStarted(Job job, Instant fire, Instant startAt) {
    startAtItsTime(new Pending(job, fire, startAt));
  }

  /** How long before its start a fire is marked now. */
  Duration lead() {
    return lead.lead();
  }

  /** Fires claimed here and not started yet. */
  int size() {
    return waiting.size() + marking;
  }

  private void markDue() {
    Instant now = clock.instant();
    Duration lead = lead();
    while (marksInFlight < MARKS_IN_FLIGHT && !waiting.isEmpty()
        && !waiting.peek().startAt().minus(lead).isAfter(now)) {
      Instant until = now.plus(lead).plus(marksInFlight > 0 ? WINDOW : Duration.ZERO);
      List<Pending> batch = new ArrayList<>();
      while (batch.size() < MARK_BATCH && !waiting.isEmpty() && !waiting.peek().startAt().isAfter(until)) {
        batch.add(waiting.poll());
      }
      mark(batch);
    }
    arm();
  }

  private void mark(List<Pending> batch) {
    marksInFlight++;
    marking += batch.size();
    long sent = System.nanoTime();
    hooks.mark(batch.stream().map(Pending::ref).toList()).onComplete(ar -> {
      if (ar.succeeded()) {
        lead.took(System.nanoTime() - sent);
      }
      marksInFlight--;
      marking -= batch.size();
      if (ar.succeeded()) {
        for (Pending p : batch) {
          if (ar.result().contains(p.ref())) {
            startAtItsTime(p);
          } else {
            hooks.lost(p);
          }
        }
      } else {
        retryLater(batch, ar.cause());
      }
      markDue();
    });
  }

  private void startAtItsTime(Pending p) {
    long waitNanos = Duration.between(clock.instant(), p.startAt()).toNanos();
    hooks.waiting(Duration.ofNanos(Math.max(0, waitNanos)));
    if (waitNanos <= 0) {
      hooks.start(p);
      return;
    }
    marking++;
    // rounded up: a timer never goes off early, so a fire never starts before its time
    ticker.schedule(Math.max(1, (waitNanos + 999_999) / 1_000_000), () -> {
      marking--;
      hooks.start(p);
    });
  }

  private void retryLater(List<Pending> batch, Throwable cause) {
    List<Pending> again = batch.stream().filter(Predicate.not(p -> hooks.giveUp(p, cause))).toList();
    if (again.isEmpty()) {
      return;
    }
    marking += again.size();
    ticker.schedule(RETRY.toMillis(), () -> {
      marking -= again.size();
      waiting.addAll(again);
      markDue();
    });
  }

  /** One timer, for the head's mark; re-armed only when the head is earlier than what it is armed for. */
  private void arm() {
    Pending head = waiting.peek();
    if (head == null || marksInFlight >= MARKS_IN_FLIGHT || (timerId != -1 && !head.startAt().isBefore(armedFor))) {
      return;
    }
    if (timerId != -1) {
      ticker.cancel(timerId);
    }
    armedFor = head.startAt();
    long delay = Math.max(1, head.startAt().minus(lead()).toEpochMilli() - clock.millis());
    timerId = ticker.schedule(delay, () -> {
      timerId = -1;
      armedFor = null;
      markDue();
    });
  }
}
