package io.ruqi.client;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on a future from the test's thread (never an event loop's). */
final class Await {
  private static final long SECONDS = 30;

  private Await() {
  }

  static <T> T result(Future<T> future) {
    try {
      return future.await(SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + SECONDS + " s", e);
    }
  }

  /** The failure of a future that must fail. */
  static Throwable failure(Future<?> future) {
    AsyncResult<?> outcome = result(future.transform(Future::succeededFuture));
    if (outcome.succeeded()) {
      throw new AssertionError("expected a failure, got " + outcome.result());
    }
    return outcome.cause();
  }

  /** The {@link RuqiException} of a call that ruqi must refuse. */
  static RuqiException refusal(Future<?> future) {
    Throwable failure = failure(future);
    if (failure instanceof RuqiException refused) {
      return refused;
    }
    throw new AssertionError("expected ruqi's refusal, got " + failure, failure);
  }
}
