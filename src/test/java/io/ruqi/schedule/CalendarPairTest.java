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

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two nodes sharing one MariaDB and nothing else (no cluster, so no change notice reaches the other node): a
 * calendar changed through node A is honoured by node B, which claims the fires. Each node runs on its own settable
 * clock; only B's is moved, so A never finds the fire due.
 */
class CalendarPairTest {
  static final Instant T0 = Instant.parse("2026-11-21T04:00:00Z");

  final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(TestNode::close);
  }

  TestNode start(JsonObject conf, String name) {
    TestNode node = TestNode.start(T0, conf.copy().put("node", new JsonObject().put("name", name)));
    nodes.add(node);
    return node;
  }

  static void ok(Reply r) {
    assertEquals("OK", r.stat(), r.toString());
  }

  static void calendar(TestNode via, String... days) {
    ok(via.http.post("/ruqi/calendar_set", new JsonObject().put("calendar", "holidays")
        .put("days", new JsonArray(List.of((Object[]) days)))));
  }

  JsonObject newestRow(TestNode via, String jobId, int rows) {
    eventually(20, rows + " rows of " + jobId, () -> via.history(jobId).size() >= rows);
    return via.history(jobId).getJsonObject(0);
  }

  @Test
  void a_calendar_changed_through_one_node_is_honoured_by_the_other() {
    JsonObject conf = MySqlStores.freshStore("calpair").put("timezone", "UTC");
    TestNode a = start(conf, "node-a");
    TestNode b = start(conf, "node-b");
    calendar(a, "2026-11-22");
    ok(a.http.post("/ruqi/job_add", new JsonObject().put("job_id", "j").put("job_name", "pair")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", "true").put("calendar", "holidays")));
    b.advance(Duration.ofSeconds(10)); // its wake-up reads the calendars again, then the jobs
    JsonObject first = newestRow(b, "j", 1);
    assertEquals("success", first.getString("status"), "the 21st is not listed: " + first.encode());
    assertEquals("node-b", first.getString("scheduler_name"));

    calendar(a, "2026-11-21");
    b.advance(Duration.ofSeconds(10));
    JsonObject second = newestRow(b, "j", 2);
    assertEquals("skipped", second.getString("status"), second.encode());
    assertEquals("not run: calendar holidays (skip) lists 2026-11-21", second.getString("cmd_output"));
    assertEquals("node-b", second.getString("scheduler_name"));
  }

  @Test
  void a_node_that_missed_the_change_catches_up_within_the_refresh_bound() {
    JsonObject conf = MySqlStores.freshStore("calpair").put("timezone", "UTC");
    TestNode a = start(conf, "node-a");
    TestNode b = start(conf, "node-b");
    calendar(a, "2026-11-22");
    ok(a.http.post("/ruqi/job_add", new JsonObject().put("job_id", "j").put("job_name", "pair")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", "true").put("calendar", "holidays")));
    calendar(a, "2026-11-21");
    // no notice and no wake-up reach B: only its own periodic refresh of the calendars
    TestNode.sleep(Calendars.REFRESH.toMillis() + 1_000);
    b.clock.advance(Duration.ofSeconds(10)); // B's next read-ahead (each second) finds the fire due
    JsonObject row = newestRow(b, "j", 1);
    assertEquals("skipped", row.getString("status"), row.encode());
    assertEquals("node-b", row.getString("scheduler_name"));
  }
}
