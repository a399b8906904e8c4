package io.ruqi.store;

import io.ruqi.testing.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The claim tests on H2 (the embedded store of earlier releases, still opened by an h2: URL), and its start marks'
 * own connection. SQLite has one write lock for the whole database: there a mark waits for the transaction that
 * holds it, as a second connection would too.
 */
class H2ClaimStoreTest extends ClaimStoreTest {
  @Override
  String storeUrl() {
    return "h2:mem:" + UUID.randomUUID();
  }

  @Override
  Dialect dialect() {
    return Dialect.H2;
  }

  @Test
  void a_start_mark_does_not_wait_for_a_transaction_that_holds_the_store() throws Exception {
    TestNode.await(stores.jobs().insert(job("m1")));
    Instant fire = T.plusSeconds(10);
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(stores.claims().claim(List.of(
        new ClaimRequest("m1", 0, T.plusSeconds(20), fire, 1, null, fire)), "a", fire.minusMillis(200))));
    // a history write or a claim in its transaction: on the embedded store, with its one connection, a mark queued
    // behind the whole transaction and its fire started late
    io.vertx.sqlclient.SqlConnection conn = TestNode.await(stores.pool().getConnection());
    io.vertx.sqlclient.Transaction tx = TestNode.await(conn.begin());
    try {
      TestNode.await(conn.query("INSERT INTO ruqi_audit (c_time, actor, operation, node) VALUES"
          + " ('2026-11-21 04:00:00', 'test', 'job_add', 'a')").execute());
      FireRef m1 = new FireRef("m1", fire);
      assertEquals(Set.of(m1), stores.claims().markStarted("a", List.of(m1), fire.minusMillis(10))
          .toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      TestNode.await(tx.rollback());
      TestNode.await(conn.close());
    }
  }

}
