package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The claim protocol on the embedded store: one winner per fire, max_instances counted in the store. */
class ClaimStoreTest {

  /** The store under test; MySqlClaimStoreTest runs the same tests on MariaDB, H2ClaimStoreTest on H2. */
  String storeUrl() {
    return "sqlite:mem:" + UUID.randomUUID();
  }

  Dialect dialect() {
    return Dialect.SQLITE;
  }

  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  Vertx vertx;
  String url;
  Stores stores;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    url = storeUrl();
    RuqiConfig config = RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", url)));
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

  /** A lease that ended long ago by the database's clock: its node is dead. */
  void expiredLease(String node) {
    TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_nodes (node, lease_until) VALUES (?, ?)")
        .execute(io.vertx.sqlclient.Tuple.of(node, java.time.LocalDateTime.of(2000, 1, 1, 0, 0))));
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
    ClaimStore nodeA = new ClaimStore(stores.pool(), dialect());
    ClaimStore nodeB = new ClaimStore(stores.pool(), dialect());
    List<ClaimRequest> bids = ids.stream().map(id -> bid(id, 0, 1)).toList();
    Future<List<ClaimOutcome>> a = nodeA.claim(bids, "a", T.plusSeconds(10));
    Future<List<ClaimOutcome>> b = nodeB.claim(bids, "b", T.plusSeconds(10));
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

  /**
   * Batches of lengths that MySQL pads (InLists: 5 to 6, 7 to 8, by repeating the last value) claim, mark and
   * release exactly their own fires: all won, and some lost (read back by the batch's token) in both CASEs.
   */
  @Test
  void batches_of_any_length_claim_mark_and_release_exactly_their_own_fires() {
    List<String> ids = List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6");
    for (String id : ids) {
      TestNode.await(stores.jobs().insert(job(id)));
    }
    TestNode.await(stores.jobs().insert(job("other")));
    ClaimStore claims = stores.claims();
    Instant first = T.plusSeconds(10);
    Instant second = T.plusSeconds(30);
    List<ClaimRequest> five = ids.subList(0, 5).stream()
        .map(id -> new ClaimRequest(id, 0, second, first, 2, null, first)).toList();
    assertEquals(Collections.nCopies(5, ClaimOutcome.RUN), TestNode.await(claims.claim(five, "a", T)));
    // p1 and p4 read before that claim: stale; each job its own next time
    long[] read = {1, 0, 1, 1, 0, 0, 0};
    List<ClaimRequest> seven = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      seven.add(new ClaimRequest(ids.get(i), read[i], T.plusSeconds(40 + i), second, 2, null, second));
    }
    List<ClaimOutcome> outcomes = TestNode.await(claims.claim(seven, "a", T));
    assertEquals(List.of(ClaimOutcome.RUN, ClaimOutcome.LOST, ClaimOutcome.RUN, ClaimOutcome.RUN, ClaimOutcome.LOST,
        ClaimOutcome.RUN, ClaimOutcome.RUN), outcomes);
    for (int i = 0; i < ids.size(); i++) {
      Job job = TestNode.await(stores.jobs().find(ids.get(i)));
      boolean won = outcomes.get(i) == ClaimOutcome.RUN;
      assertEquals(won ? T.plusSeconds(40 + i) : second, job.nextRunTime(), ids.get(i));
      assertEquals(i < 5 ? (won ? 2 : 1) : 1, job.version(), ids.get(i));
    }
    assertEquals(Set.of(), TestNode.await(claims.markStarted("a", List.of(new FireRef("other", first)), first)),
        "a fire never claimed is not marked");
    List<FireRef> claimed = new ArrayList<>();
    ids.subList(0, 5).forEach(id -> claimed.add(new FireRef(id, first)));
    List.of("p0", "p2", "p3", "p5", "p6").forEach(id -> claimed.add(new FireRef(id, second)));
    List<FireRef> asked = new ArrayList<>(claimed);
    asked.add(new FireRef("other", first));
    asked.add(new FireRef("p1", second));
    asked.add(new FireRef("p4", second)); // 13 fires: the pairs are padded too
    assertEquals(Set.copyOf(claimed), TestNode.await(claims.markStarted("a", asked, first)));
    // the first fires of p0 to p4 end: exactly their five running rows go
    List<HistoryRecord> ended = ids.subList(0, 5).stream().map(id -> new HistoryRecord(id, "n", "true",
        RunStatus.SUCCESS, "", 0.1, "a", first, first, first, 1, 0, true)).toList();
    TestNode.await(stores.history().write(ended));
    assertEquals(Set.copyOf(claimed.subList(5, 10)), TestNode.await(claims.takeOvers().runningOf("a")).stream()
        .map(f -> new FireRef(f.jobId(), f.fireTime())).collect(java.util.stream.Collectors.toSet()));
    // five jobs at two versions, each to its own next time, all current: every row hit, no read-back
    Instant third = T.plusSeconds(50);
    List<String> current = List.of("p0", "p2", "p3", "p5", "p6");
    List<ClaimRequest> mixed = new ArrayList<>();
    for (int i = 0; i < current.size(); i++) {
      mixed.add(new ClaimRequest(current.get(i), i < 3 ? 2 : 1, T.plusSeconds(60 + i), third, 2));
    }
    assertEquals(Collections.nCopies(5, ClaimOutcome.RUN), TestNode.await(claims.claim(mixed, "a", third)));
    for (int i = 0; i < current.size(); i++) {
      Job job = TestNode.await(stores.jobs().find(current.get(i)));
      assertEquals(T.plusSeconds(60 + i), job.nextRunTime(), current.get(i));
      assertEquals(i < 3 ? 3 : 2, job.version(), current.get(i));
    }
    Job other = TestNode.await(stores.jobs().find("other"));
    assertEquals(0, other.version(), "no padded value reached another job");
    assertEquals(T.plusSeconds(10), other.nextRunTime());
  }

  /** Five one-shots fired and recorded: the done jobs are removed, all five and no other (MySQL pads the lists). */
  @Test
  void a_batch_of_done_one_shots_is_removed_with_their_last_rows() {
    List<String> ids = List.of("d0", "d1", "d2", "d3", "d4");
    for (String id : ids) {
      TestNode.await(stores.jobs().insert(job(id)));
    }
    TestNode.await(stores.jobs().insert(job("stays")));
    Instant fire = T.plusSeconds(10);
    List<ClaimRequest> once = ids.stream().map(id -> new ClaimRequest(id, 0, null, fire, 1)).toList();
    assertEquals(Collections.nCopies(5, ClaimOutcome.RUN), TestNode.await(stores.claims().claim(once, "a", fire)));
    List<HistoryRecord> last = ids.stream().map(id -> new HistoryRecord(id, "n", "true", RunStatus.SUCCESS, "", 0.1,
        "a", fire, fire, fire, 1, 0, true).removingDoneJob(true)).toList();
    List<Job> removed = TestNode.await(stores.history().write(last));
    assertEquals(Set.copyOf(ids), removed.stream().map(Job::id).collect(java.util.stream.Collectors.toSet()));
    for (String id : ids) {
      assertEquals(null, TestNode.await(stores.jobs().find(id)), id);
    }
    assertEquals(T.plusSeconds(10), TestNode.await(stores.jobs().find("stays")).nextRunTime());
  }

  /** A batch moves each job to its own next time, and a batch whose jobs share one (one-shots: none) to that one. */
  @Test
  void a_claim_moves_each_job_to_its_next_time_whether_the_batch_shares_one_or_not() {
    for (String id : List.of("s1", "s2", "s3", "e1", "e2", "o1", "o2")) {
      TestNode.await(stores.jobs().insert(job(id)));
    }
    ClaimStore claims = stores.claims();
    Instant fire = T.plusSeconds(10);
    List<ClaimRequest> shared = List.of(new ClaimRequest("s1", 0, T.plusSeconds(30), fire, 1),
        new ClaimRequest("s2", 0, T.plusSeconds(30), fire, 1), new ClaimRequest("s3", 0, T.plusSeconds(30), fire, 1));
    List<ClaimRequest> each = List.of(new ClaimRequest("e1", 0, T.plusSeconds(40), fire, 1),
        new ClaimRequest("e2", 0, T.plusSeconds(50), fire, 1), new ClaimRequest("o1", 0, null, fire, 1));
    List<ClaimRequest> none = List.of(new ClaimRequest("o2", 0, null, fire, 1));
    for (List<ClaimRequest> batch : List.of(shared, each, none)) {
      assertEquals(Collections.nCopies(batch.size(), ClaimOutcome.RUN), TestNode.await(claims.claim(batch, "a", fire)));
    }
    Map<String, Instant> expected = new java.util.LinkedHashMap<>();
    expected.put("s1", T.plusSeconds(30));
    expected.put("s2", T.plusSeconds(30));
    expected.put("s3", T.plusSeconds(30));
    expected.put("e1", T.plusSeconds(40));
    expected.put("e2", T.plusSeconds(50));
    expected.put("o1", null);
    expected.put("o2", null);
    expected.forEach((id, next) -> {
      Job after = TestNode.await(stores.jobs().find(id));
      assertEquals(next, after.nextRunTime(), id);
      assertEquals(1, after.version(), id);
    });
    // the fence holds in both forms: a request at a version no longer stored loses, whatever the batch's others read
    Instant later = T.plusSeconds(30);
    assertEquals(List.of(ClaimOutcome.RUN, ClaimOutcome.LOST), TestNode.await(claims.claim(List.of(
        new ClaimRequest("s1", 1, T.plusSeconds(60), later, 2), new ClaimRequest("s2", 0, T.plusSeconds(60), later, 2)),
        "a", later)));
    assertEquals(List.of(ClaimOutcome.LOST, ClaimOutcome.LOST), TestNode.await(claims.claim(List.of(
        new ClaimRequest("s2", 0, T.plusSeconds(60), later, 2), new ClaimRequest("s3", 0, T.plusSeconds(60), later, 2)),
        "a", later)));
    assertEquals(T.plusSeconds(60), TestNode.await(stores.jobs().find("s1")).nextRunTime());
    assertEquals(T.plusSeconds(30), TestNode.await(stores.jobs().find("s2")).nextRunTime());
    // read at one version, one still at it and one moved on since: the one checked value fences each row
    Instant last = T.plusSeconds(40);
    assertEquals(List.of(ClaimOutcome.RUN, ClaimOutcome.LOST), TestNode.await(claims.claim(List.of(
        new ClaimRequest("s2", 1, T.plusSeconds(70), last, 3), new ClaimRequest("s1", 1, T.plusSeconds(70), last, 3)),
        "a", last)));
    assertEquals(T.plusSeconds(70), TestNode.await(stores.jobs().find("s2")).nextRunTime());
    assertEquals(T.plusSeconds(60), TestNode.await(stores.jobs().find("s1")).nextRunTime());
  }

  @Test
  void a_fire_beyond_max_instances_is_skipped_and_the_schedule_still_moves() {
    TestNode.await(stores.jobs().insert(job("m")));
    ClaimStore claims = stores.claims();
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(claims.claim(List.of(bid("m", 0, 1)), "a", T)));
    ClaimRequest second = new ClaimRequest("m", 1, T.plusSeconds(30), T.plusSeconds(20), 1);
    assertEquals(List.of(ClaimOutcome.SKIPPED), TestNode.await(claims.claim(List.of(second), "b", T)));
    assertEquals(T.plusSeconds(30), TestNode.await(stores.jobs().find("m")).nextRunTime());
    // the first fire ends: its history row releases the running row, and the next fire may run
    TestNode.await(stores.history().write(List.of(new HistoryRecord("m", "n", "true", RunStatus.SUCCESS, "", 0.1,
        "a", T, T.plusSeconds(10), T, 1, 0, true))));
    ClaimRequest third = new ClaimRequest("m", 2, T.plusSeconds(40), T.plusSeconds(30), 1);
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(claims.claim(List.of(third), "b", T)));
  }

  /**
   * A node that read the job before a peer claimed its fire asks for that same fire: it lost it, and waiting for the
   * job to be free would ask again every 250 ms (in a pair's drain of 50,000, 135,000 such claims).
   */
  @Test
  void a_fire_another_claim_took_since_the_job_was_read_is_lost_not_deferred() {
    TestNode.await(stores.jobs().insert(job("t")));
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(stores.claims().claim(List.of(bid("t", 0, 1)), "b", T)));
    ClaimRequest stale = new ClaimRequest("t", 0, T.plusSeconds(20), T.plusSeconds(10), 1, T.plusSeconds(50), null);
    assertEquals(List.of(ClaimOutcome.LOST), TestNode.await(stores.claims().claim(List.of(stale), "a",
        T.plusSeconds(1))));
    assertEquals(1, TestNode.await(stores.jobs().find("t")).version(), "nothing written");
  }

  /**
   * An edit made while a fire is claimed ahead (a pause and a resume, a new rule) can set the job's next fire back to
   * that very fire. Its claim moves the schedule on past it without a run: the fire is someone's already. Lost
   * instead, it was asked for at every read until the first run ended, and then run a second time.
   */
  @Test
  void a_fire_claimed_already_that_an_edit_set_the_job_back_to_is_passed_not_run_again() {
    TestNode.await(stores.jobs().insert(job("r")));
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(stores.claims().claim(List.of(bid("r", 0, 1)), "a", T)));
    Job resumed = TestNode.await(stores.jobs().find("r")).withSchedule(T.plusSeconds(10), false, T);
    assertTrue(TestNode.await(stores.jobs().update(resumed)), "paused and resumed: the next fire is T+10 again");

    ClaimRequest again = new ClaimRequest("r", 2, T.plusSeconds(20), T.plusSeconds(10), 3, T.plusSeconds(50), null);
    assertEquals(List.of(ClaimOutcome.MOVED), TestNode.await(stores.claims().claim(List.of(again), "b", T)));
    Job after = TestNode.await(stores.jobs().find("r"));
    assertEquals(T.plusSeconds(20), after.nextRunTime(), "moved on past the fire claimed");
    assertEquals(3, after.version());
    assertEquals(1L, TestNode.await(stores.pool().query("SELECT COUNT(*) FROM ruqi_running WHERE job_id = 'r'")
        .execute()).iterator().next().getLong(0), "the first claim's fire only");

    // ended on node a, its row not yet written: still not claimed again (its running row is there)
    Job backAgain = after.withSchedule(T.plusSeconds(10), false, T);
    assertTrue(TestNode.await(stores.jobs().update(backAgain)));
    assertEquals(List.of(ClaimOutcome.MOVED), TestNode.await(stores.claims().claim(List.of(new ClaimRequest("r", 4,
        T.plusSeconds(20), T.plusSeconds(10), 1, null, null)), "a", T, Set.of(new FireRef("r", T.plusSeconds(10))))));
  }

  @Test
  void a_fire_at_max_instances_waits_within_its_grace_and_writes_nothing() {
    TestNode.await(stores.jobs().insert(job("w")));
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(stores.claims().claim(List.of(bid("w", 0, 1)), "a", T)));
    ClaimRequest waiting = new ClaimRequest("w", 1, T.plusSeconds(30), T.plusSeconds(20), 1, T.plusSeconds(50), null);
    assertEquals(List.of(ClaimOutcome.DEFERRED), TestNode.await(stores.claims().claim(List.of(waiting), "a",
        T.plusSeconds(20))));
    assertEquals(1, TestNode.await(stores.jobs().find("w")).version(), "nothing written");
    // the first fire has ended on this node, its row not yet removed: it no longer counts
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(stores.claims().claim(List.of(waiting), "a",
        T.plusSeconds(21), Set.of(new FireRef("w", T.plusSeconds(10))))));
    ClaimRequest late = new ClaimRequest("w", 2, T.plusSeconds(40), T.plusSeconds(30), 1, T.plusSeconds(31), null);
    assertEquals(List.of(ClaimOutcome.SKIPPED), TestNode.await(stores.claims().claim(List.of(late), "b",
        T.plusSeconds(35))), "past its grace: skipped");
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
    assertEquals(List.of(ClaimOutcome.LOST), TestNode.await(stores.claims().claim(List.of(bid("e", 0, 1)), "a", T)));
    assertEquals(T.plusSeconds(99), TestNode.await(stores.jobs().find("e")).nextRunTime(), "the edit stands");
  }

  @Test
  void a_fire_claimed_ahead_is_not_started_until_marked_and_a_mark_is_answered_again_if_repeated() {
    TestNode.await(stores.jobs().insert(job("a1")));
    TestNode.await(stores.jobs().insert(job("a2")));
    Instant fire = T.plusSeconds(10);
    List<ClaimRequest> ahead = List.of("a1", "a2").stream()
        .map(id -> new ClaimRequest(id, 0, T.plusSeconds(20), fire, 1, null, fire)).toList();
    assertEquals(List.of(ClaimOutcome.RUN, ClaimOutcome.RUN), TestNode.await(stores.claims().claim(ahead, "a",
        fire.minusMillis(200))));
    List<RunningFire> claimed = TestNode.await(stores.claims().takeOvers().runningOf("a"));
    assertEquals(2, claimed.size());
    assertTrue(claimed.stream().noneMatch(RunningFire::started), claimed.toString());

    FireRef a1 = new FireRef("a1", fire);
    FireRef a2 = new FireRef("a2", fire);
    assertEquals(Set.of(a1), TestNode.await(stores.claims().markStarted("a", List.of(a1), fire.minusMillis(20))));
    // a1 again (as after an answer lost on its way back) with a2: both are this node's to start
    assertEquals(Set.of(a1, a2), TestNode.await(stores.claims().markStarted("a", List.of(a1, a2),
        fire.minusMillis(10))));
    assertTrue(TestNode.await(stores.claims().takeOvers().runningOf("a")).stream().allMatch(RunningFire::started));
    assertEquals(Set.of(), TestNode.await(stores.claims().markStarted("b", List.of(a1), fire)),
        "another node marks nothing of a's");
  }

  @Test
  void of_two_peers_one_adopts_an_unstarted_fire_of_a_dead_node_and_the_dead_node_can_no_longer_start_it() {
    TestNode.await(stores.jobs().insert(job("d1")));
    TestNode.await(stores.jobs().insert(job("d2")));
    TestNode.await(stores.jobs().insert(job("d3")));
    Instant fire = T.plusSeconds(10);
    TestNode.await(stores.claims().claim(List.of(new ClaimRequest("d1", 0, T.plusSeconds(20), fire, 1, null, fire)),
        "dead", fire.minusMillis(200)));
    // d2 is claimed as it is due: it starts at once, so it can only be cut off, never adopted
    TestNode.await(stores.claims().claim(List.of(bid("d2", 0, 1)), "dead", fire));
    expiredLease("dead");
    TestNode.await(stores.claims().leases().renew("alive", Duration.ofSeconds(60)));
    TestNode.await(stores.claims().claim(List.of(bid("d3", 0, 1)), "alive", fire));
    List<RunningFire> expired = TestNode.await(stores.claims().takeOvers().expired("nobody", 10));
    assertEquals(2, expired.size(), "the dead node's two fires, not the live node's: " + expired);
    RunningFire unstarted = expired.stream().filter(f -> !f.started()).findFirst().orElseThrow();
    RunningFire started = expired.stream().filter(RunningFire::started).findFirst().orElseThrow();
    assertEquals("d1", unstarted.jobId());

    Future<Boolean> b = stores.claims().takeOvers().adopt(unstarted, "b", fire.plusSeconds(4));
    Future<Boolean> c = stores.claims().takeOvers().adopt(unstarted, "c", fire.plusSeconds(4));
    assertEquals(1, (TestNode.await(b) ? 1 : 0) + (TestNode.await(c) ? 1 : 0), "exactly one peer adopts it");
    String adopter = TestNode.await(b) ? "b" : "c";
    List<RunningFire> now = TestNode.await(stores.claims().takeOvers().runningOf(adopter));
    assertEquals(1, now.size());
    assertTrue(now.get(0).started(), "adopted as started");
    assertEquals(false, TestNode.await(stores.claims().takeOvers().adopt(started, "b", fire.plusSeconds(4))),
        "a started fire is not adopted");
    assertEquals(Set.of(), TestNode.await(stores.claims().markStarted("dead", List.of(new FireRef("d1", fire)),
        fire.plusSeconds(5))), "the dead node, back from a long pause, finds the fire taken");
  }

  @Test
  void a_lease_is_written_and_judged_on_the_databases_clock_not_the_nodes() {
    TestNode.await(stores.jobs().insert(job("l1")));
    TestNode.await(stores.jobs().insert(job("l2")));
    // the fire times are years before the database's now: only the leases decide who is dead
    TestNode.await(stores.claims().claim(List.of(bid("l1", 0, 1)), "alive", T));
    TestNode.await(stores.claims().claim(List.of(bid("l2", 0, 1)), "dead", T));
    TestNode.await(stores.claims().leases().renew("alive", Duration.ofSeconds(30)));
    expiredLease("dead");
    TestNode.await(stores.claims().leases().renew("dead", Duration.ofSeconds(30)));
    // renewed, then ended long ago by the database's clock (as if the node had renewed it last in 2000)
    TestNode.await(stores.pool().query("UPDATE ruqi_nodes SET lease_until = '2000-01-01 00:00:00' WHERE node = 'dead'")
        .execute());
    assertEquals(List.of("l2"), TestNode.await(stores.claims().takeOvers().expired("nobody", 10)).stream()
        .map(RunningFire::jobId).toList());
    assertEquals(List.of(), TestNode.await(stores.claims().takeOvers().expired("dead", 10)), "its own are not asked");
    TestNode.await(stores.jobs().insert(job("l3")));
    TestNode.await(stores.claims().claim(List.of(bid("l3", 0, 1)), "no-lease", T));
    assertEquals(List.of("l2", "l3"), TestNode.await(stores.claims().takeOvers().expired("nobody", 10)).stream()
        .map(RunningFire::jobId).sorted().toList(), "a node that never had a lease has none running");
    LocalDateTime until = TestNode.await(stores.pool().query("SELECT lease_until FROM ruqi_nodes WHERE node = 'alive'")
        .execute()).iterator().next().getLocalDateTime(0);
    Instant lease = until.toInstant(ZoneOffset.UTC);
    Instant now = Instant.now();
    assertTrue(lease.isAfter(now.plusSeconds(20)) && lease.isBefore(now.plusSeconds(40)), "the database's now + 30 s"
        + " (this machine's clock is the database's here): " + lease);
  }

  @Test
  void of_two_peers_one_runs_again_a_cut_off_fire_and_its_cut_attempt_follows_the_last_recorded() {
    TestNode.await(stores.jobs().insert(job("r")));
    Instant fire = T.plusSeconds(10);
    TestNode.await(stores.claims().claim(List.of(bid("r", 0, 1)), "dead", fire));
    // attempt 1 failed and was being retried when the node died
    TestNode.await(stores.history().write(List.of(record("r", fire, RunStatus.FAILED, 1, false))));
    RunningFire cut = TestNode.await(stores.claims().takeOvers().runningOf("dead")).get(0);
    HistoryRecord row = record("r", fire, RunStatus.INTERRUPTED, 1, false);
    Future<Integer> b = stores.claims().takeOvers().rerun(cut, "b", fire.plusSeconds(5), row);
    Future<Integer> c = stores.claims().takeOvers().rerun(cut, "c", fire.plusSeconds(5), row);
    int attemptB = TestNode.await(b);
    int attemptC = TestNode.await(c);
    assertEquals(3, attemptB + attemptC, "one peer runs it, as attempt 3; the other gets 0: " + attemptB + ", "
        + attemptC);
    List<HistoryRow> rows = TestNode.await(stores.history().list(new HistoryQuery("r", null, null, null, null, 15)))
        .items();
    assertEquals(List.of("failed 1", "interrupted 2"), rows.stream()
        .map(h -> h.record().status().wire() + " " + h.record().attempt()).sorted().toList());
    RunningFire mine = TestNode.await(stores.claims().takeOvers().runningOf(attemptB > 0 ? "b" : "c")).get(0);
    assertTrue(mine.started());
    assertEquals(false, TestNode.await(stores.claims().takeOvers().release(cut, row)),
        "the row as it was read is gone: nothing is released twice");
  }

  @Test
  void a_fire_given_up_leaves_its_history_row_and_its_running_row_in_one_transaction() {
    TestNode.await(stores.jobs().insert(job("g1")));
    TestNode.await(stores.jobs().insert(job("g2")));
    Instant fire = T.plusSeconds(10);
    List<ClaimRequest> ahead = List.of("g1", "g2").stream()
        .map(id -> new ClaimRequest(id, 0, T.plusSeconds(20), fire, 1, null, fire)).toList();
    TestNode.await(stores.claims().claim(ahead, "a", fire.minusMillis(200)));
    // g1 was marked started by a mark whose answer was lost: given up all the same, as this node's
    TestNode.await(stores.claims().markStarted("a", List.of(new FireRef("g1", fire)), fire));
    assertEquals(false, TestNode.await(stores.claims().takeOvers().giveUp(new FireRef("g1", fire), "b",
        record("g1", fire, RunStatus.MISSED, 1, true))), "not b's");
    assertEquals(true, TestNode.await(stores.claims().takeOvers().giveUp(new FireRef("g1", fire), "a",
        record("g1", fire, RunStatus.MISSED, 1, true))));
    RunningFire g2 = TestNode.await(stores.claims().takeOvers().runningOf("a")).get(0);
    assertEquals(true, TestNode.await(stores.claims().takeOvers().release(g2, record("g2", fire, RunStatus.MISSED,
        1, true))));
    assertTrue(TestNode.await(stores.claims().takeOvers().runningOf("a")).isEmpty());
    assertEquals(2, TestNode.await(stores.history().list(new HistoryQuery(null, null, null, "missed", null, 15)))
        .total());
    ClaimRequest next = new ClaimRequest("g1", 1, T.plusSeconds(30), T.plusSeconds(20), 1);
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(stores.claims().claim(List.of(next), "a", T)),
        "max_instances no longer counts the fire given up");
  }

  @Test
  void while_the_scheduler_is_paused_a_claim_writes_nothing_on_any_node() {
    TestNode.await(stores.jobs().insert(job("p")));
    assertEquals(false, TestNode.await(stores.schedulerSwitch().set(true, T)), "it ran before");
    ClaimStore otherNode = new ClaimStore(stores.pool(), dialect());
    assertEquals(List.of(ClaimOutcome.PAUSED), TestNode.await(otherNode.claim(List.of(bid("p", 0, 1)), "b",
        T.plusSeconds(10))));
    assertEquals(0, TestNode.await(stores.jobs().find("p")).version(), "nothing written");
    assertTrue(TestNode.await(stores.claims().takeOvers().runningOf("b")).isEmpty());
    assertEquals(true, TestNode.await(stores.schedulerSwitch().paused()));
    assertEquals(true, TestNode.await(stores.schedulerSwitch().set(false, T)));
    assertEquals(List.of(ClaimOutcome.RUN), TestNode.await(otherNode.claim(List.of(bid("p", 0, 1)), "b",
        T.plusSeconds(10))));
  }

  /** A one-shot at {@code fire}, as stored before it fires. */
  Job oneShot(String id, Instant fire, JsonObject options) {
    return new Job(id, "n", "date", "2026-11-21 04:00:10", "true", ZoneOffset.UTC, null, null, T, fire, false,
        options, 0, T, T);
  }

  List<AuditRecord> audit(String jobId) {
    return TestNode.await(stores.audit().list(jobId, null, null, null, 15)).items();
  }

  @Test
  void a_fired_one_shot_goes_with_its_last_row_in_the_same_transaction_and_the_audit_says_so() {
    Instant fire = T.plusSeconds(10);
    TestNode.await(stores.jobs().insert(oneShot("once", fire, new JsonObject())));
    TestNode.await(stores.claims().claim(List.of(new ClaimRequest("once", 0, null, fire, 1)), "a", fire));
    List<Job> removed = TestNode.await(stores.history().write(List.of(record("once", fire, RunStatus.SUCCESS, 1, true)
        .removingDoneJob(true))));
    assertEquals(List.of("once"), removed.stream().map(Job::id).toList());
    assertEquals(null, TestNode.await(stores.jobs().find("once")));
    assertEquals(1, TestNode.await(stores.history().list(new HistoryQuery("once", null, null, null, null, 15)))
        .total(), "the history keeps the fire");
    List<AuditRecord> audit = audit("once");
    assertEquals(1, audit.size());
    assertEquals("scheduler", audit.get(0).actor());
    assertEquals("job_remove", audit.get(0).operation());
    assertEquals("done", audit.get(0).before().getString("state"));
  }

  @Test
  void a_done_job_stays_while_another_fire_of_it_runs_and_goes_with_the_last() {
    Instant fire = T.plusSeconds(10);
    TestNode.await(stores.jobs().insert(oneShot("two", fire, new JsonObject())));
    TestNode.await(stores.claims().claim(List.of(new ClaimRequest("two", 0, null, fire, 2)), "a", fire));
    // a job_run of the same job, on another node, while the scheduled fire runs
    Instant byHand = fire.plusSeconds(1);
    TestNode.await(stores.claims().claim(List.of(new ClaimRequest("two", 1, null, byHand, 2)), "b", byHand));
    assertEquals(List.of(), TestNode.await(stores.history().write(List.of(
        record("two", fire, RunStatus.SUCCESS, 1, true).removingDoneJob(true)))));
    assertTrue(TestNode.await(stores.jobs().find("two")) != null, "kept while a fire of it runs");
    RunningFire running = TestNode.await(stores.claims().takeOvers().runningOf("b")).get(0);
    // that fire's node died: a peer ends it, and the job with it
    assertEquals(true, TestNode.await(stores.claims().takeOvers().release(running,
        record("two", byHand, RunStatus.INTERRUPTED, 1, true).removingDoneJob(true))));
    assertEquals(null, TestNode.await(stores.jobs().find("two")));
  }

  @Test
  void a_done_job_changed_since_its_claim_or_told_to_stay_is_kept() {
    Instant fire = T.plusSeconds(10);
    TestNode.await(stores.jobs().insert(oneShot("kept", fire, new JsonObject().put("keep_done", true))));
    TestNode.await(stores.jobs().insert(oneShot("moved", fire, new JsonObject())));
    TestNode.await(stores.jobs().insert(oneShot("paused", fire, new JsonObject())));
    for (String id : List.of("kept", "moved", "paused")) {
      TestNode.await(stores.claims().claim(List.of(new ClaimRequest(id, 0, null, fire, 1)), "a", fire));
    }
    // while they ran: one was given a new date, one was paused
    Job moved = TestNode.await(stores.jobs().find("moved"));
    assertTrue(TestNode.await(stores.jobs().update(moved.withSchedule(T.plusSeconds(3600), false, fire))));
    Job paused = TestNode.await(stores.jobs().find("paused"));
    assertTrue(TestNode.await(stores.jobs().update(paused.withSchedule(null, true, fire))));
    List<HistoryRecord> rows = new ArrayList<>();
    for (String id : List.of("kept", "moved", "paused")) {
      rows.add(record(id, fire, RunStatus.SUCCESS, 1, true).removingDoneJob(true));
    }
    assertEquals(List.of(), TestNode.await(stores.history().write(rows)));
    for (String id : List.of("kept", "moved", "paused")) {
      assertTrue(TestNode.await(stores.jobs().find(id)) != null, id);
    }
  }

  /**
   * A drain ends thousands of one-shots in one history batch: MariaDB takes at most 65,535 values per statement, and
   * a batch that removed its done jobs in one statement was refused whole and written row by row (887 fires/s).
   */
  @Test
  void a_history_batch_as_large_as_a_drain_removes_all_its_done_jobs_in_one_write() {
    Instant fire = T.plusSeconds(10);
    int jobs = 10_000;
    List<HistoryRecord> rows = new ArrayList<>();
    List<Tuple> fired = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      String id = "drain-" + i;
      // as the claim of its only fire left it: no next fire
      fired.add(Tuple.of(id, SqlJobStore.utc(T), SqlJobStore.utc(T)));
      rows.add(record(id, fire, RunStatus.SUCCESS, 1, true).removingDoneJob(true));
    }
    TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_jobs (id, job_name, job_trigger, job_rule, cmd,"
        + " next_run_time, job_state, timezone, anchor_time, paused, version, u_time, c_time)"
        + " VALUES (?, 'n', 'date', '2026-11-21 04:00:10', 'true', NULL, '{}', 'UTC', 0, 0, 1, ?, ?)")
        .executeBatch(fired));
    List<Job> removed = TestNode.await(stores.history().write(rows));
    assertEquals(jobs, removed.size());
    assertEquals(0L, TestNode.await(stores.pool().query("SELECT COUNT(*) FROM ruqi_jobs").execute())
        .iterator().next().getLong(0));
    assertEquals((long) jobs, TestNode.await(stores.pool().query("SELECT COUNT(*) FROM ruqi_audit"
        + " WHERE operation = 'job_remove'").execute()).iterator().next().getLong(0));
  }

  HistoryRecord record(String jobId, Instant fire, RunStatus status, int attempt, boolean last) {
    return new HistoryRecord(jobId, "n", "true", status, "", 0, "a", fire, fire, null, attempt, null, last);
  }

  @Test
  void a_write_after_a_claim_is_committed_at_once_not_with_the_next_claim() {
    TestNode.await(stores.jobs().insert(job("c1")));
    TestNode.await(stores.claims().claim(List.of(bid("c1", 0, 1)), "a", T));
    TestNode.await(stores.jobs().insert(job("c2")));
    // another connection, as another node or a restart after a crash would read the store
    RuqiConfig config = RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", url)));
    Stores other = TestNode.await(StoreFactory.open(vertx, config));
    try {
      assertTrue(TestNode.await(other.jobs().find("c2")) != null, "the job added after a claim is in the store");
    } finally {
      TestNode.await(other.close());
    }
  }
}
