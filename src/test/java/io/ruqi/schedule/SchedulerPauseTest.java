package io.ruqi.schedule;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole scheduler's maintenance switch (APScheduler's and flask-apscheduler's pause and resume): while paused
 * nothing fires, on any node; on resume the fires due meanwhile follow their misfire grace and coalescing.
 */
class SchedulerPauseTest {
  /** 12:00:00 in Shanghai. */
  static final Instant T0 = Instant.parse("2026-11-21T04:00:00Z");
  final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
  }

  TestNode node(JsonObject conf) {
    TestNode n = TestNode.start(T0, conf.put("timezone", "Asia/Shanghai"));
    nodes.add(n);
    return n;
  }

  /**
   * Runs may overlap: a fire that waits for the one before it to end waits by the clock, which stands still here
   * (the catching up after the resume is what is tested, not max_instances).
   */
  static JsonObject job(String id, boolean coalesce) {
    return new JsonObject().put("job_id", id).put("job_name", "p").put("job_trigger", "interval").put("rule", "10s")
        .put("cmd", "true").put("coalesce", coalesce).put("max_instances", 10);
  }

  static Reply ok(Reply r) {
    assertEquals("OK", r.stat(), r.toString());
    return r;
  }

  /** fire_time -> status of a job's rows. */
  static TreeMap<String, String> rows(TestNode node, String jobId) {
    TreeMap<String, String> out = new TreeMap<>();
    for (Object o : node.history(jobId)) {
      JsonObject row = (JsonObject) o;
      out.put(row.getString("fire_time").substring(11), row.getString("status"));
    }
    return out;
  }

  static boolean paused(TestNode node) {
    return node.http.get("/ruqi/scheduler_status").json().getJsonObject("data").getBoolean("paused");
  }

  @Test
  void nothing_fires_while_paused_and_on_resume_the_fires_due_meanwhile_follow_their_grace() {
    TestNode node = node(new JsonObject());
    ok(node.http.post("/ruqi/job_add", job("each", false)));
    ok(node.http.post("/ruqi/job_add", job("latest", true)));
    assertEquals(new JsonObject().put("paused", true),
        ok(node.http.post("/ruqi/scheduler_pause", new JsonObject())).json().getJsonObject("data"));
    assertTrue(paused(node));
    Reply run = node.http.post("/ruqi/job_run", new JsonObject().put("job_id", "each"));
    assertEquals("ERR", run.stat(), "a run by hand is refused too: nothing fires");
    assertTrue(run.json().getString("msg").contains("paused"), run.toString());

    // two minutes of maintenance; the scheduler looks at the store as often as it would
    for (int i = 0; i < 12; i++) {
      node.advance(Duration.ofSeconds(10));
    }
    ok(node.http.post("/ruqi/scheduler_resume", new JsonObject()));
    // at 12:02:00 with a 30 s grace: the fires up to 12:01:20 are missed, the later ones run (or coalesce)
    eventually(30, "the fires due meanwhile are recorded", () -> rows(node, "each").size() == 12
        && rows(node, "latest").size() == 12);
    TreeMap<String, String> each = rows(node, "each");
    TreeMap<String, String> expected = new TreeMap<>();
    for (int s = 10; s <= 80; s += 10) {
      expected.put(String.format("12:%02d:%02d", s / 60, s % 60), "missed");
    }
    TreeMap<String, String> latest = new TreeMap<>(expected);
    for (String t : List.of("12:01:30", "12:01:40", "12:01:50", "12:02:00")) {
      expected.put(t, "success");
      latest.put(t, t.equals("12:02:00") ? "success" : "skipped");
    }
    assertEquals(expected, each, "without coalescing, each fire in its grace runs");
    assertEquals(latest, rows(node, "latest"), "coalesced: only the latest runs");
    assertTrue(!paused(node));

    JsonArray audit = node.http.get("/ruqi/audit_list?operation=scheduler_pause").json().getJsonObject("data")
        .getJsonArray("list");
    assertEquals(1, audit.size(), audit.encode());
    assertEquals(new JsonObject().put("paused", true), audit.getJsonObject(0).getJsonObject("after"));
  }

  @Test
  void pausing_twice_changes_nothing_more() {
    TestNode node = node(new JsonObject());
    ok(node.http.post("/ruqi/scheduler_pause", new JsonObject()));
    ok(node.http.post("/ruqi/scheduler_pause", new JsonObject()));
    ok(node.http.post("/ruqi/scheduler_resume", new JsonObject()));
    ok(node.http.post("/ruqi/scheduler_resume", new JsonObject()));
    assertEquals(2, node.http.get("/ruqi/audit_list").json().getJsonObject("data").getInteger("total"),
        "one pause and one resume");
  }

  @Test
  void the_pause_holds_on_every_node_of_a_pair_and_through_a_restart() {
    String url = MySqlStores.freshUrl("pause");
    JsonObject store = new JsonObject().put("url", url);
    TestNode a = node(new JsonObject().put("store", store).put("node", new JsonObject().put("name", "node-a")));
    TestNode b = node(new JsonObject().put("store", store.copy()).put("node", new JsonObject().put("name", "node-b")));
    ok(a.http.post("/ruqi/job_add", job("shared", false)));
    ok(a.http.post("/ruqi/scheduler_pause", new JsonObject()));
    // node-b's claims read the switch in the store: its run by hand is refused at once
    Reply run = b.http.post("/ruqi/job_run", new JsonObject().put("job_id", "shared"));
    assertEquals("ERR", run.stat(), run.toString());
    b.wakeup();
    eventually(10, "node-b's scheduler knows it is paused", () -> paused(b));

    nodes.remove(b);
    b.close();
    TestNode b2 = node(new JsonObject().put("store", store.copy()).put("node", new JsonObject().put("name", "node-b")));
    assertTrue(paused(b2), "a node started during the pause is paused");

    ok(b2.http.post("/ruqi/scheduler_resume", new JsonObject()));
    a.wakeup();
    eventually(10, "node-a's scheduler knows it runs again", () -> !paused(a));
    ok(a.http.post("/ruqi/job_run", new JsonObject().put("job_id", "shared")));
  }
}
