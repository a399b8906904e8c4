package io.ruqi.schedule;

import io.ruqi.config.RuqiConfig;
import io.ruqi.store.StoreFactory;
import io.ruqi.store.Stores;
import io.ruqi.testing.HttpSink;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job chains through a node's death, in one JVM: a dead node's chained fire, claimed and not started (it died
 * right after the parent's end committed), is run by its peer, once, still naming its parent; a chained fire cut
 * off while it ran is recorded interrupted, naming its parent; and a parent cut off by its node's death ends
 * interrupted on the peer, which starts its on_failure. The dead node is simulated as TakeOverTest does: its rows
 * are written through the store, and its lease ended long ago by the database's clock.
 */
class ChainTakeOverTest {
  static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
  /** A fire time of the dead node's, off any schedule (as a chained fire's is). */
  static final Instant FIRE = T0.plusMillis(10_123);
  static final String PARENT = "etl@" + T0.plusSeconds(9).toEpochMilli();

  TestNode node;
  HttpSink sink;
  Vertx ghostVertx;
  Stores ghost;
  JsonObject conf;

  /** The store: an embedded one here; MySqlChainTakeOverTest runs the same tests on MariaDB. */
  JsonObject store() {
    return new JsonObject().put("store", new JsonObject().put("url", "sqlite:mem:" + UUID.randomUUID()));
  }

  @BeforeEach
  void open() {
    conf = store().put("timezone", "UTC").put("scheduler", new JsonObject().put("lease", 2));
    sink = new HttpSink();
    ghostVertx = Vertx.vertx();
    ghost = TestNode.await(StoreFactory.open(ghostVertx, RuqiConfig.from(conf)));
    node = TestNode.start(T0, conf);
  }

  @AfterEach
  void close() {
    node.close();
    TestNode.await(ghost.close());
    TestNode.await(ghostVertx.close());
    sink.close();
  }

  void add(String id, JsonObject options) {
    JsonObject job = new JsonObject().put("job_id", id).put("job_name", "chain").put("job_trigger", "date")
        .put("rule", "2036-01-01 00:00:00").put("cmd", sink.url("/" + id)).mergeIn(options);
    Reply r = node.http.post("/ruqi/job_add", job);
    assertEquals("OK", r.stat(), r.toString());
  }

  /** The ghost node's running row, as a chain's claim (parent given) or a run by hand (null) leaves it. */
  void ghostRow(String jobId, Instant fire, boolean started, String parent) {
    sql("INSERT INTO ruqi_running (job_id, fire_time, node, start_time, parent_fire_id) VALUES (?, ?, 'ghost', ?, ?)",
        Tuple.of(jobId, LocalDateTime.ofInstant(fire, ZoneOffset.UTC),
            started ? LocalDateTime.ofInstant(fire, ZoneOffset.UTC) : null, parent));
    sql("INSERT INTO ruqi_nodes (node, lease_until) VALUES ('ghost', ?)", Tuple.of(LocalDateTime.of(2000, 1, 1, 0, 0)));
  }

  List<Row> sql(String statement, Tuple args) {
    List<Row> rows = new ArrayList<>();
    TestNode.await(ghost.pool().preparedQuery(statement).execute(args)).forEach(rows::add);
    return rows;
  }

  List<HttpSink.Request> requestsTo(String path) {
    return sink.requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  JsonObject onlyRow(String jobId) {
    eventually(20, "a history row for " + jobId, () -> node.history(jobId).size() >= 1);
    JsonArray rows = node.history(jobId);
    assertEquals(1, rows.size(), rows.encodePrettily());
    return rows.getJsonObject(0);
  }

  @Test
  void a_dead_nodes_chained_fire_not_started_yet_runs_once_on_its_peer_naming_its_parent() {
    add("report", new JsonObject());
    ghostRow("report", FIRE, false, PARENT);
    node.clock.set(FIRE.plusSeconds(1)); // within the misfire grace (30 s): it is run, not missed
    JsonObject row = onlyRow("report");
    assertEquals("success", row.getString("status"));
    assertEquals(PARENT, row.getString("parent_fire_id"));
    assertEquals("test-node", row.getString("scheduler_name"));
    List<HttpSink.Request> runs = requestsTo("/report");
    assertEquals(1, runs.size(), "run once");
    assertEquals(PARENT, runs.get(0).headers().getString("x-ruqi-parent-fire-id"));
    assertEquals("report@" + FIRE.toEpochMilli(), runs.get(0).headers().getString("x-ruqi-fire-id"),
        "the fire keeps the id its chain gave it");
    TestNode.sleep(1000);
    assertEquals(1, requestsTo("/report").size());
    assertEquals(0, sql("SELECT COUNT(*) FROM ruqi_running", Tuple.tuple()).get(0).getInteger(0));
  }

  @Test
  void a_dead_nodes_chained_fire_cut_off_while_it_ran_is_recorded_interrupted_naming_its_parent() {
    add("report", new JsonObject());
    ghostRow("report", FIRE, true, PARENT);
    node.clock.set(FIRE.plusSeconds(1));
    JsonObject row = onlyRow("report");
    assertEquals("interrupted", row.getString("status"));
    assertEquals(PARENT, row.getString("parent_fire_id"));
    assertEquals(0, requestsTo("/report").size(), "at most once: not run again");
  }

  @Test
  void a_parent_cut_off_by_its_nodes_death_starts_its_on_failure_on_the_peer_once() {
    add("cleanup", new JsonObject());
    add("report", new JsonObject());
    add("etl", new JsonObject().put("on_failure", new JsonArray().add("cleanup"))
        .put("on_success", new JsonArray().add("report")));
    Instant parentFire = T0.plusSeconds(9);
    ghostRow("etl", parentFire, true, null);
    node.clock.set(FIRE);
    assertEquals("interrupted", onlyRow("etl").getString("status"));
    JsonObject cleanup = onlyRow("cleanup");
    assertEquals(PARENT, cleanup.getString("parent_fire_id"));
    assertEquals("success", cleanup.getString("status"));
    List<HttpSink.Request> runs = requestsTo("/cleanup");
    assertEquals(1, runs.size());
    assertEquals(PARENT, runs.get(0).headers().getString("x-ruqi-parent-fire-id"));
    TestNode.sleep(1000);
    assertEquals(1, requestsTo("/cleanup").size(), "started once");
    assertTrue(node.history("report").isEmpty(), "an interrupted run is no success");
  }
}
