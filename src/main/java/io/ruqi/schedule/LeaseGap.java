package io.ruqi.schedule;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How long this node went between two renewals of its lease, on the monotonic clock (a wall clock stepped by NTP is
 * no stall). A gap longer than the lease means peers may have judged this node stopped meanwhile and recorded its
 * running fires interrupted: the one sign, on this node, of why that happened (a stall of the JVM, the host or the
 * database).
 */
final class LeaseGap {
  private final long leaseNanos;
  private long lastRenewedNanos;
  private boolean renewed;

  LeaseGap(Duration lease) {
    this.leaseNanos = lease.toNanos();
  }

  /** Notes a renewal at {@code nanoTime}; answers the gap since the last one in ms when it outlasted the lease. */
  OptionalLong renewedAt(long nanoTime) {
    long gap = nanoTime - lastRenewedNanos;
    boolean outlasted = renewed && gap > leaseNanos;
    lastRenewedNanos = nanoTime;
    renewed = true;
    return outlasted ? OptionalLong.of(gap / 1_000_000) : OptionalLong.empty();
  }
}
