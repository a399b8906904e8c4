package io.ruqi.store;

import java.time.Instant;

/** One fire of one job: the key of its running row and of its history rows. */
public record FireRef(String jobId, Instant fireTime) {
}
