package io.ruqi.store;

import java.time.Instant;

/** A fire recorded as running on a node; {@code startTime} is null while it was claimed ahead and not started. */
public record RunningFire(String jobId, Instant fireTime, String node, Instant startTime) {

  public boolean started() {
    return startTime != null;
  }
}
