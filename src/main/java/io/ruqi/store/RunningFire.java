package io.ruqi.store;

import java.time.Instant;

/** A fire recorded as running on a node. */
public record RunningFire(String jobId, Instant fireTime, String node, Instant startTime) {
}
