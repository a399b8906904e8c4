package io.ruqi.schedule;

import io.ruqi.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreHealthTest {
  static final Duration LEASE = Duration.ofSeconds(10);

  final SettableClock clock = new SettableClock(Instant.parse("2026-11-21T12:00:00Z"));
  final StoreHealth health = new StoreHealth(clock, () -> { });

  @Test
  void peers_are_judged_only_after_a_whole_lease_of_reaching_the_store() {
    assertFalse(health.reachable(), "not before the start");
    health.started();
    assertTrue(health.reachable());
    clock.advance(LEASE.minusMillis(1));
    assertFalse(health.reachableFor(LEASE, clock.instant()));
    clock.advance(Duration.ofMillis(1));
    assertTrue(health.reachableFor(LEASE, clock.instant()));
  }

  @Test
  void an_outage_counts_and_starts_the_lease_again_once_the_store_answers() {
    health.started();
    clock.advance(LEASE);
    health.failed("reading due jobs", new ConnectException("connection refused"));
    assertFalse(health.reachable());
    assertEquals(1, health.errors());
    clock.advance(Duration.ofSeconds(3));
    health.ok();
    assertTrue(health.reachable());
    clock.advance(LEASE.minusMillis(1));
    assertFalse(health.reachableFor(LEASE, clock.instant()), "a lease from when it answered again, not the start");
    clock.advance(Duration.ofMillis(1));
    assertTrue(health.reachableFor(LEASE, clock.instant()));
  }

  @Test
  void a_lost_race_is_no_outage_the_store_answered() {
    health.started();
    clock.advance(LEASE);
    health.failed("claiming 3 fires", new SQLException("Deadlock found", "40001", 1213));
    assertTrue(health.reachableFor(LEASE, clock.instant()));
    assertEquals(0, health.errors());
    health.failed("claiming 3 fires", new SQLException("Lock wait timeout exceeded", "HY000", 1205));
    assertFalse(health.reachable(), "a lock wait timeout may be a stalled database");
  }
}
