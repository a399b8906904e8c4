package io.ruqi.schedule;

import ch.qos.logback.classic.Level;
import io.ruqi.config.RuqiConfig;
import io.ruqi.events.RuqiEvents;
import io.ruqi.store.ClaimRequest;
import io.ruqi.store.StoreFactory;
import io.ruqi.store.Stores;
import io.ruqi.testing.HttpSink;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.LogCapture;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fires whose node stopped, died, lost track of them or was judged by a skewed clock: each is run, run again, or
 * ended as missed or interrupted, and whichever it is, its running row goes, so that later fires of the job run
 * (not skipped by max_instances). A dead node is simulated as the existing take-over tests do: its claim is made
 * through a store of its own, and its lease row ended long ago by the database's clock. Only the API and SQL are
 * used, so these tests run on the code before issue #15 too (where they fail).
 */
class TakeOverTest {
  /** 12:00:00 UTC. */
  static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
  static final Instant FIRE = T0.plusSeconds(10);
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  final List<TestNode> nodes = new ArrayList<>();
  HttpSink sink;
  JsonObject conf;
  Vertx ghostVertx;
  Stores ghost;

  /** The store the nodes share: an embedded one here; MySqlTakeOverTest runs the same tests on MariaDB. */
  JsonObject store() {
    return new JsonObject().put("store", new JsonObject().put("url", "sqlite:mem:" + UUID.randomUUID()));
  }

  @BeforeEach
  void open() {
    conf = store().put("timezone", "UTC");
    sink = new HttpSink();
    ghostVertx = Vertx.vertx();
    ghost = TestNode.await(StoreFactory.open(ghostVertx, RuqiConfig.from(conf)));
  }

  @AfterEach
  void close() {
    for (TestNode n : nodes) {
      n.close();
    }
    TestNode.await(ghost.close());
    TestNode.await(ghostVertx.close());
    sink.close();
  }

  TestNode start(Instant now, JsonObject extra) {
    TestNode node = TestNode.start(now, conf.copy().mergeIn(extra, true));
    nodes.add(node);
    return node;
  }

  void stop(TestNode node) {
    nodes.remove(node);
    node.close();
  }

  static JsonObject scheduler(double lease) {
    return new JsonObject().put("scheduler", new JsonObject().put("lease", lease));
  }

  void add(TestNode node, String id, JsonObject options) {
    JsonObject job = new JsonObject().put("job_id", id).put("job_name", "takeover").put("job_trigger", "interval")
        .put("rule", "10s").put("cmd", sink.url("/" + id)).mergeIn(options);
    Reply r = node.http.post("/ruqi/job_add", job);
    assertEquals("OK", r.stat(), r.toString());
  }

  /** Node {@code name} claims the 12:00:10 fire of {@code jobId}: ahead of its time (not started), or started. */
  void claimAs(String name, String jobId, boolean started) {
    ClaimRequest bid = started ? new ClaimRequest(jobId, 0, T0.plusSeconds(20), FIRE, 1)
        : new ClaimRequest(jobId, 0, T0.plusSeconds(20), FIRE, 1, null, FIRE);
    TestNode.await(ghost.claims().claim(List.of(bid), name, started ? FIRE : FIRE.minusMillis(200)));
  }

  /** A lease that ended long ago by the database's clock: node {@code name} is dead. */
  void deadLease(String name) {
    sql("INSERT INTO ruqi_nodes (node, lease_until) VALUES (?, ?)", Tuple.of(name, LocalDateTime.of(2000, 1, 1, 0, 0)));
  }

  List<Row> sql(String statement, Tuple args) {
    List<Row> rows = new ArrayList<>();
    TestNode.await(ghost.pool().preparedQuery(statement).execute(args)).forEach(rows::add);
    return rows;
  }

  int runningRows() {
    return sql("SELECT COUNT(*) FROM ruqi_running", Tuple.tuple()).get(0).getInteger(0);
  }

  /** The job's history rows of the fire at {@code fire} (seconds after T0), by attempt. */
  static List<JsonObject> rowsOf(TestNode node, String jobId, int fire) {
    String at = TIME.format(T0.plusSeconds(fire).atOffset(ZoneOffset.UTC));
    List<JsonObject> out = new ArrayList<>();
    JsonArray all = node.history(jobId);
    for (int i = 0; i < all.size(); i++) {
      if (all.getJsonObject(i).getString("fire_time").equals(at)) {
        out.add(all.getJsonObject(i));
      }
    }
    out.sort((a, b) -> a.getInteger("attempt") - b.getInteger("attempt"));
    return out;
  }

  static String statusOf(TestNode node, String jobId, int fire) {
    List<JsonObject> rows = rowsOf(node, jobId, fire);
    return rows.isEmpty() ? null : rows.get(rows.size() - 1).getString("status");
  }

  /** Moves the node's clock to the 12:00:20 fire and on, until that fire has a row: it must have run. */
  void nextFireRuns(TestNode node, String jobId) {
    node.clock.set(T0.plusSeconds(20));
    node.tickUntil(Duration.ofMillis(250), 30, "a row for the 12:00:20 fire",
        () -> statusOf(node, jobId, 20) != null);
    assertEquals("success", statusOf(node, jobId, 20), "the next fire runs, not skipped by max_instances: "
        + node.history(jobId).encodePrettily());
  }

  // ---- item 5: a fire given up past its grace leaves no running row behind ----

  @Test
  void a_fire_claimed_before_a_restart_and_found_past_its_grace_is_missed_and_later_fires_run() {
    TestNode before = start(T0, new JsonObject());
    add(before, "again", new JsonObject().put("misfire_grace_time", 5));
    stop(before);
    claimAs("test-node", "again", false);
    TestNode node = start(FIRE.plusSeconds(8), new JsonObject()); // restarted 8 s after the fire, grace 5 s
    eventually(20, "the fire is recorded missed", () -> "missed".equals(statusOf(node, "again", 10)));
    nextFireRuns(node, "again");
    assertEquals(List.of("/again"), sink.requests.stream().map(HttpSink.Request::path).toList());
  }

  @Test
  void a_dead_peers_unstarted_fire_found_past_its_grace_is_missed_and_later_fires_run() {
    TestNode node = start(T0, scheduler(2));
    add(node, "late", new JsonObject().put("misfire_grace_time", 5));
    claimAs("ghost", "late", false);
    deadLease("ghost");
    node.clock.set(FIRE.plusSeconds(8)); // the ghost's lease is long over, and the fire 8 s late, grace 5 s
    eventually(20, "the ghost's fire is recorded missed", () -> "missed".equals(statusOf(node, "late", 10)));
    nextFireRuns(node, "late");
  }

  @Test
  void a_fire_whose_start_mark_fails_past_its_grace_is_missed_and_later_fires_run() {
    // claimed up to 1 s ahead, so that the claim is made with the clock held well before the mark is due
    TestNode node = start(T0, new JsonObject().put("scheduler", new JsonObject().put("lease", 2).put("claim_ahead", 1)));
    add(node, "mark", new JsonObject().put("misfire_grace_time", 2));
    node.advance(Duration.ofMillis(9_100));
    eventually(20, "the fire is claimed ahead, not started", () -> sql("SELECT start_time FROM ruqi_running",
        Tuple.tuple()).stream().anyMatch(r -> r.getValue(0) == null));
    // the store is out of reach for the running rows (as in an outage) until the fire is past its grace
    sql("ALTER TABLE ruqi_running RENAME TO ruqi_running_away", Tuple.tuple());
    long errors = storeErrors(node);
    node.advance(Duration.ofSeconds(4)); // 12:00:13.1, past the 2 s grace: the mark, tried now, fails
    eventually(20, "the mark failed", () -> storeErrors(node) > errors);
    TestNode.sleep(500);
    sql("ALTER TABLE ruqi_running_away RENAME TO ruqi_running", Tuple.tuple());
    eventually(30, "the fire is recorded missed and its running row removed",
        () -> "missed".equals(statusOf(node, "mark", 10)) && runningRows() == 0);
    nextFireRuns(node, "mark");
    assertEquals(1, rowsOf(node, "mark", 10).size(), node.history("mark").encodePrettily());
  }

  static long storeErrors(TestNode node) {
    return node.http.get("/ruqi/scheduler_status").json().getJsonObject("data").getLong("store_errors");
  }

  @Test
  void a_running_row_this_node_lost_track_of_is_taken_over_not_left_for_ever() {
    TestNode node = start(T0, scheduler(2));
    add(node, "lost", new JsonObject());
    add(node, "cut", new JsonObject());
    // as after claims whose answers were lost: the rows are this node's, and it knows nothing of them
    claimAs("test-node", "lost", false);
    claimAs("test-node", "cut", true);
    node.clock.set(FIRE.plusSeconds(1));
    eventually(30, "both fires end", () -> statusOf(node, "lost", 10) != null && statusOf(node, "cut", 10) != null
        && runningRows() == 0);
    assertEquals("success", statusOf(node, "lost", 10), "never started: it runs, late");
    assertEquals("interrupted", statusOf(node, "cut", 10), "marked started: it may have run, so not again");
    assertEquals(List.of("/lost"), sink.requests.stream().map(HttpSink.Request::path).toList());
    nextFireRuns(node, "cut");
  }

  // ---- item 7: leases are judged on the database's clock ----

  @Test
  void a_node_whose_clock_runs_a_lease_ahead_does_not_take_a_live_peer_for_dead() {
    JsonObject lease = new JsonObject().put("scheduler", new JsonObject().put("lease", 2));
    TestNode a = TestNode.start(Clock.systemUTC(), conf.copy().mergeIn(lease, true)
        .put("node", new JsonObject().put("name", "node-a")));
    nodes.add(a);
    Reply added = a.http.post("/ruqi/job_add", new JsonObject().put("job_id", "long").put("job_name", "skew")
        .put("job_trigger", "cron").put("rule", "0 0 3 * * *").put("cmd", "sleep 4"));
    assertEquals("OK", added.stat(), added.toString());
    assertEquals("OK", a.http.post("/ruqi/job_run", new JsonObject().put("job_id", "long")).stat());
    eventually(20, "node-a runs the fire", () -> a.http.get("/ruqi/scheduler_status").json().getJsonObject("data")
        .getInteger("in_flight") == 1);
    // a really dead node's running fire: node-b takes that one over, which shows it has judged the leases
    sql("INSERT INTO ruqi_running (job_id, fire_time, node, start_time) VALUES ('gone', ?, 'ghost', ?)",
        Tuple.of(LocalDateTime.of(2026, 11, 21, 12, 0), LocalDateTime.of(2026, 11, 21, 12, 0)));
    deadLease("ghost");
    TestNode b = TestNode.start(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30)), conf.copy()
        .mergeIn(lease, true).put("node", new JsonObject().put("name", "node-b")));
    nodes.add(b);
    eventually(30, "node-b records the dead node's fire interrupted",
        () -> sql("SELECT status FROM ruqi_jobs_history WHERE job_id = 'gone'", Tuple.tuple()).size() == 1);
    eventually(30, "node-a's run ends", () -> !a.history("long").isEmpty());
    JsonArray rows = a.history("long");
    assertEquals(1, rows.size(), rows.encodePrettily());
    assertEquals("success", rows.getJsonObject(0).getString("status"),
        "node-b, 30 s ahead, took node-a (alive) for dead: " + rows.encodePrettily());
    assertEquals("node-a", rows.getJsonObject(0).getString("scheduler_name"));
  }

  @Test
  void a_node_reports_how_far_its_clock_is_from_the_databases() {
    try (LogCapture log = new LogCapture(ClockSkew.class)) {
      TestNode ahead = TestNode.start(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30)), conf.copy()
          .put("node", new JsonObject().put("name", "node-ahead")));
      nodes.add(ahead);
      // MySQL has a clock of its own; the embedded store is in the node and shares its clock
      long expected = conf.getJsonObject("store").getString("url").startsWith("mysql:") ? 30_000 : 0;
      eventually(20, "scheduler_status says clock_skew_ms " + expected, () -> Math.abs(ahead.http
          .get("/ruqi/scheduler_status").json().getJsonObject("data").getLong("clock_skew_ms") - expected) < 2_000);
      String metrics = ahead.http.get("/metrics").text();
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("ruqi_clock_skew_ms ")
          && Math.abs(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) - expected) < 2_000), metrics);
      if (expected > 0) {
        eventually(5, "a warning past 1 s of skew", () -> log.messages(Level.WARN).stream()
            .anyMatch(m -> m.contains("ms off the database's")));
      }
    }
  }

  // ---- item 10: at-least-once fires cut off are delivered again ----

  /**
   * A one-shot cut off by its node's death is removed with its interrupted row: its end is told before its removal,
   * so the failure streaks (which count a final failure and forget a removed job) do not count it failing for good.
   */
  @Test
  void a_one_shot_cut_off_by_a_dead_node_is_told_interrupted_before_it_is_told_removed() {
    TestNode node = start(T0, scheduler(2));
    add(node, "once", new JsonObject().put("job_trigger", "date").put("rule", "2026-11-21 12:00:10"));
    List<String> told = new CopyOnWriteArrayList<>();
    TestNode.await(node.vertx.eventBus().<JsonObject>localConsumer(RuqiEvents.ADDRESS, m -> {
      if ("once".equals(m.body().getString("job_id")) && !m.body().getString("event").equals("job_added")) {
        told.add(m.body().getString("event"));
      }
    }).completion());
    TestNode.await(ghost.claims().claim(List.of(new ClaimRequest("once", 0, null, FIRE, 1)), "ghost", FIRE));
    deadLease("ghost");
    node.clock.set(FIRE.plusSeconds(4));
    eventually(30, "the cut fire is recorded and its job removed", () -> told.contains("job_removed"));
    assertEquals(List.of("fire_interrupted", "job_removed"), told);
    assertEquals("interrupted", statusOf(node, "once", 10));
  }

  @Test
  void an_at_least_once_fire_cut_off_by_a_dead_node_is_delivered_again_with_its_idempotency_key() {
    TestNode node = start(T0, scheduler(2));
    add(node, "again", new JsonObject().put("delivery", "at_least_once"));
    add(node, "once", new JsonObject());
    claimAs("ghost", "again", true);
    claimAs("ghost", "once", true);
    deadLease("ghost");
    node.clock.set(FIRE.plusSeconds(4));
    eventually(30, "both fires end", () -> runningRows() == 0 && "success".equals(statusOf(node, "again", 10))
        && statusOf(node, "once", 10) != null);
    assertEquals(1, sink.requests.size(), "only the at-least-once fire is sent again");
    HttpSink.Request req = sink.requests.get(0);
    assertEquals("/again", req.path());
    assertEquals("again@" + FIRE.toEpochMilli(), req.headers().getString("idempotency-key"));
    assertEquals("2", req.headers().getString("x-ruqi-attempt"));
    List<JsonObject> rows = rowsOf(node, "again", 10);
    assertEquals(List.of("interrupted", "success"), rows.stream().map(r -> r.getString("status")).toList());
    assertTrue(rows.get(0).getString("cmd_output").contains("ghost"), rows.get(0).encode());
    assertTrue(rows.get(0).getString("cmd_output").contains("runs again"), rows.get(0).encode());
    assertEquals(List.of(1, 2), rows.stream().map(r -> r.getInteger("attempt")).toList());
    assertEquals(List.of("interrupted"), rowsOf(node, "once", 10).stream().map(r -> r.getString("status")).toList(),
        "at most once (the default): recorded interrupted, not sent again");
    nextFireRuns(node, "again");
  }

  @Test
  void after_a_restart_a_node_runs_again_the_at_least_once_fire_it_was_running() {
    TestNode before = start(T0, new JsonObject());
    add(before, "mine", new JsonObject().put("delivery", "at_least_once"));
    stop(before);
    claimAs("test-node", "mine", true);
    TestNode node = start(FIRE.plusSeconds(3), new JsonObject());
    eventually(20, "the fire is sent again", () -> sink.requests.size() == 1);
    eventually(20, "and recorded", () -> "success".equals(statusOf(node, "mine", 10)));
    assertEquals("mine@" + FIRE.toEpochMilli(), sink.requests.get(0).headers().getString("idempotency-key"));
    assertEquals(List.of("interrupted", "success"), rowsOf(node, "mine", 10).stream()
        .map(r -> r.getString("status")).toList());
  }

  @Test
  void a_stop_lets_a_run_end_within_the_shutdown_grace_and_records_one_past_it_interrupted() {
    TestNode node = start(T0, new JsonObject().put("scheduler", new JsonObject().put("shutdown_grace", 3)));
    for (String[] job : new String[][] {{"quick", "sleep 1"}, {"long", "sleep 60"}}) {
      assertEquals("OK", node.http.post("/ruqi/job_add", new JsonObject().put("job_id", job[0])
          .put("job_name", "stop").put("job_trigger", "cron").put("rule", "0 0 3 * * *").put("cmd", job[1])).stat());
      assertEquals("OK", node.http.post("/ruqi/job_run", new JsonObject().put("job_id", job[0])).stat());
    }
    eventually(20, "both runs are in flight", () -> node.http.get("/ruqi/scheduler_status").json()
        .getJsonObject("data").getInteger("in_flight") == 2);
    stop(node); // as SIGTERM does
    assertEquals(List.of("success"), historyStatuses("quick"), "ended within the grace: recorded as it ended");
    assertEquals(List.of("interrupted"), historyStatuses("long"), "still running after the grace: ended, recorded");
    assertEquals(0, runningRows(), "an at-most-once fire cut off leaves no running row behind");
  }

  List<String> historyStatuses(String jobId) {
    return sql("SELECT status FROM ruqi_jobs_history WHERE job_id = ?", Tuple.of(jobId)).stream()
        .map(r -> r.getString(0)).toList();
  }

  @Test
  void an_at_least_once_run_cut_off_by_a_stop_runs_again_when_its_node_is_back() {
    JsonObject noGrace = new JsonObject().put("scheduler", new JsonObject().put("shutdown_grace", 0));
    TestNode before = start(T0, noGrace);
    Reply added = before.http.post("/ruqi/job_add", new JsonObject().put("job_id", "slow").put("job_name", "stop")
        .put("job_trigger", "cron").put("rule", "0 0 3 * * *").put("cmd", "sleep 2")
        .put("delivery", "at_least_once"));
    assertEquals("OK", added.stat(), added.toString());
    assertEquals("OK", before.http.post("/ruqi/job_run", new JsonObject().put("job_id", "slow")).stat());
    eventually(20, "the run is in flight", () -> before.http.get("/ruqi/scheduler_status").json()
        .getJsonObject("data").getInteger("in_flight") == 1);
    stop(before); // SIGTERM with no grace: the run is ended
    TestNode node = start(T0.plusSeconds(3), new JsonObject());
    eventually(30, "the fire runs again and succeeds", () -> node.history("slow").stream()
        .anyMatch(r -> "success".equals(((JsonObject) r).getString("status"))));
    List<JsonObject> rows = rowsOf(node, "slow", 0);
    assertEquals(List.of("interrupted", "success"), rows.stream().map(r -> r.getString("status")).toList(),
        node.history("slow").encodePrettily());
    assertEquals(2, rows.get(1).getInteger("attempt"));
    eventually(10, "no running row is left", () -> runningRows() == 0);
  }

  @Test
  void an_at_least_once_fire_found_past_its_grace_is_interrupted_not_run_again() {
    TestNode node = start(T0, scheduler(2));
    add(node, "stale", new JsonObject().put("delivery", "at_least_once").put("misfire_grace_time", 3));
    claimAs("ghost", "stale", true);
    deadLease("ghost");
    node.clock.set(FIRE.plusSeconds(5));
    eventually(30, "the fire ends", () -> runningRows() == 0 && statusOf(node, "stale", 10) != null);
    assertEquals("interrupted", statusOf(node, "stale", 10));
    assertTrue(rowsOf(node, "stale", 10).get(0).getString("cmd_output").contains("too late"));
    assertEquals(0, sink.requests.size());
  }
}
