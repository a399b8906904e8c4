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
 * Collects history rows and writes them many per statement. One write is in flight at a time and takes everything
 * queued meanwhile, so batches grow with the load by themselves; {@code delayMs} adds a wait before a write
 * (0: none). Confined to its owner's event loop.
 *
 * <p>When the database cannot be reached (or a batch lost a lock), the rows stay queued and the write is retried
 * with a growing pause. A batch the database refuses for what it holds is written again row by row, so that one bad
 * row costs only itself: it is logged and counted ({@code ruqi_history_rejected_total}), its fire's running row is
 * still released, and the other rows are written. The queue holds at most {@code queueLimit} rows: beyond that (a
 * database that stays away for long while runs keep ending) new rows are dropped, counted
 * ({@code ruqi_history_dropped_total}) and logged, and only their fires' running rows are kept to be released.
 */
public final class HistoryWriter {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
  private static final long MAX_RETRY_DELAY_MS = 30_000;
  public static final int DEFAULT_QUEUE_LIMIT = 50_000;

  private final Ticker ticker;
  private final HistoryStore store;
  private final int batchSize;
  private final long delayMs;
  private final int queueLimit;
  private final Counter dropped;
  private final Counter rejected;
  private List<HistoryRecord> queue = new ArrayList<>();
  /** Ended fires whose rows were dropped: their running rows are still released. */
  private List<FireRef> releases = new ArrayList<>();
  private int inFlight;
  private boolean writing;
  private long timerId = -1;
  private long retryDelayMs;
  private long droppedUnlogged;
  private final List<Promise<Void>> flushWaiters = new ArrayList<>();
  private final Set<FireRef> endsNotWritten = new HashSet<>();

  public HistoryWriter(Vertx vertx, HistoryStore store, int batchSize, long delayMs) {
    this(vertx, store, batchSize, delayMs, DEFAULT_QUEUE_LIMIT, new SimpleMeterRegistry());
  }

  public HistoryWriter(Vertx vertx, HistoryStore store, int batchSize, long delayMs, int queueLimit,
                       MeterRegistry registry) {
    this(Ticker.of(vertx), store, batchSize, delayMs, queueLimit, registry);
  }

  HistoryWriter(Ticker ticker, HistoryStore store, int batchSize, long delayMs, int queueLimit,
                MeterRegistry registry) {
    this.ticker = ticker;
    this.store = store;
    this.batchSize = batchSize;
    this.delayMs = delayMs;
    this.queueLimit = queueLimit;
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
    if (queue.size() >= batchSize || (delayMs == 0 && !writing)) {
      writeNow();
    } else if (timerId == -1 && !writing) {
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
    if (queue.isEmpty() && releases.isEmpty() && !writing) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    flushWaiters.add(p);
    writeNow();
    return p.future();
  }

  private void writeNow() {
    if (writing || (queue.isEmpty() && releases.isEmpty())) {
      return;
    }
    if (timerId != -1) {
      ticker.cancel(timerId);
      timerId = -1;
    }
    writing = true;
    List<HistoryRecord> batch = queue;
    List<FireRef> released = releases;
    queue = new ArrayList<>();
    releases = new ArrayList<>();
    inFlight = batch.size();
    store.write(batch, released).onComplete(ar -> {
      if (ar.succeeded()) {
        written(batch, released);
        writeDone();
      } else if (StoreErrors.isTransient(ar.cause())) {
        retryLater(batch, released, ar.cause());
      } else {
        LOG.warn("the store refused a batch of {} history rows ({}); writing them one by one",
            batch.size(), ar.cause().getMessage());
        store.write(List.of(), released).onComplete(rel -> {
          if (rel.failed()) {
            retryLater(batch, released, rel.cause());
          } else {
            written(List.of(), released);
            oneByOne(batch, 0);
          }
        });
      }
    });
  }

  /** Writes {@code batch} from {@code from} on, each row in a transaction of its own. */
  private void oneByOne(List<HistoryRecord> batch, int from) {
    if (from == batch.size()) {
      writeDone();
      return;
    }
    HistoryRecord r = batch.get(from);
    store.write(List.of(r)).recover(e -> StoreErrors.isTransient(e) ? Future.failedFuture(e) : refused(r, e))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            written(List.of(r), List.of());
            inFlight--;
            oneByOne(batch, from + 1);
          } else {
            retryLater(new ArrayList<>(batch.subList(from, batch.size())), List.of(), ar.cause());
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
    retryDelayMs = 0;
    rows.stream().filter(HistoryRecord::endsTheFire).forEach(r -> endsNotWritten.remove(key(r)));
    released.forEach(endsNotWritten::remove);
  }

  private void retryLater(List<HistoryRecord> batch, List<FireRef> released, Throwable cause) {
    writing = false;
    inFlight = 0;
    batch.addAll(queue);
    queue = batch;
    List<FireRef> allReleases = new ArrayList<>(released);
    allReleases.addAll(releases);
    releases = allReleases;
    retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, retryDelayMs == 0 ? 500 : retryDelayMs * 2);
    LOG.warn("writing {} history rows failed, retrying in {} ms: {}", batch.size(), retryDelayMs, cause.getMessage());
    timerId = ticker.schedule(retryDelayMs, () -> {
      timerId = -1;
      writeNow();
    });
  }

  private void writeDone() {
    writing = false;
    inFlight = 0;
    if (droppedUnlogged > 0 && queue.size() < queueLimit / 2) {
      LOG.warn("the history queue drains again; {} rows were dropped while it was full", droppedUnlogged);
      droppedUnlogged = 0;
    }
    if (!queue.isEmpty() || !releases.isEmpty()) {
      if (queue.size() >= batchSize || !flushWaiters.isEmpty() || delayMs == 0 || !releases.isEmpty()) {
        writeNow();
      } else if (timerId == -1) {
        timerId = ticker.schedule(Math.max(1, delayMs), () -> {
          timerId = -1;
          writeNow();
        });
      }
      return;
    }
    List<Promise<Void>> done = new ArrayList<>(flushWaiters);
    flushWaiters.clear();
    done.forEach(Promise::complete);
  }
}
