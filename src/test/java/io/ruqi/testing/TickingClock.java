package io.ruqi.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves on by {@code step} at every reading: work that reads it at each step (a progress report) sees
 * time pass as much as the test says, however fast the machine is.
 */
public final class TickingClock extends Clock {
  private final Duration step;
  private Instant now;

  public TickingClock(Instant start, Duration step) {
    this.now = start;
    this.step = step;
  }

  @Override
  public synchronized Instant instant() {
    now = now.plus(step);
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
