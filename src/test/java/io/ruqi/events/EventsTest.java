package io.ruqi.events;

import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every job change and fire outcome reaches ruqi.events consumers and the /ruqi/events stream. */
class EventsTest {
  TestNode node;
  final List<JsonObject> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), "UTC");
    TestNode.await(node.vertx.eventBus().<JsonObject>consumer(RuqiEvents.ADDRESS, m -> seen.add(m.body()))
        .completion());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  boolean saw(String event, String jobId) {
    return seen.stream().anyMatch(e -> event.equals(e.getString("event")) && jobId.equals(e.getString("job_id")));
  }

  JsonObject job(String id, String rule, String cmd) {
    return new JsonObject().put("job_id", id).put("job_name", "ev").put("job_trigger", "interval").put("rule", rule)
        .put("cmd", cmd);
  }

  @Test
  void a_consumer_on_ruqi_events_sees_changes_and_fire_outcomes() {
    node.http.post("/ruqi/job_add", job("ok", "10s", "true"));
    node.http.post("/ruqi/job_add", job("ko", "10s", "false"));
    node.http.post("/ruqi/job_add", job("late", "10s", "true").put("misfire_grace_time", 1));
    node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "ok").put("cmd", "echo hi"));
    node.http.post("/ruqi/job_pause", new JsonObject().put("job_id", "late"));
    node.http.post("/ruqi/job_resume", new JsonObject().put("job_id", "late"));
    node.advance(Duration.ofSeconds(10));
    eventually(20, "fire outcomes", () -> saw("fire_succeeded", "ok") && saw("fire_failed", "ko"));
    node.http.post("/ruqi/job_remove", new JsonObject().put("job_id", "ko"));
    eventually(10, "all events", () -> saw("job_added", "ok") && saw("job_modified", "ok") && saw("job_paused", "late")
        && saw("job_resumed", "late") && saw("job_removed", "ko") && saw("fire_started", "ok"));
    JsonObject ok = seen.stream().filter(e -> "fire_succeeded".equals(e.getString("event"))).findFirst().orElseThrow();
    assertEquals("2026-11-21 04:00:10", ok.getString("fire_time"));
    assertEquals("success", ok.getString("status"));
    assertEquals("test-node", ok.getString("node"));
    assertEquals("ev", ok.getString("job_name"));
  }

  @Test
  void a_removal_by_name_tells_each_job_it_removed_by_id() {
    node.http.post("/ruqi/job_add", job("n1", "10s", "false"));
    node.http.post("/ruqi/job_add", job("n2", "10s", "true"));
    node.http.post("/ruqi/job_add", job("kept", "10s", "true").put("job_name", "other"));
    node.http.post("/ruqi/remove_job", new JsonObject().put("name", "ev"));
    eventually(10, "both removals", () -> saw("job_removed", "n1") && saw("job_removed", "n2"));
    List<JsonObject> removed = seen.stream().filter(e -> "job_removed".equals(e.getString("event"))).toList();
    assertEquals(2, removed.size(), removed.toString());
    assertTrue(removed.stream().allMatch(e -> "ev".equals(e.getString("job_name"))), removed.toString());
    node.advance(Duration.ofSeconds(10));
    eventually(10, "the kept job fires", () -> saw("fire_succeeded", "kept"));
    assertTrue(seen.stream().noneMatch(e -> e.getString("event").startsWith("fire_")
        && !"kept".equals(e.getString("job_id"))), "a removed job fired: " + seen);
  }

  @Test
  void missed_and_skipped_fires_are_events_too() {
    node.http.post("/ruqi/job_add", job("slow", "10s", "sleep 3").put("misfire_grace_time", 1));
    node.http.post("/ruqi/job_add", job("gone", "5s", "true").put("misfire_grace_time", 1));
    node.advance(Duration.ofSeconds(10)); // gone's first fire is 5 s late: missed; slow starts on time
    eventually(10, "missed", () -> saw("fire_missed", "gone"));
    eventually(10, "slow runs", () -> saw("fire_started", "slow"));
    node.advance(Duration.ofSeconds(10));
    node.tickUntil(Duration.ofMillis(250), 10, "skipped", () -> saw("fire_skipped", "slow"));
  }

  @Test
  // A stream that never sends its event would block readLine() forever: fail instead of hanging the build.
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void the_event_stream_serves_server_sent_events() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.http.port() + "/ruqi/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertTrue(lines.readLine().startsWith(":"), "the stream opens with a comment");
      node.http.post("/ruqi/job_add", job("sse", "10s", "true"));
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.startsWith("data: "));
      JsonObject event = new JsonObject(line.substring("data: ".length()));
      assertEquals("job_added", event.getString("event"));
      assertEquals("sse", event.getString("job_id"));
    }
  }
}
