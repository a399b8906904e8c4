package io.ruqi.store;

import io.ruqi.progress.Progress;
import io.ruqi.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Deletes history older than the retention, a minute after start and then daily. 0 days keeps everything. */
public final class HistoryRetention {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);
  static final Duration FIRST_PURGE = Duration.ofMinutes(1);
  static final Duration PURGE_EVERY = Duration.ofDays(1);

  private final Ticker ticker;
  private final HistoryStore store;
  private final Clock clock;
  private final int days;
  private final Consumer<Future<Long>> purged;
  private volatile long timerId = -1;
  private volatile boolean stopped;

  public HistoryRetention(Vertx vertx, HistoryStore store, Clock clock, int days) {
    this(Ticker.of(vertx), store, clock, days, f -> { });
  }

  /** @param purged is handed each purge's outcome (the rows it deleted), so that a test sees it end */
  HistoryRetention(Ticker ticker, HistoryStore store, Clock clock, int days, Consumer<Future<Long>> purged) {
    this.ticker = ticker;
    this.store = store;
    this.clock = clock;
    this.days = days;
    this.purged = purged;
  }

  public void start() {
    if (days > 0) {
      schedule(FIRST_PURGE);
    }
  }

  private void schedule(Duration in) {
    timerId = ticker.schedule(in.toMillis(), () -> {
      if (stopped) {
        return;
      }
      schedule(PURGE_EVERY); // first: a purge that throws must not end retention for the life of the process
      purged.accept(purge());
    });
  }

  private Future<Long> purge() {
    return store.deleteBefore(clock.instant().minus(Duration.ofDays(days)), null, null,
            Progress.lines("history retention", "rows", 0, clock, LOG::info))
        .onSuccess(n -> LOG.info("history retention: deleted {} rows older than {} days", n, days))
        .onFailure(e -> LOG.warn("history retention failed: {}", e.getMessage()));
  }

  public void stop() {
    stopped = true;
    if (timerId != -1) {
      ticker.cancel(timerId);
    }
  }
}
