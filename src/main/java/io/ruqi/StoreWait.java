package io.ruqi;

import io.ruqi.store.StoreErrors;
import io.ruqi.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * A node restarted while its database restarts (a rolling restart of an HA pair, a database blip) must not exit
 * for good: while the database cannot be reached, the start on the store is tried again, with a growing pause (0.5 s
 * doubling to 5 s) and a log line per attempt. A database that answers and refuses (a wrong password, a bad
 * schema) still ends the start, with its reason. The pause stops growing at 5 s because the node does nothing else
 * meanwhile: a try refused by a closed port costs nothing, and a pause of 30 s kept a node restarted during a
 * database outage away for up to 30 s after the database came back, its share of the jobs run late by its peer.
 */
final class StoreWait {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWait.class);
  static final long FIRST_PAUSE_MS = 500;
  static final long MAX_PAUSE_MS = 5_000;

  private StoreWait() {
  }

  static <T> Future<T> retry(Vertx vertx, Supplier<Future<T>> attempt) {
    return attempt(vertx, attempt, 1, FIRST_PAUSE_MS);
  }

  private static <T> Future<T> attempt(Vertx vertx, Supplier<Future<T>> attempt, int n, long pauseMs) {
    return attempt.get().recover(e -> {
      if (!(e instanceof StoreUnavailableException) && !StoreErrors.isUnavailable(e)) {
        return Future.failedFuture(e);
      }
      LOG.warn("the store cannot be reached (start attempt {}): {}; trying again in {} s (/ready answers 503 until"
          + " then)", n, e.getMessage(), pauseMs / 1000.0);
      Promise<T> next = Promise.promise();
      vertx.setTimer(pauseMs, id -> attempt(vertx, attempt, n + 1, Math.min(MAX_PAUSE_MS, pauseMs * 2))
          .onComplete(next));
      return next.future();
    });
  }
}
