package io.ruqi.schedule;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ruqi.config.JobDefaults;
import io.ruqi.config.PolicySettings;
import io.ruqi.config.RuqiConfig;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.store.Job;
import io.ruqi.store.JobShare;
import io.ruqi.store.StoreFactory;
import io.ruqi.store.Stores;
import io.ruqi.testing.ManualTicker;
import io.ruqi.testing.SettableClock;
import io.ruqi.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read-ahead and the heap over a real embedded store, moved by a settable clock: which fires are queued, and
 * when they are handed to the claims (recorded here; the claim itself is ClaimStoreTest's and FiringTest's).
 */
class TimelineTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");
  static final Duration READ_AHEAD = Duration.ofSeconds(5);
  static final Duration CLAIM_AHEAD = Duration.ofMillis(200);
  /** How long before its time a fire alone is claimed: claim_ahead less the claim window. */
  static final Duration CLAIMED_AHEAD = CLAIM_AHEAD.minus(Timeline.claimWindow(CLAIM_AHEAD));

  final SettableClock clock = new SettableClock(T);
  final ManualTicker ticker = new ManualTicker(clock);
  /** The batches handed to the claims, as job ids, and the clock's time then. */
  final List<List<String>> claimed = new ArrayList<>();
  final List<Instant> claimedAt = new ArrayList<>();
  final SchedulerPeers peers = new SchedulerPeers("node-a");
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final SchedulerMetrics metrics = new SchedulerMetrics(registry);
  Vertx vertx;
  Context loop;
  Stores stores;
  Timeline timeline;
  /** Claims handed out and not answered yet, where a test's claims answer later. */
  IntSupplier claimsInFlight = () -> 0;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    RuqiConfig config = RuqiConfig.from(new JsonObject().put("store", new JsonObject()
        .put("url", "sqlite:mem:" + UUID.randomUUID())));
    stores = TestNode.await(StoreFactory.open(vertx, config));
    timeline = timeline(CLAIM_AHEAD, (due, now) -> {
      claimed.add(due.stream().map(e -> e.job().id()).toList());
      claimedAt.add(now);
      return Future.succeededFuture();
    });
  }

  Timeline timeline(Duration claimAhead, Timeline.Claims claims) {
    SchedulerVerticle.Deps deps = new SchedulerVerticle.Deps(stores.jobs(), stores.claims(), null, stores.clock(),
        null, null, null, metrics, clock, JobDefaults.ruqi(), stores.schedulerSwitch(), "node-a", READ_AHEAD,
        Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(1), claimAhead);
    JobCompiler compiler = new JobCompiler(new CommandPolicy(new PolicySettings(List.of(), List.of())),
        JobDefaults.ruqi());
    return new Timeline(deps, ticker, compiler, peers, new StoreHealth(clock, () -> { }),
        () -> false, claims);
  }

  @AfterEach
  void close() {
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  Job job(String id, Instant next) {
    return new Job(id, "n", "interval", "10s", "true", ZoneOffset.UTC, null, null, T, next, false, new JsonObject(),
        0, T, T);
  }

  /** Runs {@code action} on the timeline's event loop, as in production, and answers its result. */
  <R> R onLoop(Supplier<R> action) {
    Promise<R> done = Promise.promise();
    loop.runOnContext(v -> done.complete(action.get()));
    return TestNode.await(done.future());
  }

  /** Reads the store ahead, as the poll timer does, and waits for the read to end. */
  void readAhead() {
    onLoop(() -> {
      timeline.readAhead();
      return null;
    });
    TestNode.eventually(10, "the read-ahead ends", () -> !onLoop(timeline::reading));
  }

  void advance(Duration d) {
    onLoop(() -> {
      ticker.advance(d);
      return null;
    });
  }

  @Test
  void a_fire_within_the_window_is_handed_to_the_claims_within_claim_ahead_of_its_time_and_not_earlier() {
    TestNode.await(stores.jobs().insert(job("soon", T.plusSeconds(3))));
    TestNode.await(stores.jobs().insert(job("later", T.plusSeconds(8))));
    readAhead();
    assertEquals(1, (int) onLoop(() -> timeline.size()), "only the fire within the read-ahead window");
    assertEquals(Duration.ofMillis(150), CLAIMED_AHEAD, "claim_ahead less its window: a quarter of it, at most 50 ms");
    advance(Duration.ofSeconds(3).minus(CLAIMED_AHEAD).minusMillis(1));
    assertEquals(List.of(), claimed);
    advance(Duration.ofMillis(1));
    assertEquals(List.of(List.of("soon")), claimed);
    assertEquals(List.of(T.plusSeconds(3).minus(CLAIMED_AHEAD)), claimedAt);
    assertEquals(0, (int) onLoop(() -> timeline.size()));
  }

  /**
   * Fires spread evenly (2,000 a second in the benchmark) went to the claims one or two at a time, each claim a
   * transaction with a durable commit. The first fire sets a claim off claim_ahead less the window before its time,
   * and the claim takes every fire due within claim_ahead: none is claimed earlier than claim_ahead before its time.
   */
  @Test
  void fires_due_within_the_claim_window_of_the_first_go_in_its_claim_and_none_earlier_than_claim_ahead() {
    for (int i = 0; i < 100; i++) {
      TestNode.await(stores.jobs().insert(job("f" + (100 + i), T.plusSeconds(2).plusMillis(i))));
    }
    readAhead();
    advance(Duration.ofSeconds(2).minusMillis(150)); // the first, f100, is due in 150 ms
    assertEquals(1, claimed.size(), "one claim");
    assertEquals(51, claimed.get(0).size(), "f100 and the fires of the 50 ms after it, f101 to f150");
    assertEquals("f150", claimed.get(0).get(50));
    for (int i = 1; i <= 50; i++) {
      advance(Duration.ofMillis(1));
    }
    assertEquals(1, claimed.size(), "f151 is due in 151 ms: not yet");
    advance(Duration.ofMillis(1));
    assertEquals(2, claimed.size(), "the next claim, 51 ms later, when f151 is due in 150 ms");
    assertEquals(T.plusSeconds(2).plusMillis(51).minusMillis(150), claimedAt.get(1));
    assertEquals(List.of("f151", "f152"), claimed.get(1).subList(0, 2));
    assertEquals("f199", claimed.get(1).get(claimed.get(1).size() - 1), "all the rest, due within 200 ms");
    for (int k = 0; k < claimed.size(); k++) {
      for (String id : claimed.get(k)) {
        Instant due = T.plusSeconds(2).plusMillis(Integer.parseInt(id.substring(1)) - 100);
        assertFalse(claimedAt.get(k).isBefore(due.minus(CLAIM_AHEAD)), id + " claimed no earlier than claim_ahead");
      }
    }
  }

  /**
   * A claim that finds the job at max_instances defers its fire, which is asked for again 250 ms later: also when
   * the claim's lead ({@code scheduler.claim_ahead}, here 1 s, its most) is longer than that pause. Put back in the
   * heap due 250 ms later, it was due again at once: a thousand claims a second until the job was free.
   */
  @Test
  void a_deferred_fire_is_asked_for_again_after_its_pause_whatever_the_claim_ahead() {
    List<Instant> asked = new ArrayList<>();
    timeline = timeline(Duration.ofSeconds(1), (due, now) -> {
      asked.add(now);
      if (asked.size() < 200) {
        due.forEach(e -> timeline.defer(e.job(), Duration.ofMillis(250)));
      }
      return Future.succeededFuture();
    });
    TestNode.await(stores.jobs().insert(job("busy", T.plusSeconds(2))));
    readAhead();
    advance(Duration.ofMillis(1_050)); // due in 2 s, claimed 1 s less the claim window of 50 ms ahead
    assertEquals(List.of(T.plusMillis(1_050)), asked, "claimed its lead ahead, once");
    for (int i = 0; i < 20; i++) {
      advance(Duration.ofMillis(50));
    }
    assertEquals(List.of(T.plusMillis(1_050), T.plusMillis(1_300), T.plusMillis(1_550), T.plusMillis(1_800),
        T.plusMillis(2_050)), asked, "asked again every 250 ms");
  }

  /**
   * Fires spread evenly, more in the read-ahead window than one read takes (2,000): the read stops at its 2,000th
   * row, and the heap is read again only once it nears that row. Read again at the end of every claim, 2,000 fires a
   * second cost MariaDB 190 reads of 2,000 rows a second. Every fire is still claimed once, and on time.
   */
  @Test
  void a_full_read_is_read_again_only_near_where_it_stopped_and_every_fire_is_claimed_on_time() {
    int fires = spreadFires(0);
    readAhead();
    assertEquals(2_000.0, readAheadRows(), "one read, stopped at its limit: s1999, due at T+4.998 s");
    advanceSettled(Duration.ofMillis(4_200));
    assertEquals(2_000.0, readAheadRows(), "not read again while the heap is more than 0.7 s from the cut");
    advanceSettled(Duration.ofMillis(1_000));
    double rows = readAheadRows();
    assertTrue(rows > 2_000 && rows <= 2_000 + 2 * (fires - 1_500), "read again near the cut, once or twice: " + rows);
    assertEachClaimedOnceOnTime(fires);
  }

  /** A claim that fails leaves its fires due in the store: they are read back at once, not at the next poll. */
  @Test
  void a_failed_claim_s_fires_are_read_back_at_once_and_claimed_on_time() {
    int fires = spreadFires(1);
    readAhead();
    advanceSettled(Duration.ofMillis(5_200));
    assertEquals(1, failedClaims.get(), "the first claim failed");
    assertEachClaimedOnceOnTime(fires);
  }

  final AtomicInteger failedClaims = new AtomicInteger();

  /**
   * 2,100 jobs due every 2 ms from T+1 s, and claims that leave the row as a claim does (not due again, at a new
   * version) after the first {@code failing} fail; the claims recorded are those that succeeded.
   */
  int spreadFires(int failing) {
    AtomicInteger inFlight = new AtomicInteger();
    timeline = timeline(CLAIM_AHEAD, (due, now) -> {
      if (failedClaims.get() < failing) {
        failedClaims.incrementAndGet();
        return Future.failedFuture(new IllegalStateException("the store is away"));
      }
      List<String> ids = due.stream().map(e -> e.job().id()).toList();
      claimed.add(ids);
      claimedAt.add(now);
      inFlight.incrementAndGet();
      return stores.pool().preparedQuery("UPDATE ruqi_jobs SET next_run_time = NULL, version = version + 1"
              + " WHERE id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")
          .execute(Tuple.wrap(new ArrayList<Object>(ids))).<Void>mapEmpty()
          .onComplete(ar -> inFlight.decrementAndGet());
    });
    claimsInFlight = inFlight::get;
    int fires = 2_100;
    for (int i = 0; i < fires; i++) {
      TestNode.await(stores.jobs().insert(job(String.format("s%04d", i), T.plusSeconds(1).plusMillis(2L * i))));
    }
    return fires;
  }

  void assertEachClaimedOnceOnTime(int fires) {
    List<String> all = claimed.stream().flatMap(List::stream).sorted().toList();
    assertEquals(fires, all.size(), "every fire claimed");
    assertEquals(fires, Set.copyOf(all).size(), "each once");
    for (int k = 0; k < claimed.size(); k++) {
      for (String id : claimed.get(k)) {
        Instant due = T.plusSeconds(1).plusMillis(2L * Integer.parseInt(id.substring(1)));
        assertFalse(claimedAt.get(k).isAfter(due.minus(CLAIMED_AHEAD)), id + " claimed in time");
        assertFalse(claimedAt.get(k).isBefore(due.minus(CLAIM_AHEAD)), id + " claimed no earlier than claim_ahead");
      }
    }
  }

  double readAheadRows() {
    return registry.get("ruqi.read.ahead.rows").counter().count();
  }

  /** Moves the clock 10 ms at a time, the read-aheads and claims set off on the way ending before the next step. */
  void advanceSettled(Duration d) {
    for (long ms = 0; ms < d.toMillis(); ms += 10) {
      advance(Duration.ofMillis(10));
      TestNode.eventually(10, "the read-ahead and the claims end",
          () -> onLoop(() -> !timeline.reading() && claimsInFlight.getAsInt() == 0));
    }
  }

  @Test
  void a_paused_scheduler_lets_its_heap_go_and_claims_nothing_until_it_reads_the_resume() {
    TestNode.await(stores.jobs().insert(job("a", T.plusSeconds(2))));
    readAhead();
    onLoop(() -> {
      timeline.switchRead(true);
      return null;
    });
    assertEquals(0, (int) onLoop(() -> timeline.size()));
    advance(Duration.ofSeconds(3));
    assertEquals(List.of(), claimed, "nothing is claimed while paused");
    readAhead(); // the store's switch says resumed: the fire, due by now, is read back and claimed at once
    assertEquals(List.of(List.of("a")), claimed);
  }

  @Test
  void an_api_change_that_moves_a_fire_out_of_the_window_takes_it_out_of_the_heap() {
    TestNode.await(stores.jobs().insert(job("a", T.plusSeconds(2))));
    readAhead();
    onLoop(() -> {
      timeline.onJobChanged(JobChanged.job("a", "modified", T.plusSeconds(60)));
      return null;
    });
    assertEquals(0, (int) onLoop(() -> timeline.size()));
    advance(Duration.ofSeconds(3));
    assertEquals(List.of(), claimed);
  }

  /**
   * A peer's removal of one-shots it ran comes as one notice of their ids, after its commit: each leaves the heap,
   * the others stay, and a read that began before the commit (and holds the rows as they were) does not put one
   * back.
   */
  @Test
  void done_jobs_removed_on_a_peer_leave_the_heap_even_from_a_read_under_way() {
    for (String id : List.of("a", "b", "c")) {
      TestNode.await(stores.jobs().insert(job(id, T.plusSeconds(2))));
    }
    readAhead();
    TestNode.await(stores.jobs().delete("a"));
    onLoop(() -> {
      timeline.onDoneJobsRemoved(List.of("a", "gone-long-ago"));
      return null;
    });
    assertEquals(2, (int) onLoop(() -> timeline.size()));
    onLoop(() -> {
      timeline.readAhead(); // the store still has b: as a read that began before the peer's commit saw it
      timeline.onDoneJobsRemoved(List.of("b"));
      return null;
    });
    TestNode.eventually(10, "the read-ahead ends", () -> !onLoop(timeline::reading));
    assertEquals(1, (int) onLoop(() -> timeline.size()), "b is not put back by the read");
    TestNode.await(stores.jobs().delete("b"));
    advance(Duration.ofSeconds(3));
    assertEquals(List.of(List.of("c")), claimed);
  }

  /**
   * The read-ahead under way when a change notice comes may hold the job's row from before the change: it must not
   * put back the fire the change took out (here the store still has the old row, as that read saw it).
   */
  @Test
  void a_read_ahead_under_way_does_not_undo_an_api_change_that_came_meanwhile() {
    TestNode.await(stores.jobs().insert(job("a", T.plusSeconds(2))));
    onLoop(() -> {
      timeline.readAhead();
      timeline.onJobChanged(JobChanged.job("a", "modified", T.plusSeconds(60)));
      return null;
    });
    TestNode.eventually(10, "the read-ahead ends", () -> !onLoop(timeline::reading));
    assertEquals(0, (int) onLoop(() -> timeline.size()), "the fire the change moved away is not queued again");
    readAhead();
    assertEquals(1, (int) onLoop(() -> timeline.size()), "a read that starts after the change is believed again");
  }

  /** A job of the peer's share once node-b is heard (node-b sorts after node-a: slot 1 is the peer's). */
  String peersJobQueuedAt(Instant next) {
    String theirs = "job-0";
    for (int i = 1; JobShare.slot(theirs, 2) != 1; i++) {
      theirs = "job-" + i;
    }
    TestNode.await(stores.jobs().insert(job(theirs, next)));
    readAhead();
    onLoop(() -> {
      peers.heard("node-b", clock.instant());
      timeline.requeueForPeers();
      return null;
    });
    return theirs;
  }

  /** The peer is still alive (it is forgotten 3.5 s after its last hello). */
  void peerSaysHello() {
    onLoop(() -> {
      peers.heard("node-b", clock.instant());
      return null;
    });
  }

  /** A peer that comes (or goes) moves the fires already in the heap by the new share, not only those read later. */
  @Test
  void a_fire_queued_before_a_peer_came_waits_for_the_peer_if_the_peer_now_prefers_it() {
    String theirs = peersJobQueuedAt(T.plusSeconds(3));
    advance(Duration.ofSeconds(3));
    assertEquals(List.of(), claimed, "the peer has a second to claim its own fire");
    peerSaysHello();
    advance(Duration.ofSeconds(1));
    TestNode.eventually(10, "the store says the peer has not claimed it", () -> !claimed.isEmpty());
    assertEquals(List.of(List.of(theirs)), claimed, "then this node takes it over");
    assertEquals(List.of(T.plusSeconds(4).minus(CLAIMED_AHEAD)), claimedAt);
  }

  /**
   * The peer claimed its fire in time (here: its claim's update, as the store would have it): this node does not
   * send a claim that could only lose. A one-shot's row is no longer due then, so no read-ahead would replace the
   * entry; it is found out by one read of the versions.
   */
  @Test
  void a_peers_fire_the_peer_claimed_in_time_is_not_claimed_here() {
    String theirs = peersJobQueuedAt(T.plusSeconds(3));
    TestNode.await(stores.pool().preparedQuery("UPDATE ruqi_jobs SET next_run_time = NULL, version = version + 1"
        + " WHERE id = ?").execute(Tuple.of(theirs)));
    advance(Duration.ofSeconds(3));
    peerSaysHello();
    advance(Duration.ofSeconds(1));
    TestNode.eventually(10, "the versions are read", () -> registry.get("ruqi.claims").tag("outcome", "stale")
        .counter().count() == 1);
    assertEquals(0, (int) onLoop(() -> timeline.size()));
    assertEquals(List.of(), claimed, "no claim sent");
  }

  /** The versions cannot be read (the table is gone): the peer's fire is claimed all the same, as the claim decides. */
  @Test
  void a_peers_fire_whose_version_cannot_be_read_is_claimed_all_the_same() {
    String theirs = peersJobQueuedAt(T.plusSeconds(3));
    TestNode.await(stores.pool().query("ALTER TABLE ruqi_jobs RENAME TO ruqi_jobs_away").execute());
    advance(Duration.ofSeconds(3));
    peerSaysHello();
    advance(Duration.ofSeconds(1));
    TestNode.eventually(10, "the version read fails and the claim goes out", () -> !claimed.isEmpty());
    assertEquals(List.of(List.of(theirs)), claimed);
    TestNode.await(stores.pool().query("ALTER TABLE ruqi_jobs_away RENAME TO ruqi_jobs").execute());
  }
}
