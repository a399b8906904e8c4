package io.ruqi.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ruqi.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects history rows and writes them many per statement. One write takes everything queued meanwhile, so batches
 * grow with the load by themselves; {@code delayMs} adds a wait before a write (0: none, but a busy writer rests
 * {@link #BUSY_REST_MS} between writes). Confined to its owner's event loop.
 *
 * <p>While rows pile up faster than one write takes them (a drain), up to {@code writes} writes run at once, each of
 * at most {@code rowsPerWrite} rows: a database with connections to spare then writes them side by side, where one
 * transaction of every row queued made the history lag the fires by seconds. A second write starts only once a
 * batch's worth ({@code batchSize}) waits, so a quiet node still writes one batch at a time. A write can lose a lock
 * to another transaction (a deadlock: the database rolls one back whole); the loser is written again at once.
 *
 * <p>When the database cannot be reached (or a batch waited too long for a lock), the rows stay queued and the write
 * is retried with a growing pause, and no other write starts meanwhile; the pause ends early once another statement
 * reaches the store ({@link #storeReached}). A batch the database refuses for what it holds is written again row by
 * row, so that one bad row costs only itself: it is logged and counted
 * ({@code ruqi_history_rejected_total}), its fire's running row is still released, and the other rows are written.
 * The queue holds at most {@code queueLimit} rows: beyond that (a database that stays away for long while runs keep
 * ending) new rows are dropped, counted ({@code ruqi_history_dropped_total}) and logged, and only their fires'
 * running rows are kept to be released.
 */
public final class HistoryWriter {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
  private static final long MAX_RETRY_DELAY_MS = 30_000;
  /**
   * With no {@code delayMs}, how long a write that ended with rows queued waits before the next: a row that comes to
   * a quiet writer goes at once, and a busy one writes about a hundred times a second. Written as soon as the last
   * ended, 2,000 fires a second went in a thousand transactions of two rows, each of several statements (the
   * release, the insert, the done jobs' lock, read and removal, their audit) and a durable commit.
   */
  static final long BUSY_REST_MS = 10;
  /**
   * The pause before a write that lost a deadlock is tried again: the winner holds its locks only to its commit. It
   * doubles while deadlocks follow each other (to {@link #MAX_DEADLOCK_RETRY_MS}), as a conflict that keeps coming
   * back (a Galera certification failure is reported as one) is no reason to spin.
   */
  private static final long DEADLOCK_RETRY_MS = 5;
  private static final long MAX_DEADLOCK_RETRY_MS = 500;
  public static final int DEFAULT_QUEUE_LIMIT = 50_000;
  /**
   * Rows one write takes at most: a drain's backlog is cut into writes that can go side by side, and no transaction
   * holds tens of thousands of rows (on the embedded store, one write at a time, this cost nothing measurable).
   */
  public static final int ROWS_PER_WRITE = 2_000;

  private final Ticker ticker;
  private final HistoryStore store;
  private final int batchSize;
  private final long delayMs;
  private final int queueLimit;
  private final int writes;
  private final int rowsPerWrite;
  private final Counter dropped;
  private final Counter rejected;
  private List<HistoryRecord> queue = new ArrayList<>();
  /** Ended fires whose rows were dropped: their running rows are still released. */
  private List<FireRef> releases = new ArrayList<>();
  /** Rows in the writes in flight. */
  private int inFlight;
  private int writing;
  /** A retry is pending: no write starts before it. */
  private boolean pausing;
  private long pauseMs;
  /** The jobs whose rows the writes in flight hold: each in one write. */
  private final Set<String> jobsInFlight = new HashSet<>();
  private long timerId = -1;
  private long retryDelayMs;
  private long deadlockRetryMs;
  /** The pause under way is for a store out of reach (not a lost lock): the store answering elsewhere ends it. */
  private boolean awaitingStore;
  private long droppedUnlogged;
  private final List<Promise<Void>> flushWaiters = new ArrayList<>();
  private final Set<FireRef> endsNotWritten = new HashSet<>();

  public HistoryWriter(Vertx vertx, HistoryStore store, int batchSize, long delayMs) {
    this(vertx, store, batchSize, delayMs, DEFAULT_QUEUE_LIMIT, new SimpleMeterRegistry());
  }

  public HistoryWriter(Vertx vertx, HistoryStore store, int batchSize, long delayMs, int queueLimit,
                       MeterRegistry registry) {
    this(Ticker.of(vertx), store, batchSize, delayMs, queueLimit, 1, Integer.MAX_VALUE, registry);
  }

  /** As above, with up to {@code writes} writes of at most {@code rowsPerWrite} rows at once (see the class). */
  public HistoryWriter(Vertx vertx, HistoryStore store, int batchSize, long delayMs, int queueLimit, int writes,
                       int rowsPerWrite, MeterRegistry registry) {
    this(Ticker.of(vertx), store, batchSize, delayMs, queueLimit, writes, rowsPerWrite, registry);
  }

  HistoryWriter(Ticker ticker, HistoryStore store, int batchSize, long delayMs, int queueLimit,
                MeterRegistry registry) {
    this(ticker, store, batchSize, delayMs, queueLimit, 1, Integer.MAX_VALUE, registry);
  }

  HistoryWriter(Ticker ticker, HistoryStore store, int batchSize, long delayMs, int queueLimit, int writes,
                int rowsPerWrite, MeterRegistry registry) {
    if (writes < 1 || rowsPerWrite < 1) {
      throw new IllegalArgumentException("writes and rowsPerWrite must be at least 1");
    }
    this.ticker = ticker;
    this.store = store;
    this.batchSize = batchSize;
    this.delayMs = delayMs;
    this.queueLimit = queueLimit;
    this.writes = writes;
    this.rowsPerWrite = rowsPerWrite;
    this.dropped = Counter.builder("ruqi.history.dropped")
        .description("History rows dropped because the queue was full (history.queue_limit)").register(registry);
    this.rejected = Counter.builder("ruqi.history.rejected")
        .description("History rows the database refused on their own; logged, not kept").register(registry);
  }

  public void add(HistoryRecord record) {
    if (queue.size() + inFlight >= queueLimit) {
      drop(record);
      return;
    }
    queue.add(record);
    if (record.endsTheFire()) {
      endsNotWritten.add(key(record));
    }
    if (queue.size() >= batchSize || (delayMs == 0 && writing == 0 && timerId == -1)) {
      writeNow();
    } else if (timerId == -1 && writing == 0) {
      timerId = ticker.schedule(Math.max(1, delayMs), () -> {
        timerId = -1;
        writeNow();
      });
    }
  }

  private void drop(HistoryRecord record) {
    dropped.increment();
    if (droppedUnlogged++ == 0) {
      LOG.warn("the history queue is full ({} rows waiting for the store): new rows are dropped until it drains"
          + " (history.queue_limit; counted in ruqi_history_dropped_total)", queue.size() + inFlight);
    }
    // a release is a key, not a row: many more are kept, so that a dropped row does not hold its job's max_instances
    if (record.endsTheFire() && releases.size() < Math.max(10_000, 4L * queueLimit)) {
      releases.add(new FireRef(record.jobId(), record.fireTime()));
      endsNotWritten.add(key(record));
    }
  }

  /** The job chains the rows written here start (their last rows' on_success, on_failure). */
  public ChainStarts chains() {
    return store.chains();
  }

  public int queued() {
    return queue.size() + inFlight;
  }

  /** Fires that have ended but whose rows, and so running-row releases, are not written. */
  public Set<FireRef> endedNotWritten() {
    return endsNotWritten;
  }

  private static FireRef key(HistoryRecord r) {
    return new FireRef(r.jobId(), r.fireTime());
  }

  /** Completes when every row added so far is written (or refused, or dropped). */
  public Future<Void> flush() {
    if (queue.isEmpty() && releases.isEmpty() && writing == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    flushWaiters.add(p);
    writeNow();
    return p.future();
  }

  /**
   * Another of this node's statements reached the store: a write pausing because the store was out of reach goes
   * now. The pause grows while the store stays away (to 30 s); waited out after the store came back, it kept the rows
   * from the store that long, and with them the release of their fires' running rows: a peer found those jobs at
   * max_instances, and their fires ran late (seen in the chaos test: 20-27 s). A write that waited too long for a
   * lock (a busy database, which a read can reach all the same) waits its pause out; one that lost a deadlock goes
   * again at once.
   */
  public void storeReached() {
    if (!pausing || !awaitingStore) {
      return;
    }
    awaitingStore = false;
    LOG.info("the store answers again: the {} history rows waiting are written now", queue.size());
    ticker.cancel(timerId);
    timerId = -1;
    pausing = false;
    writeNow();
  }

  /** Starts the writes the queue and the free slots allow: the first for any row, the others for a full batch. */
  private void writeNow() {
    if (pausing) {
      return;
    }
    if (timerId != -1) {
      ticker.cancel(timerId);
      timerId = -1;
    }
    while (writing < writes && (writing == 0 ? !queue.isEmpty() || !releases.isEmpty() : queue.size() >= batchSize)
        && startWrite()) {
      // started one; another while slots and rows allow
    }
  }

  /**
   * Starts a write of the queue's first rows, leaving those of jobs another write holds: a job's rows are in one
   * write at a time, so they commit in the order they came (a fire's failed attempt before the attempt that ends
   * it) whatever becomes of a write. Answers false when there was nothing it could take.
   */
  private boolean startWrite() {
    List<HistoryRecord> batch = new ArrayList<>(Math.min(queue.size(), rowsPerWrite));
    List<HistoryRecord> left = new ArrayList<>();
    for (HistoryRecord r : queue) {
      if (batch.size() < rowsPerWrite && !jobsInFlight.contains(r.jobId())) {
        batch.add(r);
      } else {
        left.add(r);
      }
    }
    if (batch.isEmpty() && releases.isEmpty()) {
      return false;
    }
    queue = left;
    Set<String> jobs = new HashSet<>();
    batch.forEach(r -> jobs.add(r.jobId()));
    jobsInFlight.addAll(jobs);
    writing++;
    List<FireRef> released = releases;
    releases = new ArrayList<>();
    inFlight += batch.size();
    store.write(batch, released).onComplete(ar -> {
      if (ar.succeeded()) {
        written(batch, released);
        writeDone(batch.size(), jobs);
      } else if (StoreErrors.isTransient(ar.cause())) {
        retryLater(batch, released, batch.size(), jobs, ar.cause());
      } else {
        LOG.warn("the store refused a batch of {} history rows ({}); writing them one by one",
            batch.size(), ar.cause().getMessage());
        store.write(List.of(), released).onComplete(rel -> {
          if (rel.failed()) {
            retryLater(batch, released, batch.size(), jobs, rel.cause());
          } else {
            written(List.of(), released);
            oneByOne(batch, 0, jobs);
          }
        });
      }
    });
    return true;
  }

  /** Writes {@code batch} from {@code from} on, each row in a transaction of its own. */
  private void oneByOne(List<HistoryRecord> batch, int from, Set<String> jobs) {
    if (from == batch.size()) {
      writeDone(0, jobs);
      return;
    }
    HistoryRecord r = batch.get(from);
    store.write(List.of(r)).recover(e -> StoreErrors.isTransient(e) ? Future.failedFuture(e) : refused(r, e))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            written(List.of(r), List.of());
            inFlight--;
            oneByOne(batch, from + 1, jobs);
          } else {
            retryLater(new ArrayList<>(batch.subList(from, batch.size())), List.of(), batch.size() - from, jobs,
                ar.cause());
          }
        });
  }

  /** A row the database refuses on its own: logged and counted; its fire's running row is released all the same. */
  private Future<List<Job>> refused(HistoryRecord r, Throwable why) {
    rejected.increment();
    LOG.error("history row refused by the store and not kept: job={} fire_time={} attempt={} status={}: {}",
        r.jobId(), r.fireTime(), r.attempt(), r.status().wire(), why.getMessage());
    return store.write(List.of(), r.endsTheFire() ? List.of(new FireRef(r.jobId(), r.fireTime())) : List.of());
  }

  private void written(List<HistoryRecord> rows, List<FireRef> released) {
    rows.stream().filter(HistoryRecord::endsTheFire).forEach(r -> endsNotWritten.remove(key(r)));
    released.forEach(endsNotWritten::remove);
  }

  /** {@code batch} goes back to the queue's head; its write ends, with {@code rowsInFlight} of its rows. */
  private void retryLater(List<HistoryRecord> batch, List<FireRef> released, int rowsInFlight, Set<String> jobs,
                          Throwable cause) {
    ended(jobs);
    inFlight -= rowsInFlight;
    batch.addAll(queue);
    queue = batch;
    List<FireRef> allReleases = new ArrayList<>(released);
    allReleases.addAll(releases);
    releases = allReleases;
    if (StoreErrors.isDeadlock(cause)) {
      // lost to another transaction (this writer's other write, a claim, a peer's write), which goes on: the
      // database answered, and a deadlock always has a winner, so this is no outage to wait out
      deadlockRetryMs = Math.min(MAX_DEADLOCK_RETRY_MS, deadlockRetryMs == 0 ? DEADLOCK_RETRY_MS : deadlockRetryMs * 2);
      LOG.debug("a history write of {} rows lost a deadlock; writing it again in {} ms", batch.size(),
          deadlockRetryMs);
      pauseThenWrite(deadlockRetryMs);
      return;
    }
    retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, retryDelayMs == 0 ? 500 : retryDelayMs * 2);
    // a write beside it that lost a lock says nothing of the store's return
    // a full disk is no outage: the store answers reads all along, so only the pause ends the wait
    awaitingStore = pausing && awaitingStore || StoreErrors.isUnavailable(cause) && !StoreErrors.isLostRace(cause)
        && !StoreErrors.isUnwritable(cause);
    LOG.warn("writing {} history rows failed, retrying in {} ms: {}", batch.size(), retryDelayMs, cause.getMessage());
    pauseThenWrite(retryDelayMs);
  }

  /** No write starts for {@code ms}; a longer pause asked meanwhile (an outage after a deadlock) replaces a shorter. */
  private void pauseThenWrite(long ms) {
    if (pausing && ms <= pauseMs) {
      return;
    }
    if (timerId != -1) {
      ticker.cancel(timerId);
    }
    pausing = true;
    pauseMs = ms;
    timerId = ticker.schedule(ms, () -> {
      timerId = -1;
      pausing = false;
      awaitingStore = false;
      writeNow();
    });
  }

  private void ended(Set<String> jobs) {
    writing--;
    jobsInFlight.removeAll(jobs);
  }

  private void writeDone(int rows, Set<String> jobs) {
    ended(jobs);
    inFlight -= rows;
    retryDelayMs = 0;
    deadlockRetryMs = 0;
    if (droppedUnlogged > 0 && queue.size() < queueLimit / 2) {
      LOG.warn("the history queue drains again; {} rows were dropped while it was full", droppedUnlogged);
      droppedUnlogged = 0;
    }
    if (pausing) {
      return;
    }
    if (!queue.isEmpty() || !releases.isEmpty()) {
      if (queue.size() >= batchSize || !flushWaiters.isEmpty() || !releases.isEmpty()) {
        writeNow();
      } else if (timerId == -1 && writing == 0) {
        // rows came while this one was written: a busy node, whose next write waits to take more of them
        timerId = ticker.schedule(Math.max(1, delayMs == 0 ? BUSY_REST_MS : delayMs), () -> {
          timerId = -1;
          writeNow();
        });
      }
      return;
    }
    if (writing == 0) {
      List<Promise<Void>> done = new ArrayList<>(flushWaiters);
      flushWaiters.clear();
      done.forEach(Promise::complete);
    }
  }
}
