package io.ruqi.time;

import io.vertx.core.Vertx;

/**
 * One-shot timers, the only way the scheduler's queues and the history writer act by themselves. A seam of its own
 * so that tests move time by hand (a settable clock and {@code ManualTicker}) and see those parts act at once,
 * instead of waiting for Vert.x timers to go off in real time. Production uses {@link #of(Vertx)}.
 */
public interface Ticker {

  /** Runs {@code action} once, {@code delayMs} (at least 1) from now; answers an id for {@link #cancel}. */
  long schedule(long delayMs, Runnable action);

  void cancel(long id);

  /** Vert.x timers: the action runs on the caller's context, as {@code vertx.setTimer} does. */
  static Ticker of(Vertx vertx) {
    return new Ticker() {
      @Override
      public long schedule(long delayMs, Runnable action) {
        return vertx.setTimer(Math.max(1, delayMs), id -> action.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    };
  }
}
