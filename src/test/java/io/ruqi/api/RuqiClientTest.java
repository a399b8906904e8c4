package io.ruqi.api;

import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * ruqi as a RuQi client meets it, with the default {@code api.http_status: ruqi}: every operation, under both its
 * names, with good input and with bad, read the way RuQi's own client helper reads an answer — a status other than
 * 200 gives {@code {}} and nothing else is looked at; of a 200 only {@code stat} and {@code x-reason} are used. The
 * client sends no Origin, and GETs with a query or POSTs form-typed JSON ({@code curl -d}), as RuQi's README does.
 */
class RuqiClientTest implements StoreUnderTest {
  static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final Set<String> called = new TreeSet<>();
  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start(NOW, store().put("timezone", "Asia/Shanghai"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  /** What RuQi's client helper hands its caller: the body of a 200, else {@code {}}; plus the x-reason header. */
  record Answer(JsonObject body, String reason) {
    String stat() {
      return body.getString("stat");
    }
  }

  Answer get(String op, JsonObject params) {
    called.add(op);
    String query = params.stream().map(e -> enc(e.getKey()) + "=" + enc(String.valueOf(e.getValue())))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(uri(op + (query.isEmpty() ? "" : "?" + query))).GET());
  }

  /** {@code curl -d '<json>' URL}: the JSON as a form-typed body. */
  Answer post(String op, String body) {
    called.add(op);
    return send(HttpRequest.newBuilder(uri(op)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/x-www-form-urlencoded"));
  }

  Answer post(String op, JsonObject params) {
    return post(op, params.encode());
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return new Answer(new JsonObject(), null);
      }
      return new Answer(new JsonObject(r.body()), r.headers().firstValue("x-reason").orElse(null));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + node.http.port() + "/ruqi/" + pathAndQuery);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void ok(Answer a) {
    assertEquals("OK", a.stat(), "a RuQi client sees OK: " + a.body());
  }

  /** Refused, and the client can tell: a stat that is not OK, and RuQi's x-reason saying why. */
  static void refused(Answer a, String stat) {
    assertEquals(stat, a.stat(), "a RuQi client reads the stat of a refusal: " + a.body());
    assertNotNull(a.reason(), "and RuQi's x-reason header");
  }

  static JsonObject job(String id, String trigger, String rule) {
    return new JsonObject().put("job_id", id).put("job_name", "platform").put("job_trigger", trigger)
        .put("rule", rule).put("cmd", "echo " + id);
  }

  static JsonObject id(String id) {
    return new JsonObject().put("job_id", id);
  }

  @Test
  void every_operation_answers_200_with_a_stat_a_ruqi_client_can_read_for_good_and_bad_input() {
    // adding, under both names
    ok(post("job_add", job("a", "interval", "10s")));
    refused(post("job_add", job("a", "interval", "20s")), "ERR");                 // the job_id is taken
    refused(post("job_add", job("x", "cron", "70 * * * * *")), "ERR");            // a rule out of range
    refused(post("job_add", job("x", "interval", "10s").put("cmd", "a.sh && b")), "ERR");
    refused(post("job_add", new JsonObject().put("job_id", "x")), "ERR_BAD_PARAMS");
    refused(post("job_add", "{\"job_id\":"), "ERR_BAD_PARAMS");                  // not JSON
    ok(get("add_job", job("b", "cron", "0 20 2 * * *")));
    refused(get("add_job", job("x", "weekly", "10s")), "ERR");
    ok(post("job_add_by_line", new JsonObject().put("job_id", "line").put("line", "5m echo line")));
    refused(post("job_add_by_line", new JsonObject().put("line", "10s")), "ERR");

    // reading
    ok(get("job_list", new JsonObject()));
    refused(get("job_list", new JsonObject().put("page_index", "abc")), "ERR_BAD_PARAMS");
    ok(get("get_jobs", new JsonObject().put("page_index", 1).put("page_size", 15)));
    refused(get("get_jobs", new JsonObject().put("page_size", "many")), "ERR_BAD_PARAMS");
    ok(get("job_show", id("a")));
    refused(get("job_show", id("ghost")), "ERR");
    ok(get("get_job", id("b")));
    refused(get("get_job", new JsonObject()), "ERR_BAD_PARAMS");
    ok(post("job_next_times", new JsonObject().put("job_trigger", "cron").put("rule", "0 0 9 * * mon-fri")));
    refused(post("job_next_times", new JsonObject().put("job_trigger", "cron").put("rule", "* * *")), "ERR");

    // changing
    ok(post("job_modify", id("a").put("cmd", "echo changed")));
    refused(post("job_modify", id("ghost").put("cmd", "echo x")), "ERR");
    refused(post("job_modify", id("a").put("rule", "0s")), "ERR");
    refused(post("job_modify", id("a").put("cmd", "echo again").put("version", 0)), "ERR_CONFLICT");
    ok(post("modify_job", job("b", "cron", "0 0 3 * * *")));
    refused(post("modify_job", job("ghost", "cron", "0 0 3 * * *")), "ERR");
    ok(post("job_pause", id("a")));
    refused(post("job_pause", id("ghost")), "ERR");
    ok(get("pause_job", id("b")));
    refused(get("pause_job", id("ghost")), "ERR");
    ok(post("job_resume", id("a")));
    refused(post("job_resume", id("ghost")), "ERR");
    ok(get("resume_job", id("b")));
    refused(post("resume_job", new JsonObject().put("job_id", 5)), "ERR_BAD_PARAMS");
    ok(post("job_run", id("a")));
    refused(post("job_run", id("ghost")), "ERR");

    // history, audit, transfer
    ok(get("history_stats", new JsonObject().put("window", "24h")));
    refused(get("history_stats", new JsonObject().put("window", "7d")), "ERR_BAD_PARAMS");
    refused(get("fire_output", new JsonObject().put("fire_id", "ghost@1")), "ERR");
    refused(get("fire_output", new JsonObject().put("fire_id", "no-time")), "ERR_BAD_PARAMS");
    ok(get("job_history_list", id("a")));
    refused(get("job_history_list", new JsonObject().put("page_index", "x")), "ERR_BAD_PARAMS");
    ok(get("get_history", new JsonObject().put("is_success", "yes")));
    refused(get("get_history", new JsonObject().put("page_size", "x")), "ERR_BAD_PARAMS");
    ok(post("job_history_clear", new JsonObject().put("days", 30)));
    refused(post("job_history_clear", new JsonObject().put("days", "many")), "ERR_BAD_PARAMS");
    ok(get("audit_list", new JsonObject()));
    refused(get("audit_list", new JsonObject().put("page_index", "x")), "ERR_BAD_PARAMS");
    ok(get("job_export", new JsonObject()));
    refused(get("job_export", new JsonObject().put("page_index", "x")), "ERR_BAD_PARAMS");
    ok(post("job_import", new JsonObject().put("jobs", new JsonArray().add(job("imported", "interval", "1h")))));
    refused(post("job_import", new JsonObject().put("jobs", new JsonArray().add(job("y", "cron", "* * *")))), "ERR");
    refused(post("job_import", new JsonObject().put("jobs", "all")), "ERR_BAD_PARAMS");

    // the scheduler
    ok(get("scheduler_status", new JsonObject()));
    refused(post("scheduler_status", "[1]"), "ERR_BAD_PARAMS");
    ok(get("status", new JsonObject()));
    refused(post("status", "not json"), "ERR_BAD_PARAMS");
    ok(get("scheduler_wakeup", new JsonObject()));
    refused(post("scheduler_wakeup", "[1]"), "ERR_BAD_PARAMS");
    ok(get("wakeup", new JsonObject()));
    refused(post("wakeup", "[1]"), "ERR_BAD_PARAMS");

    ok(post("scheduler_pause", new JsonObject()));
    refused(post("scheduler_pause", "[1]"), "ERR_BAD_PARAMS");
    refused(post("job_run", id("a")), "ERR");                                     // nothing fires while paused
    ok(get("scheduler_resume", new JsonObject()));
    refused(post("scheduler_resume", "[1]"), "ERR_BAD_PARAMS");

    // calendars: set, read, refused while a job names it, removed
    JsonObject holidays = new JsonObject().put("calendar", "holidays").put("days", new JsonArray().add("2026-12-25"));
    ok(post("calendar_set", holidays));
    refused(post("calendar_set", holidays.copy().put("days", new JsonArray().add("2026-13-01"))), "ERR");
    ok(get("calendar_get", new JsonObject().put("calendar", "holidays")));
    refused(get("calendar_get", new JsonObject().put("calendar", "nope")), "ERR");
    ok(get("calendar_list", new JsonObject()));
    ok(post("job_modify", id("a").put("calendar", "holidays")));
    refused(post("calendar_delete", new JsonObject().put("calendar", "holidays")), "ERR");
    ok(post("job_modify", id("a").putNull("calendar")));
    ok(post("calendar_delete", new JsonObject().put("calendar", "holidays")));

    // removing, under both names
    ok(post("job_remove", id("a")));
    refused(post("job_remove", id("a")), "ERR");
    ok(get("remove_job", id("b")));
    refused(get("remove_job", id("b")), "ERR");

    List<String> every = new ArrayList<>();
    for (ApiOp op : ApiOp.values()) {
      every.addAll(op.names());
    }
    assertEquals(new TreeSet<>(every), called, "every operation under every name is tried");
  }

  @Test
  void what_proxies_and_balancers_act_on_keeps_its_status() {
    // a body too large is not read, and the connection is closed: 413 as nginx answers it
    String big = "{\"cmd\":\"" + "x".repeat(70_000) + "\"}";
    assertEquals(413, node.http.send("POST", "/ruqi/job_add", big, "application/json").status());
    // a path that is no operation is no RuQi route
    assertEquals(404, node.http.get("/ruqi/no_such_op").status());
    // a web page of another origin is refused outright, not answered
    assertEquals(403, node.http.send("POST", "/ruqi/job_list", "{}", "application/json",
        java.util.Map.of("Origin", "http://evil.example")).status());
  }

  @Test
  void api_http_status_rest_gives_new_clients_the_rest_codes() {
    node.close();
    node = TestNode.start(NOW, store().put("timezone", "UTC")
        .put("api", new JsonObject().put("http_status", "rest")));
    assertEquals(200, node.http.post("/ruqi/job_add", job("a", "interval", "10s")).status());
    assertEquals(409, node.http.post("/ruqi/job_add", job("a", "interval", "10s")).status());
    assertEquals(404, node.http.post("/ruqi/job_show", id("ghost")).status());
    assertEquals(400, node.http.post("/ruqi/job_add", job("x", "cron", "70 * * * * *")).status());
    assertNotEquals(200, node.http.send("POST", "/ruqi/job_add", "<x/>", "text/xml").status());
  }
}
