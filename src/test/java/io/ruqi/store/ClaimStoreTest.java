package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The claim protocol on the embedded store: one winner per fire, max_instances counted in the store. */
class ClaimStoreTest {

  /** The store under test; MySqlClaimStoreTest runs the same tests on MariaDB. */
  String storeUrl() {
    return "h2:mem:" + UUID.randomUUID();
  }

  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  Vertx vertx;
  Stores stores;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    RuqiConfig config = RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", storeUrl())));
    stores = TestNode.await(StoreFactory.open(vertx, config));
  }

  @AfterEach
  void close() {
    // close from the test thread: a continuation on a closing Vert.x would never run
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  Job job(String id) {
    return new Job(id, "n", "interval", "10s", "true", ZoneOffset.UTC, null, null, T, T.plusSeconds(10), false,
        new JsonObject(), 0, T, T);
  }

  ClaimRequest bid(String id, long version, int maxInstances) {
    return new ClaimRequest(id, version, T.plusSeconds(20), T.plusSeconds(10), maxInstances);
  }

  @Test
  void of_two_nodes_bidding_for_the_same_fires_exactly_one_wins_each() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add("j" + i);
      TestNode.await(stores.jobs().insert(job("j" + i)));
    }
    ClaimStore nodeA = new ClaimStore(stores.pool());
    ClaimStore nodeB = new ClaimStore(stores.pool());
    List<ClaimRequest> bids = ids.stream().map(id -> bid(id, 0, 1)).toList();
    Future<List<ClaimOutcome>> a = nodeA.claim(bids, "a", T.plusSeconds(10), Duration.ofSeconds(30));
    Future<List<ClaimOutcome>> b = nodeB.claim(bids, "b", T.plusSeconds(10), Duration.ofSeconds(30));
    List<ClaimOutcome> ra = TestNode.await(a);
    List<ClaimOutcome> rb = TestNode.await(b);
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(1, (ra.get(i) == ClaimOutcome.RUN ? 1 : 0) + (rb.get(i) == ClaimOutcome.RUN ? 1 : 0), ids.get(i));
      assertEquals(1, (ra.get(i) == ClaimOutcome.LOST ? 1 : 0) + (rb.get(i) == ClaimOutcome.LOST ? 1 : 0), ids.get(i));
    }
    Job after = TestNode.await(stores.jobs().find("j7"));
    assertEquals(1, after.version());
    assertEquals(T.plusSeconds(20), after.nextRunTime());
  }

  @Test
  void a_fire_beyond_max_instances_is_skipped_and_the_schedule_still_moves() {
    TestNode.await(stores.jobs().insert(job("m")));
    ClaimStore claims = stores.claims();
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(claims.claim(List.of(bid("m", 0, 1)), "a", T,
        Duration.ofSeconds(30))));
    ClaimRequest second = new ClaimRequest("m", 1, T.plusSeconds(30), T.plusSeconds(20), 1);
    assertEquals(List.of(ClaimOutcome.SKIPPED), TestNode.await(claims.claim(List.of(second), "b", T,
        Duration.ofSeconds(30))));
    assertEquals(T.plusSeconds(30), TestNode.await(stores.jobs().find("m")).nextRunTime());
    // the first fire ends: its history row releases the running row, and the next fire may run
    TestNode.await(stores.history().write(List.of(new HistoryRecord("m", "n", "true", RunStatus.SUCCESS, "", 0.1,
        "a", T, T.plusSeconds(10), T, 1, 0, true))));
    ClaimRequest third = new ClaimRequest("m", 2, T.plusSeconds(40), T.plusSeconds(30), 1);
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(claims.claim(List.of(third), "b", T,
        Duration.ofSeconds(30))));
  }

  @Test
  void a_fire_at_max_instances_waits_within_its_grace_and_writes_nothing() {
    TestNode.await(stores.jobs().insert(job("w")));
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(stores.claims().claim(List.of(bid("w", 0, 1)), "a", T,
        Duration.ofSeconds(30))));
    ClaimRequest waiting = new ClaimRequest("w", 1, T.plusSeconds(30), T.plusSeconds(20), 1, T.plusSeconds(50));
    assertEquals(List.of(ClaimOutcome.DEFERRED), TestNode.await(stores.claims().claim(List.of(waiting), "a",
        T.plusSeconds(20), Duration.ofSeconds(30))));
    assertEquals(1, TestNode.await(stores.jobs().find("w")).version(), "nothing written");
    // the first fire has ended on this node, its row not yet removed: it no longer counts
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(stores.claims().claim(List.of(waiting), "a",
        T.plusSeconds(21), Duration.ofSeconds(30), java.util.Set.of("w@" + T.plusSeconds(10).toEpochMilli()))));
    ClaimRequest late = new ClaimRequest("w", 2, T.plusSeconds(40), T.plusSeconds(30), 1, T.plusSeconds(31));
    assertEquals(List.of(ClaimOutcome.SKIPPED), TestNode.await(stores.claims().claim(List.of(late), "b",
        T.plusSeconds(35), Duration.ofSeconds(30))), "past its grace: skipped");
  }

  @Test
  void a_read_ahead_counts_every_due_row_but_builds_only_the_jobs_not_known_at_their_version() {
    for (String id : List.of("k1", "k2", "k3")) {
      TestNode.await(stores.jobs().insert(job(id)));
    }
    long version = job("k1").version();
    ClaimStore.DueJobs read = TestNode.await(stores.claims().due(T.plusSeconds(60), 10,
        (id, v) -> id.equals("k1") && v == version || id.equals("k2") && v == version + 7));
    assertEquals(3, read.rows());
    assertEquals(List.of("k2", "k3"), read.jobs().stream().map(Job::id).sorted().toList(),
        "k1 is known at its version; k2 only at another, so it is built again");
  }

  @Test
  void a_claim_by_a_stale_version_loses_to_an_edit() {
    TestNode.await(stores.jobs().insert(job("e")));
    Job edited = job("e").withSchedule(T.plusSeconds(99), false, T);
    assertEquals(true, TestNode.await(stores.jobs().update(edited)));
    assertEquals(List.of(ClaimOutcome.LOST), TestNode.await(stores.claims().claim(List.of(bid("e", 0, 1)), "a", T,
        Duration.ofSeconds(30))));
    assertEquals(T.plusSeconds(99), TestNode.await(stores.jobs().find("e")).nextRunTime(), "the edit stands");
  }
}
