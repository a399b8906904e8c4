package io.ruqi.store;

import io.ruqi.progress.Progress;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/** Deletes history older than the retention, a minute after start and then daily. 0 days keeps everything. */
public final class HistoryRetention {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);

  private final Vertx vertx;
  private final HistoryStore store;
  private final Clock clock;
  private final int days;
  private long timerId = -1;

  public HistoryRetention(Vertx vertx, HistoryStore store, Clock clock, int days) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.days = days;
  }

  public void start() {
    if (days <= 0) {
      return;
    }
    timerId = vertx.setTimer(Duration.ofMinutes(1).toMillis(), id -> {
      purge();
      timerId = vertx.setPeriodic(Duration.ofDays(1).toMillis(), p -> purge());
    });
  }

  void purge() {
    store.deleteBefore(clock.instant().minus(Duration.ofDays(days)), null, null,
            Progress.lines("history retention", "rows", 0, clock, LOG::info))
        .onSuccess(n -> LOG.info("history retention: deleted {} rows older than {} days", n, days))
        .onFailure(e -> LOG.warn("history retention failed: {}", e.getMessage()));
  }

  public void stop() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
    }
  }
}
