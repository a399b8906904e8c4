package io.ruqi.store;

import java.time.Instant;

/**
 * A fire recorded as running on a node; {@code startTime} is null while it was claimed ahead and not started;
 * {@code parentFireId} names the fire whose end started it (a job chain), or is null.
 */
public record RunningFire(String jobId, Instant fireTime, String node, Instant startTime, String parentFireId) {

  public RunningFire(String jobId, Instant fireTime, String node, Instant startTime) {
    this(jobId, fireTime, node, startTime, null);
  }

  public boolean started() {
    return startTime != null;
  }
}
