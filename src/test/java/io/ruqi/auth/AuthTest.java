package io.ruqi.auth;

import io.ruqi.api.ApiOp;
import io.ruqi.testing.HttpTestClient.Reply;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every operation, under both its names, without a token, with a wrong one and with each role. */
class AuthTest {
  static final String VIEWER = "viewer-token-0123456789";
  static final String OPERATOR = "operator-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";
  static TestNode node;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    String adminHash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(ADMIN.getBytes(StandardCharsets.UTF_8)));
    JsonArray tokens = new JsonArray()
        .add(new JsonObject().put("name", "alice").put("role", "viewer").put("token", VIEWER))
        .add(new JsonObject().put("name", "bob").put("role", "operator").put("token", OPERATOR))
        .add(new JsonObject().put("name", "root").put("role", "admin").put("token", "sha256:" + adminHash));
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject().put("timezone", "UTC")
        .put("auth", new JsonObject().put("tokens", tokens)));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Reply call(String path, String authorization) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.http.port() + path))
          .POST(HttpRequest.BodyPublishers.ofString("{\"job_id\":\"nope\"}")).header("Content-Type", "application/json");
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> allNames() {
    List<String> names = new ArrayList<>();
    for (ApiOp op : ApiOp.values()) {
      names.addAll(op.names());
    }
    return names;
  }

  @Test
  void without_a_token_or_with_a_wrong_one_every_operation_is_401() {
    for (String name : allNames()) {
      for (String auth : new String[] {null, "Bearer wrong-token-0123456789", "Bearer", "Token " + ADMIN}) {
        Reply r = call("/ruqi/" + name, auth);
        assertEquals(401, r.status(), name + " with " + auth);
        assertEquals("ERR_UNAUTHORIZED", r.stat());
        assertTrue(r.header("www-authenticate").startsWith("Bearer"), name);
        assertFalse(r.json().getString("msg").isBlank());
      }
    }
  }

  /**
   * The least role each operation needs, written out as the README documents it (not read from {@link Role}), so
   * that moving an operation to a weaker role fails here. A new operation must be added to this table.
   */
  static final Map<ApiOp, String> LEAST_ROLE = Map.ofEntries(
      Map.entry(ApiOp.JOB_LIST, "viewer"), Map.entry(ApiOp.JOB_SHOW, "viewer"),
      Map.entry(ApiOp.JOB_NEXT_TIMES, "viewer"), Map.entry(ApiOp.JOB_HISTORY_LIST, "viewer"),
      Map.entry(ApiOp.SCHEDULER_STATUS, "viewer"), Map.entry(ApiOp.JOB_EXPORT, "viewer"),
      Map.entry(ApiOp.HISTORY_STATS, "viewer"), Map.entry(ApiOp.FIRE_OUTPUT, "viewer"),
      Map.entry(ApiOp.JOB_PAUSE, "operator"), Map.entry(ApiOp.JOB_RESUME, "operator"),
      Map.entry(ApiOp.JOB_RUN, "operator"), Map.entry(ApiOp.SCHEDULER_WAKEUP, "operator"),
      Map.entry(ApiOp.SCHEDULER_PAUSE, "operator"), Map.entry(ApiOp.SCHEDULER_RESUME, "operator"),
      Map.entry(ApiOp.JOB_ADD, "admin"), Map.entry(ApiOp.JOB_MODIFY, "admin"), Map.entry(ApiOp.JOB_REMOVE, "admin"),
      Map.entry(ApiOp.JOB_ADD_BY_LINE, "admin"), Map.entry(ApiOp.JOB_HISTORY_CLEAR, "admin"),
      Map.entry(ApiOp.JOB_IMPORT, "admin"), Map.entry(ApiOp.AUDIT_LIST, "admin"),
      Map.entry(ApiOp.CALENDAR_GET, "viewer"), Map.entry(ApiOp.CALENDAR_LIST, "viewer"),
      Map.entry(ApiOp.CALENDAR_SET, "admin"), Map.entry(ApiOp.CALENDAR_DELETE, "admin"));

  static final List<String> ROLE_ORDER = List.of("viewer", "operator", "admin");

  @Test
  void every_operation_has_its_documented_least_role() {
    for (ApiOp op : ApiOp.values()) {
      assertTrue(LEAST_ROLE.containsKey(op), op + " is missing from LEAST_ROLE");
    }
  }

  @Test
  void each_role_may_do_what_it_should_and_nothing_more() {
    String[][] roles = {{VIEWER, "viewer"}, {OPERATOR, "operator"}, {ADMIN, "admin"}};
    for (ApiOp op : ApiOp.values()) {
      for (String name : op.names()) {
        for (String[] role : roles) {
          Reply r = call("/ruqi/" + name, "Bearer " + role[0]);
          boolean allowed = ROLE_ORDER.indexOf(role[1]) >= ROLE_ORDER.indexOf(LEAST_ROLE.get(op));
          if (allowed) {
            assertNotEquals(401, r.status(), name + " as " + role[1] + ": " + r);
            assertNotEquals(403, r.status(), name + " as " + role[1] + ": " + r);
          } else {
            assertEquals(403, r.status(), name + " as " + role[1] + ": " + r);
            assertEquals("ERR_FORBIDDEN", r.stat());
          }
        }
      }
    }
  }

  @Test
  void the_token_is_accepted_as_bearer_as_ruqis_bearer_colon_and_as_basic() {
    String basic = "Basic " + Base64.getEncoder().encodeToString(("any:" + VIEWER).getBytes(StandardCharsets.UTF_8));
    for (String auth : new String[] {"Bearer " + VIEWER, "Bearer: " + VIEWER, "bearer " + VIEWER, basic}) {
      assertEquals(200, call("/ruqi/job_list", auth).status(), auth);
    }
  }

  /** A token in a URL lands in logs and browser history: only EventSource, which cannot send headers, may. */
  @Test
  void a_token_in_the_url_is_taken_by_the_event_stream_only() throws Exception {
    Reply list = call("/ruqi/job_list?access_token=" + VIEWER, null);
    assertEquals(401, list.status(), list.toString());
    assertTrue(list.json().getString("msg").contains("/ruqi/events"), list.toString());
    assertEquals(401, get("/metrics?access_token=" + VIEWER, null).status());
    HttpResponse<java.io.InputStream> events = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + node.http.port() + "/ruqi/events?access_token=" + VIEWER)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.InputStream body = events.body()) {
      assertEquals(200, events.statusCode(), "for EventSource");
      assertTrue(events.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    }
  }

  @Test
  void metrics_need_a_token_and_health_ready_and_the_console_do_not() {
    assertEquals(401, get("/metrics", null).status());
    Reply metrics = get("/metrics", "Bearer " + VIEWER);
    assertEquals(200, metrics.status());
    assertEquals(200, get("/health", null).status());
    assertEquals(200, get("/ready", null).status());
    assertEquals(200, get("/", null).status());
    assertEquals(401, get("/ruqi/events", null).status());
  }

  @Test
  void the_audit_trail_names_the_token_that_made_each_change() {
    JsonObject job = new JsonObject().put("job_id", "audited").put("job_name", "a").put("job_trigger", "interval")
        .put("rule", "1h").put("cmd", "true");
    assertEquals("OK", post("/ruqi/job_add", job, ADMIN).stat());
    assertEquals("OK", post("/ruqi/job_pause", new JsonObject().put("job_id", "audited"), OPERATOR).stat());
    assertEquals("OK", post("/ruqi/job_modify", new JsonObject().put("job_id", "audited").put("cmd", "echo x"),
        ADMIN).stat());
    JsonArray rows = post("/ruqi/audit_list", new JsonObject().put("job_id", "audited"), ADMIN).json()
        .getJsonObject("data").getJsonArray("list");
    assertEquals(3, rows.size(), rows.encodePrettily());
    JsonObject modify = rows.getJsonObject(0);
    assertEquals("job_modify", modify.getString("operation"));
    assertEquals("root", modify.getString("actor"));
    assertEquals("true", modify.getJsonObject("before").getString("cmd"));
    assertEquals("echo x", modify.getJsonObject("after").getString("cmd"));
    JsonObject pause = rows.getJsonObject(1);
    assertEquals("bob", pause.getString("actor"));
    assertEquals("scheduled", pause.getJsonObject("before").getString("state"));
    assertEquals("paused", pause.getJsonObject("after").getString("state"));
    JsonObject add = rows.getJsonObject(2);
    assertEquals(null, add.getValue("before"));
    assertEquals(1, post("/ruqi/audit_list", new JsonObject().put("actor", "bob"), ADMIN).json()
        .getJsonObject("data").getInteger("total"));
    assertEquals(403, post("/ruqi/audit_list", new JsonObject(), VIEWER).status());
  }

  /**
   * Every operation that changes something leaves an audit row naming the token that made it: the operations are
   * written out here (not read from production), so a change that stops auditing one fails.
   */
  @Test
  void every_change_is_audited_with_its_operation_and_the_token_that_made_it() {
    JsonObject job = new JsonObject().put("job_id", "every").put("job_name", "every-change")
        .put("job_trigger", "interval").put("rule", "1h").put("cmd", "true");
    JsonObject id = new JsonObject().put("job_id", "every");
    String[][] changes = {
        {"job_add", ADMIN, job.encode()},
        {"job_modify", ADMIN, id.copy().put("cmd", "echo modified").encode()},
        {"job_pause", OPERATOR, id.encode()},
        {"job_resume", OPERATOR, id.encode()},
        {"job_run", OPERATOR, id.encode()},
        {"job_import", ADMIN, new JsonObject().put("jobs", new JsonArray().add(job.copy().put("cmd", "echo imported")))
            .encode()},
        {"job_history_clear", ADMIN, new JsonObject().put("days", 30).put("job_id", "every").encode()},
        {"scheduler_pause", OPERATOR, "{}"},
        {"scheduler_resume", OPERATOR, "{}"},
        {"job_remove", ADMIN, id.encode()},
        {"job_add_by_line", ADMIN, new JsonObject().put("line", "1h true").put("job_id", "every-line").encode()},
        {"remove_job", ADMIN, new JsonObject().put("name", "default").encode()}};
    for (String[] change : changes) {
      Reply r = post("/ruqi/" + change[0], new JsonObject(change[2]), change[1]);
      assertEquals("OK", r.stat(), change[0] + ": " + r);
    }
    JsonArray rows = post("/ruqi/audit_list", new JsonObject().put("page_index", 1).put("page_size", 100), ADMIN)
        .json().getJsonObject("data").getJsonArray("list");
    List<String> audited = new ArrayList<>();
    for (int i = rows.size() - 1; i >= 0; i--) {
      JsonObject row = rows.getJsonObject(i);
      if ("every".equals(row.getString("job_id")) || "every-line".equals(row.getString("job_id"))
          || row.getString("operation").startsWith("scheduler_") || "remove_job".equals(row.getString("operation"))) {
        audited.add(row.getString("operation") + " by " + row.getString("actor"));
      }
    }
    List<String> expected = new ArrayList<>();
    for (String[] change : changes) {
      expected.add(change[0] + " by " + (change[1].equals(ADMIN) ? "root" : "bob"));
    }
    assertEquals(expected, audited, rows.encodePrettily());
  }

  @Test
  void metrics_open_serves_metrics_without_a_token_and_nothing_else() {
    JsonArray tokens = new JsonArray().add(new JsonObject().put("name", "alice").put("role", "viewer")
        .put("token", VIEWER));
    try (TestNode open = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject()
        .put("auth", new JsonObject().put("tokens", tokens).put("metrics_open", true)))) {
      assertEquals(200, open.http.get("/metrics").status(), "no token needed");
      assertTrue(open.http.get("/metrics").text().contains("ruqi_scheduler_heap_size"));
      assertEquals(401, open.http.get("/ruqi/job_list").status(), "the API still needs one");
    }
  }

  static Reply get(String path, String authorization) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.http.port() + path))
          .timeout(java.time.Duration.ofSeconds(5)).GET();
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Reply post(String path, JsonObject body, String token) {
    try {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + node.http.port() + path)).header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
