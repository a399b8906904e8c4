package io.ruqi.http;

import io.ruqi.store.HistoryRecord;
import io.ruqi.store.RunStatus;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /ruqi/output} as an attacker would try it: no token, a token in the URL (taken, as for /ruqi/events), a
 * page of another site; and what a viewer gets for a fire that is over or unknown.
 */
class FireOutputStreamTest {
  static final String VIEWER = "viewer-token-0123456789";
  static final Instant FIRE = Instant.parse("2026-12-02T10:00:00.250Z");
  static final HttpClient CLIENT = HttpClient.newHttpClient();
  static TestNode node;

  @BeforeAll
  static void start() {
    JsonArray tokens = new JsonArray().add(new JsonObject().put("name", "alice").put("role", "viewer")
        .put("token", VIEWER));
    node = TestNode.start(Instant.parse("2026-12-02T10:05:00Z"), new JsonObject().put("timezone", "UTC")
        .put("auth", new JsonObject().put("tokens", tokens)));
    HistoryRecord row = new HistoryRecord("secret-job", "n", "echo", RunStatus.SUCCESS, "the password is hunter2", 0.1,
        "test-node", FIRE.plusSeconds(1), FIRE, FIRE, 1, 0, true);
    TestNode.await(node.node.stores().history().write(List.of(row)));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static HttpResponse<String> get(String query, String... headers) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.node.port()
          + "/ruqi/output?" + query)).timeout(Duration.ofSeconds(20));
      if (headers.length > 0) {
        b.headers(headers);
      }
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void without_a_token_the_output_is_not_read() {
    HttpResponse<String> r = get("fire_id=secret-job%40" + FIRE.toEpochMilli());
    assertEquals(401, r.statusCode());
    assertTrue(!r.body().contains("hunter2"), r.body());
    assertEquals(401, get("fire_id=secret-job%40" + FIRE.toEpochMilli() + "&access_token=wrong-token-0123456789")
        .statusCode());
  }

  @Test
  void a_page_of_another_site_is_refused_even_with_the_viewer_s_token() {
    HttpResponse<String> r = get("fire_id=secret-job%40" + FIRE.toEpochMilli() + "&access_token=" + VIEWER,
        "Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site");
    assertEquals(403, r.statusCode());
    assertTrue(!r.body().contains("hunter2"), r.body());
  }

  @Test
  void a_viewer_opening_a_fire_that_is_over_gets_its_stored_output_and_the_stream_ends() {
    HttpResponse<String> r = get("fire_id=secret-job%40" + FIRE.toEpochMilli() + "&access_token=" + VIEWER);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertTrue(r.body().contains("event: stored\ndata: "), r.body());
    JsonObject stored = new JsonObject(r.body().substring(r.body().indexOf("data: ") + 6).strip());
    assertEquals("the password is hunter2", stored.getJsonArray("runs").getJsonObject(0).getString("cmd_output"));
    assertEquals(false, stored.getBoolean("running"));
  }

  @Test
  void a_stream_that_ended_frees_its_place_among_the_views_a_node_allows() {
    for (int i = 0; i < FireOutputStream.MAX_STREAMS + 5; i++) {
      HttpResponse<String> r = get("fire_id=secret-job%40" + FIRE.toEpochMilli() + "&access_token=" + VIEWER);
      assertEquals(200, r.statusCode(), "view " + i + ": " + r.body());
    }
  }

  @Test
  void an_unknown_or_malformed_fire_is_refused_with_a_reason() {
    HttpResponse<String> unknown = get("fire_id=ghost%401&access_token=" + VIEWER);
    assertTrue(unknown.body().contains("event: refused\n"), unknown.body());
    assertTrue(unknown.body().contains("no fire ghost@1 is running or in the history"), unknown.body());
    HttpResponse<String> malformed = get("fire_id=ghost&access_token=" + VIEWER);
    assertTrue(malformed.body().contains("ERR_BAD_PARAMS"), malformed.body());
    HttpResponse<String> missing = get("access_token=" + VIEWER);
    assertEquals(400, missing.statusCode());
    assertTrue(missing.body().contains("fire_id is required"), missing.body());
  }
}
