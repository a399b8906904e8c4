package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The children of a fire are claimed in the transaction that writes its last row, and only by the write that
 * removes its running row: written again (an answer lost on the way back), a row starts nothing twice; and two
 * parents ending at once do not take a child past its max_instances.
 */
class ChainStartsTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  Vertx vertx;
  Stores stores;
  final List<ChainStarts.Chained> announced = new CopyOnWriteArrayList<>();

  /** The store under test; MySqlChainStartsTest runs the same tests on MariaDB. */
  String storeUrl() {
    return "sqlite:mem:" + UUID.randomUUID();
  }

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    RuqiConfig config = RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", storeUrl())));
    stores = TestNode.await(StoreFactory.open(vertx, config));
    stores.history().chains().onChained(announced::add);
  }

  @AfterEach
  void close() {
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  Job job(String id, JsonObject options) {
    Job job = new Job(id, "n", "interval", "10s", "true", ZoneOffset.UTC, null, null, T, T.plusSeconds(3600),
        false, options, 0, T, T);
    TestNode.await(stores.jobs().insert(job));
    return job;
  }

  /** The parent's fire, running on node-a. */
  HistoryRecord parentEnded(String jobId, int second, String child) {
    Instant fire = T.plusSeconds(second);
    TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
        + " VALUES (?, ?, 'node-a', ?)").execute(Tuple.of(jobId, SqlJobStore.utc(fire), SqlJobStore.utc(fire))));
    return new HistoryRecord(jobId, "n", "true", RunStatus.SUCCESS, "ok", 0.1, "node-a", fire.plusMillis(1234),
        fire, fire, 1, 0, true).chaining(List.of(child));
  }

  List<Row> running(String jobId) {
    List<Row> out = new ArrayList<>();
    TestNode.await(stores.pool().preparedQuery("SELECT job_id, fire_time, node, start_time, parent_fire_id"
        + " FROM ruqi_running WHERE job_id = ?").execute(Tuple.of(jobId))).forEach(out::add);
    return out;
  }

  @Test
  void the_last_row_claims_its_children_unstarted_for_its_node_naming_the_parent() {
    job("etl", new JsonObject());
    job("report", new JsonObject());
    HistoryRecord end = parentEnded("etl", 10, "report");
    TestNode.await(stores.history().write(List.of(end)));

    assertEquals(0, running("etl").size(), "the parent's running row went with its last row");
    List<Row> child = running("report");
    assertEquals(1, child.size());
    assertEquals("node-a", child.get(0).getString("node"));
    assertNull(child.get(0).getValue("start_time"), "claimed, not started: its node marks it as it starts it");
    assertEquals("etl@" + T.plusSeconds(10).toEpochMilli(), child.get(0).getString("parent_fire_id"));
    TestNode.eventually(5, "announced", () -> announced.size() == 1);
    ChainStarts.Started started = announced.get(0).started().get(0);
    assertEquals("report", started.job().id());
    assertEquals(T.plusSeconds(10).plusMillis(1234), started.fireTime(), "the child fires as its parent ends");
    assertEquals(1, started.job().version(), "the claim moved the child's version, as a claim does");
  }

  @Test
  void a_row_written_again_starts_nothing_again() {
    job("etl", new JsonObject());
    job("report", new JsonObject().put("max_instances", 5));
    HistoryRecord end = parentEnded("etl", 10, "report");
    TestNode.await(stores.history().write(List.of(end)));
    TestNode.await(stores.history().write(List.of(end)));
    assertEquals(1, running("report").size(), "one parent's end, one child's fire");
    TestNode.eventually(5, "announced", () -> announced.size() == 1);
    TestNode.sleep(200);
    assertEquals(1, announced.size());
  }

  @Test
  void two_parents_ending_at_once_do_not_take_a_child_past_max_instances() {
    job("a", new JsonObject());
    job("b", new JsonObject());
    job("report", new JsonObject());
    HistoryRecord endA = parentEnded("a", 10, "report");
    HistoryRecord endB = parentEnded("b", 10, "report");
    TestNode.await(Future.join(stores.history().write(List.of(endA)), stores.history().write(List.of(endB))));
    assertEquals(1, running("report").size());
    List<Row> skipped = new ArrayList<>();
    TestNode.await(stores.pool().query("SELECT status, parent_fire_id, cmd_output FROM ruqi_jobs_history"
        + " WHERE job_id = 'report'").execute()).forEach(skipped::add);
    assertEquals(1, skipped.size(), "the other parent's child is recorded");
    assertEquals("skipped", skipped.get(0).getString("status"));
    assertTrue(skipped.get(0).getString("cmd_output").contains("max_instances (1)"), skipped.get(0).toString());
  }

  @Test
  void a_cycle_that_racing_edits_let_through_stops_after_one_round() {
    // a -> b and b -> a, as two edits on two nodes could leave them, each checked before the other was written
    job("a", new JsonObject().put("on_success", new io.vertx.core.json.JsonArray().add("b")));
    job("b", new JsonObject().put("on_success", new io.vertx.core.json.JsonArray().add("a")));
    HistoryRecord endA = parentEnded("a", 10, "b");
    TestNode.await(stores.history().write(List.of(endA)));
    List<Row> b = running("b");
    assertEquals(1, b.size(), "a's end starts b");
    Instant bFire = SqlJobStore.utcInstant(b.get(0).getLocalDateTime("fire_time"));
    String aId = "a@" + T.plusSeconds(10).toEpochMilli();
    // b's fire ends, naming a's fire as its parent: starting a again would go round for ever
    HistoryRecord endB = new HistoryRecord("b", "n", "true", RunStatus.SUCCESS, "ok", 0.1, "node-a",
        bFire.plusMillis(500), bFire, bFire, 1, 0, true).withParent(aId).chaining(List.of("a"));
    TestNode.await(stores.history().write(List.of(endB)));
    assertEquals(0, running("a").size(), "a is not started again");
    List<Row> rows = new ArrayList<>();
    TestNode.await(stores.pool().query("SELECT status, parent_fire_id, cmd_output FROM ruqi_jobs_history"
        + " WHERE job_id = 'a' AND status = 'skipped'").execute()).forEach(rows::add);
    assertEquals(1, rows.size());
    assertTrue(rows.get(0).getString("cmd_output").contains("a cycle, a -> b -> a"), rows.get(0).toString());
    assertEquals("b@" + bFire.toEpochMilli(), rows.get(0).getString("parent_fire_id"));
  }

  @Test
  void a_child_of_the_same_millisecond_as_one_already_there_gets_the_next() {
    job("a", new JsonObject());
    job("report", new JsonObject().put("max_instances", 5));
    HistoryRecord first = parentEnded("a", 10, "report");
    HistoryRecord second = parentEnded("a", 11, "report");
    // both parents ended in the same millisecond
    HistoryRecord same = new HistoryRecord(second.jobId(), "n", "true", RunStatus.SUCCESS, "ok", 0.1, "node-a",
        first.created(), second.fireTime(), second.fireTime(), 1, 0, true).chaining(List.of("report"));
    TestNode.await(stores.history().write(List.of(first)));
    TestNode.await(stores.history().write(List.of(same)));
    List<Row> children = running("report");
    assertEquals(2, children.size(), "two fires, two ids");
    assertTrue(!children.get(0).getLocalDateTime("fire_time").equals(children.get(1).getLocalDateTime("fire_time")));
  }
}
