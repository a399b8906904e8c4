package io.ruqi.schedule;

import io.ruqi.store.Job;
import io.ruqi.time.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The fires due soon, earliest first, with one Vert.x timer armed for the head. At most one entry per job is live:
 * offering a job again replaces its entry (the old one is skipped when it reaches the head). Confined to the
 * scheduler's event loop: no locks.
 */
final class FireQueue {

  /**
   * A job's next fire, and when to act on it: {@code due} is the fire time plus its {@code jitterMillis}, plus the
   * wait for a peer that is to claim it first.
   */
  record Entry(Instant due, long seq, Job job, long jitterMillis) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    boolean isFire(Job other) {
      return job.version() == other.version() && job.nextRunTime().equals(other.nextRunTime());
    }

    /** A later version of the same job (not of one removed and added again under its id: another creation time). */
    boolean isNewerThan(Job other) {
      return Objects.equals(job.created(), other.created()) && job.version() > other.version();
    }
  }

  private final Ticker ticker;
  private final Clock clock;
  private final Runnable onDue;
  private final Duration lead;
  private final PriorityQueue<Entry> heap = new PriorityQueue<>();
  private final Map<String, Entry> live = new HashMap<>();
  private long seq;
  private long timerId = -1;
  private Instant armedFor;
  private boolean closed;

  /** @param lead how long before an entry is due the timer goes off (the time a claim takes) */
  FireQueue(Ticker ticker, Clock clock, Duration lead, Runnable onDue) {
    this.ticker = ticker;
    this.clock = clock;
    this.lead = lead;
    this.onDue = onDue;
  }

  /**
   * Adds or replaces the job's entry. An entry of a newer version of the same job stays: a job's versions only grow,
   * so an older row is one read before the change that queued the newer (a read-ahead, or a change notice's read,
   * that ended late). A job removed and added again starts at version 0: it is another job (another creation time).
   */
  void offer(Job job, long jitterMillis, Instant due) {
    Entry current = live.get(job.id());
    if (current != null && (current.isNewerThan(job) || current.isFire(job) && current.due().equals(due))) {
      return;
    }
    Entry e = new Entry(due, seq++, job, jitterMillis);
    live.put(job.id(), e);
    heap.add(e);
    arm();
  }

  /** The entry of this very fire (the job's version and fire time), or null: its jitter is kept when queued again. */
  Entry entryOf(Job job) {
    Entry e = live.get(job.id());
    return e != null && e.isFire(job) ? e : null;
  }

  void remove(String jobId) {
    live.remove(jobId);
  }

  /** Whether the job is queued as of {@code version}. */
  boolean holds(String jobId, long version) {
    Entry e = live.get(jobId);
    return e != null && e.job().version() == version;
  }

  boolean contains(String jobId) {
    return live.containsKey(jobId);
  }

  List<Entry> entries() {
    return new ArrayList<>(live.values());
  }

  int size() {
    return live.size();
  }

  /** The live entries due at {@code now}, at most {@code max}, removed from the queue. */
  List<Entry> pollDue(Instant now, int max) {
    List<Entry> out = new ArrayList<>();
    while (out.size() < max && !heap.isEmpty() && !heap.peek().due().isAfter(now)) {
      Entry e = heap.poll();
      if (live.get(e.job().id()) == e) {
        live.remove(e.job().id());
        out.add(e);
      }
    }
    return out;
  }

  /** Whether an entry is due at {@code now}. */
  boolean hasDue(Instant now) {
    Entry head = head();
    return head != null && !head.due().isAfter(now);
  }

  /** The earliest live entry, or null. */
  Entry head() {
    while (!heap.isEmpty() && live.get(heap.peek().job().id()) != heap.peek()) {
      heap.poll();
    }
    return heap.peek();
  }

  /** Arms the timer for the head, unless a timer for that time or earlier is already armed. */
  void arm() {
    Entry head = head();
    if (closed || head == null || (timerId != -1 && !head.due().isBefore(armedFor))) {
      return;
    }
    if (timerId != -1) {
      ticker.cancel(timerId);
    }
    armedFor = head.due();
    long delay = Math.max(1, head.due().minus(lead).toEpochMilli() - clock.millis());
    timerId = ticker.schedule(delay, () -> {
      timerId = -1;
      armedFor = null;
      onDue.run();
    });
  }

  void close() {
    closed = true;
    if (timerId != -1) {
      ticker.cancel(timerId);
      timerId = -1;
    }
  }
}
