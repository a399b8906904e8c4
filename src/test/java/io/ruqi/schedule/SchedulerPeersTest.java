package io.ruqi.schedule;

import ch.qos.logback.classic.Level;
import io.ruqi.testing.LogCapture;
import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.SettableClock;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerPeersTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void alone_a_node_prefers_every_job() {
    SchedulerPeers a = new SchedulerPeers("a");
    for (int i = 0; i < 100; i++) {
      assertTrue(a.prefers("job-" + i, T0));
    }
  }

  @Test
  void two_nodes_that_hear_each_other_split_the_jobs_between_them_without_overlap() {
    SchedulerPeers a = new SchedulerPeers("a:8585");
    SchedulerPeers b = new SchedulerPeers("b:8585");
    a.heard("b:8585", T0);
    b.heard("a:8585", T0);
    Map<String, Integer> share = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      String job = "job-" + i;
      assertEquals(a.preferred(job, T0), b.preferred(job, T0), job);
      assertTrue(a.prefers(job, T0) ^ b.prefers(job, T0), job);
      share.merge(a.preferred(job, T0), 1, Integer::sum);
    }
    // sequential ids spread evenly, not all to one node
    assertTrue(share.get("a:8585") > 4_500 && share.get("b:8585") > 4_500, share.toString());
  }

  @Test
  void a_peer_that_left_or_went_silent_leaves_its_share_to_the_others() {
    SchedulerPeers a = new SchedulerPeers("a");
    a.heard("b", T0);
    String theirs = null;
    for (int i = 0; theirs == null; i++) {
      if (!a.prefers("job-" + i, T0)) {
        theirs = "job-" + i;
      }
    }
    assertFalse(a.prefers(theirs, T0.plus(SchedulerPeers.FORGET_AFTER)), "still heard from recently enough");
    assertTrue(a.prefers(theirs, T0.plus(SchedulerPeers.FORGET_AFTER).plusMillis(1)), "silent for too long");

    a.heard("b", T0);
    assertFalse(a.prefers(theirs, T0));
    a.left("b");
    assertTrue(a.prefers(theirs, T0), "said goodbye");
    assertEquals(1, a.size(T0));
  }

  /**
   * A node that cannot work through the store keeps the peers it knows: their silence is most likely the same
   * outage, and back, it must not take their shares for its own before their next hello.
   */
  @Test
  void a_node_silent_itself_keeps_its_peers_until_it_is_back() {
    Vertx vertx = Vertx.vertx();
    try {
      SchedulerPeers a = new SchedulerPeers("a");
      PeerAnnouncer announcer = new PeerAnnouncer(vertx.eventBus(), a, "a",
          Clock.fixed(T0.plusSeconds(3), ZoneOffset.UTC), () -> { });
      a.heard("b", T0);
      announcer.tick(false); // silent at 10:00:03: b is held as heard then
      assertEquals(2, a.size(T0.plusSeconds(6)), "not forgotten 6 s after its last hello");
      assertEquals(1, a.size(T0.plusSeconds(7)), "forgotten 3.5 s after the hold, if still silent");
    } finally {
      TestNode.await(vertx.close());
    }
  }

  /** A peer gone silent is said so in the log, and the heap is sorted again by the new shares. */
  @Test
  void a_peer_gone_silent_is_logged_and_its_share_requeued_here() {
    Vertx vertx = Vertx.vertx();
    try (LogCapture log = new LogCapture(PeerAnnouncer.class)) {
      SchedulerPeers a = new SchedulerPeers("a");
      SettableClock clock = new SettableClock(T0);
      AtomicInteger requeued = new AtomicInteger();
      PeerAnnouncer announcer = new PeerAnnouncer(vertx.eventBus(), a, "a", clock, requeued::incrementAndGet);
      announcer.onPeer(new JsonObject().put("node", "b").put("state", "hello"));
      assertEquals(1, requeued.get(), "joined");
      clock.advance(Duration.ofSeconds(3));
      announcer.tick(true);
      assertEquals(1, requeued.get(), "still heard from recently enough");
      clock.advance(Duration.ofSeconds(1));
      announcer.tick(true);
      assertEquals(2, requeued.get(), "unheard for 4 s: its share is this node's");
      List<String> lines = log.messages(Level.INFO);
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("scheduler b unheard for 3500 ms")), lines.toString());
      announcer.tick(true);
      assertEquals(2, requeued.get(), "said once");
    } finally {
      TestNode.await(vertx.close());
    }
  }

  @Test
  void a_node_never_counts_itself_twice() {
    SchedulerPeers a = new SchedulerPeers("a");
    a.heard("a", T0);
    assertEquals(1, a.size(T0));
  }

  // ---- a node's scheduler with a peer that announces itself on the bus (as a clustered peer does) ----

  /** A job whose fires {@code owner} claims first while this node ("test-node") and "peer-b" share the jobs. */
  static String jobPreferredBy(String owner) {
    SchedulerPeers ring = new SchedulerPeers("test-node");
    ring.heard("peer-b", T0);
    for (int i = 0; ; i++) {
      if (ring.preferred("job-" + i, T0).equals(owner)) {
        return "job-" + i;
      }
    }
  }

  static void add(TestNode node, String id, String every) {
    assertEquals("OK", node.http.post("/ruqi/job_add", new JsonObject().put("job_id", id).put("job_name", "share")
        .put("job_trigger", "interval").put("rule", every).put("cmd", "true")).stat());
  }

  static String startTime(TestNode node, String id) {
    eventually(20, "a row for " + id, () -> node.history(id).size() == 1);
    JsonObject row = node.history(id).getJsonObject(0);
    assertEquals("2026-11-21 10:00:10", row.getString("fire_time"));
    return row.getString("start_time");
  }

  /** The hello is heard at the clock's time now: the status call, answered by the scheduler after it, waits. */
  static void peerSaysHello(TestNode node) {
    node.vertx.eventBus().publish(SchedulerBus.PEERS, new JsonObject().put("node", "peer-b").put("state", "hello"));
    assertEquals(2, node.http.get("/ruqi/scheduler_status").json().getJsonObject("data").getInteger("schedulers"));
  }

  @Test
  void a_live_peers_share_is_claimed_here_once_it_is_one_second_overdue() {
    try (TestNode node = TestNode.start(T0, "UTC")) {
      String mine = jobPreferredBy("test-node");
      String theirs = jobPreferredBy("peer-b");
      add(node, mine, "10s");
      add(node, theirs, "10s");
      node.clock.advance(Duration.ofMillis(9_500));
      peerSaysHello(node); // heard at 10:00:09.5: alive until 10:00:13
      node.advance(Duration.ofMillis(500));
      assertEquals("2026-11-21 10:00:10", startTime(node, mine), "its own share on time");
      node.advance(Duration.ofSeconds(1));
      assertEquals("2026-11-21 10:00:11", startTime(node, theirs), "the peer's share 1 s overdue, not before");
    }
  }

  @Test
  void once_a_peer_is_silent_for_three_and_a_half_seconds_its_share_is_due_here_on_time() {
    try (TestNode node = TestNode.start(T0, "UTC")) {
      peerSaysHello(node); // last heard at 10:00:00: taken for gone after 10:00:03.5
      node.clock.advance(Duration.ofMillis(3_600));
      String theirs = jobPreferredBy("peer-b");
      add(node, theirs, "4s"); // its first fire at 10:00:07.6, in the read-ahead window: queued at once
      eventually(10, "the fire is in the heap, its time chosen at 10:00:03.6", () -> node.http
          .get("/ruqi/scheduler_status").json().getJsonObject("data").getInteger("heap_size") == 1);
      node.advance(Duration.ofSeconds(4));
      eventually(20, "a row for " + theirs, () -> node.history(theirs).size() == 1);
      assertEquals("2026-11-21 10:00:07", node.history(theirs).getJsonObject(0).getString("start_time"));
    }
  }
  /** The times (System.nanoTime) of the node's hellos. */
  static List<Long> hellos(TestNode node) {
    List<Long> hellos = new CopyOnWriteArrayList<>();
    TestNode.await(node.vertx.eventBus().<JsonObject>consumer(SchedulerBus.PEERS, m -> {
      if ("hello".equals(m.body().getString("state"))) {
        hellos.add(System.nanoTime());
      }
    }).completion());
    eventually(10, "hellos while the store answers", () -> hellos.size() >= 2);
    return hellos;
  }

  /** Silent for longer than its quiet span (4 s with the default settings) plus a hello's period. */
  static void silent(List<Long> hellos, String why) {
    eventually(20, "no hello for 5 s: " + why, () -> System.nanoTime() - hellos.get(hellos.size() - 1) > 5e9);
  }

  static void helloAfter(List<Long> hellos, long since, String why) {
    eventually(30, "a hello again: " + why, () -> hellos.get(hellos.size() - 1) > since);
  }

  /**
   * A node whose statements no longer reach the store cannot claim its share: it stops saying hello (its peers forget
   * it and take its share), and says it again once the store answers.
   */
  @Test
  void a_node_that_cannot_reach_its_store_stops_saying_hello_until_it_can_again() {
    try (MariaDbServer db = MariaDbServer.start();
         TestNode node = TestNode.startRealTime(new JsonObject().put("store", new JsonObject().put("url", db.url())))) {
      List<Long> hellos = hellos(node);
      db.stop();
      silent(hellos, "the database is stopped");
      db.startAgain();
      helloAfter(hellos, System.nanoTime(), "the database answers");
    }
  }

  /**
   * Reads are not enough: a database that answers them and refuses every write (a former primary made read-only)
   * leaves the node unable to claim, and it falls silent too.
   */
  @Test
  void a_node_whose_database_refuses_its_claims_stops_saying_hello() {
    try (MariaDbServer db = MariaDbServer.start();
         TestNode node = TestNode.startRealTime(new JsonObject().put("store", new JsonObject().put("url", db.url())))) {
      add(node, "every-second", "1s");
      List<Long> hellos = hellos(node);
      db.sql("SET GLOBAL read_only = ON");
      silent(hellos, "every claim is refused");
      db.sql("SET GLOBAL read_only = OFF");
      helloAfter(hellos, System.nanoTime(), "claims succeed again");
    }
  }
}
