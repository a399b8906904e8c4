package io.ruqi.alert;

import io.ruqi.testing.HttpSink;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Alert webhooks reach a real HTTP sink: on failure, after N failures in a row, on a missed fire; retried. */
class AlertTest {
  TestNode node;
  HttpSink sink;

  @BeforeEach
  void start() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), "UTC");
    sink = new HttpSink();
  }

  @AfterEach
  void stop() {
    node.close();
    sink.close();
  }

  void add(String id, String cmd, JsonObject options) {
    JsonObject job = new JsonObject().put("job_id", id).put("job_name", "al").put("job_trigger", "interval")
        .put("rule", "10s").put("cmd", cmd).mergeIn(options);
    assertEquals("OK", node.http.post("/ruqi/job_add", job).stat());
  }

  List<JsonObject> alerts(String path) {
    return sink.requests.stream().filter(r -> r.path().equals(path)).map(r -> new JsonObject(r.body())).toList();
  }

  void fire() {
    node.advance(Duration.ofSeconds(10));
  }

  @Test
  void a_failed_fire_alerts_and_a_successful_one_does_not() {
    add("bad", "false", new JsonObject().put("alert_url", sink.url("/bad")));
    add("good", "true", new JsonObject().put("alert_url", sink.url("/good")));
    fire();
    eventually(20, "an alert", () -> alerts("/bad").size() == 1);
    JsonObject alert = alerts("/bad").get(0);
    assertEquals("failure", alert.getString("alert"));
    assertEquals("bad", alert.getString("job_id"));
    assertEquals("failed", alert.getString("status"));
    assertEquals("2026-11-21 04:00:10", alert.getString("fire_time"));
    eventually(10, "the good job ran", () -> node.history("good").size() == 1);
    assertEquals(0, alerts("/good").size());
  }

  @Test
  void a_fire_that_times_out_alerts_as_a_failure() {
    add("slow", "sleep 30", new JsonObject().put("alert_url", sink.url("/slow")).put("timeout", 0.2));
    fire();
    eventually(20, "an alert", () -> alerts("/slow").size() == 1);
    JsonObject alert = alerts("/slow").get(0);
    assertEquals("failure", alert.getString("alert"));
    assertEquals("timeout", alert.getString("status"));
    assertEquals("slow@" + Instant.parse("2026-11-21T04:00:10Z").toEpochMilli(), alert.getString("fire_id"));
  }

  @Test
  void alert_after_three_failures_in_a_row_alerts_once() {
    add("streak", "false", new JsonObject().put("alert_url", sink.url("/streak")).put("alert_after", 3));
    // fails alongside and alerts at its fifth failure only: its alert shows the notifier has judged the fourth and
    // fifth failures of "streak" (a later event instead of a wait before the negative check)
    add("marker", "false", new JsonObject().put("alert_url", sink.url("/marker")).put("alert_after", 5));
    for (int i = 1; i <= 5; i++) {
      fire();
      int fires = i;
      eventually(20, "fire " + i, () -> node.history("streak").size() == fires
          && node.history("marker").size() == fires);
      if (i == 3) {
        eventually(10, "the alert of the third failure", () -> !alerts("/streak").isEmpty());
        assertEquals(1, alerts("/streak").size(), "two failures were not yet three");
        assertEquals("2026-11-21 04:00:30", alerts("/streak").get(0).getString("fire_time"));
      }
    }
    eventually(10, "the marker's alert, at its fifth failure", () -> alerts("/marker").size() == 1);
    assertEquals(1, alerts("/streak").size(), "the fourth and fifth failures do not alert again");
    assertEquals(3, alerts("/streak").get(0).getInteger("consecutive_failures"));
  }

  @Test
  void a_missed_fire_alerts_and_delivery_is_retried() {
    add("late", "true", new JsonObject().put("alert_url", sink.url("/flaky")).put("misfire_grace_time", 1)
        .put("alert_on", new JsonArray().add("missed")));
    node.advance(Duration.ofSeconds(15));
    eventually(20, "delivered on the second try", () -> sink.requests.stream()
        .filter(r -> r.path().equals("/flaky")).count() == 2);
    assertEquals("missed", alerts("/flaky").get(1).getString("alert"));
  }
}
