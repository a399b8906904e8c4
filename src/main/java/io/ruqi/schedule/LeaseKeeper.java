package io.ruqi.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How peers learn that a node died mid-run, and how this node acts on it: it renews its own lease (a third of a
 * lease apart) and looks for stranded fires (half a lease apart) through {@link TakeOver}.
 */
final class LeaseKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private final TakeOver takeOver;
  private final StoreHealth health;
  private final Clock clock;
  private final Duration lease;
  private final BooleanSupplier stopping;
  private final LeaseGap gap;

  LeaseKeeper(TakeOver takeOver, StoreHealth health, Clock clock, Duration lease, BooleanSupplier stopping) {
    this.takeOver = takeOver;
    this.health = health;
    this.clock = clock;
    this.lease = lease;
    this.stopping = stopping;
    this.gap = new LeaseGap(lease);
  }

  void renew() {
    takeOver.renewLease()
        .onSuccess(n -> {
          health.ok();
          // ChaosIT finds this warning in the nodes' logs by its words "without renewal (scheduler.lease"
          gap.renewedAt(System.nanoTime()).ifPresent(ms -> LOG.warn("this node's lease went {} ms without renewal"
              + " (scheduler.lease {} ms): the node or its database stalled, and a peer may have taken its fires"
              + " over meanwhile, recording the running ones interrupted", ms, lease.toMillis()));
        })
        .onFailure(e -> health.failed("renewing leases", e));
  }

  /**
   * Fires whose node stopped before they ended: rows of this node's that it lost track of, and the fires of nodes
   * that stopped renewing their lease; the latter only once this node has itself reached the store for a whole
   * lease, so that a live node coming back from a database outage has renewed its lease before anyone judges it.
   */
  void takeOverStranded() {
    if (stopping.getAsBoolean() || !health.reachable()) {
      return;
    }
    takeOver.orphans().onFailure(e -> health.failed("looking for fires this node lost track of", e));
    if (health.reachableFor(lease, clock.instant())) {
      takeOver.expiredPeers().onFailure(e -> health.failed("looking for the fires of stopped nodes", e));
    }
  }
}
