package io.ruqi.schedule;

import io.ruqi.store.StoreErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether this node's scheduler reaches the store, and since when: {@code /ready} and the status answer by it, and
 * a node judges its peers' leases only once it has itself reached the store for a whole lease (a node back from an
 * outage must have renewed its own first). A lost race (a deadlock, a Galera certification failure) is no sign of
 * an unreachable store: the store answered. Confined to the scheduler's event loop.
 */
final class StoreHealth {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  private final Clock clock;
  /** Told of every success: the history writer's pause after a failure need not run its course. */
  private final Runnable reached;
  private Instant okSince;
  private long errors;

  StoreHealth(Clock clock, Runnable reached) {
    this.clock = clock;
    this.reached = reached;
  }

  /** The scheduler started: its first reads succeeded. */
  void started() {
    okSince = clock.instant();
  }

  /** A read or write of the scheduler's succeeded. */
  void ok() {
    reached.run();
    if (okSince == null) {
      okSince = clock.instant();
      LOG.info("the store is reachable again");
    }
  }

  void failed(String what, Throwable e) {
    if (StoreErrors.isDeadlock(e)) {
      // another writer won (on Galera, a peer's commit through another member failed this one's certification): the
      // store answered at once, so /ready stays 200 and peers' leases are judged as before; the work is read again.
      // A lock wait timeout is no such sign: the database may be stalled (a Galera member being evicted)
      LOG.info("{} lost a race and is tried again: {}", what, e.getMessage());
      return;
    }
    errors++;
    okSince = null;
    LOG.warn("{} failed: {}", what, e.getMessage());
  }

  /** Whether the store has been reached without a failure for at least {@code span} by {@code now}. */
  boolean reachableFor(Duration span, Instant now) {
    return okSince != null && !okSince.plus(span).isAfter(now);
  }

  boolean reachable() {
    return okSince != null;
  }

  long errors() {
    return errors;
  }
}
