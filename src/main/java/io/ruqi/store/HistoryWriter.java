package io.ruqi.store;

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
 * (0: none). When the database fails, the rows stay queued and the write
 * is retried with a growing pause: a fire's row is never dropped. Confined to its owner's event loop.
 */
public final class HistoryWriter {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
  private static final long MAX_RETRY_DELAY_MS = 30_000;

  private final Vertx vertx;
  private final HistoryStore store;
  private final int batchSize;
  private final long delayMs;
  private List<HistoryRecord> queue = new ArrayList<>();
  private boolean writing;
  private long timerId = -1;
  private long retryDelayMs;
  private final List<Promise<Void>> flushWaiters = new ArrayList<>();
  private final Set<String> endsNotWritten = new HashSet<>();

  public HistoryWriter(Vertx vertx, HistoryStore store, int batchSize, long delayMs) {
    this.vertx = vertx;
    this.store = store;
    this.batchSize = batchSize;
    this.delayMs = delayMs;
  }

  public void add(HistoryRecord record) {
    queue.add(record);
    if (record.endsTheFire()) {
      endsNotWritten.add(key(record));
    }
    if (queue.size() >= batchSize || (delayMs == 0 && !writing)) {
      writeNow();
    } else if (timerId == -1 && !writing) {
      timerId = vertx.setTimer(Math.max(1, delayMs), id -> {
        timerId = -1;
        writeNow();
      });
    }
  }

  public int queued() {
    return queue.size();
  }

  /** Fires ({@code job_id@epoch ms}) that have ended but whose rows, and so running-row releases, are not written. */
  public Set<String> endedNotWritten() {
    return endsNotWritten;
  }

  private static String key(HistoryRecord r) {
    return r.jobId() + "@" + r.fireTime().toEpochMilli();
  }

  /** Completes when every row added so far is written. */
  public Future<Void> flush() {
    if (queue.isEmpty() && !writing) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    flushWaiters.add(p);
    writeNow();
    return p.future();
  }

  private void writeNow() {
    if (writing || queue.isEmpty()) {
      return;
    }
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    writing = true;
    List<HistoryRecord> batch = queue;
    queue = new ArrayList<>();
    store.write(batch).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        retryDelayMs = 0;
        batch.stream().filter(HistoryRecord::endsTheFire).forEach(r -> endsNotWritten.remove(key(r)));
        afterWrite();
      } else {
        batch.addAll(queue);
        queue = batch;
        retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, retryDelayMs == 0 ? 500 : retryDelayMs * 2);
        LOG.warn("writing {} history rows failed, retrying in {} ms: {}", batch.size(), retryDelayMs,
            ar.cause().getMessage());
        timerId = vertx.setTimer(retryDelayMs, id -> {
          timerId = -1;
          writeNow();
        });
      }
    });
  }

  private void afterWrite() {
    if (!queue.isEmpty()) {
      if (queue.size() >= batchSize || !flushWaiters.isEmpty() || delayMs == 0) {
        writeNow();
      } else if (timerId == -1) {
        timerId = vertx.setTimer(Math.max(1, delayMs), id -> {
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
