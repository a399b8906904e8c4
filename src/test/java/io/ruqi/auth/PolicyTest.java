package io.ruqi.auth;

import ch.qos.logback.classic.Level;
import io.ruqi.alert.AlertNotifier;
import io.ruqi.testing.HttpSink;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.LogCapture;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command allowlists: refused at add and modify, and again at run time. */
class PolicyTest {
  TestNode node;

  @BeforeEach
  void start() {
    JsonObject policy = new JsonObject()
        .put("programs", new JsonArray().add("bash").add("true").add("/usr/bin/*"))
        .put("http_hosts", new JsonArray().add("127.0.0.1").add("*.example.com:8443"));
    // 127.0.0.2 is another loopback address: a host this policy refuses that tests can still listen on
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject().put("timezone", "UTC")
        .put("policy", policy));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  Reply add(String id, String cmd) {
    return node.http.post("/ruqi/job_add", new JsonObject().put("job_id", id).put("job_name", "p")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", cmd));
  }

  @Test
  void allowed_commands_are_stored_and_others_refused_with_a_reason() {
    assertEquals("OK", add("a", "bash -c true").stat());
    assertEquals("OK", add("b", "/usr/bin/env true").stat());
    assertEquals("OK", add("c", "http://127.0.0.1:9/x").stat());
    assertEquals("OK", add("d", "https://api.example.com:8443/hook").stat());
    assertEquals("OK", add("e", "eventbus:anything").stat(), "the event bus is the trusted cluster");
    String[] denied = {"python3 x.py", "/tmp/bash x", "../usr/bin/env x", "http://10.0.0.1/x",
        "https://api.example.com/hook", "http://evil.com/x", "https://a.b.example.com:8443/hook",
        "http://127.0.0.1.attacker.example/x"};
    for (String cmd : denied) {
      Reply r = add("x", cmd);
      assertEquals("ERR", r.stat());
      assertTrue(r.json().getString("msg").contains("denied by policy"), r.json().getString("msg"));
    }
    Reply modify = node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "a").put("cmd", "python3 y"));
    assertEquals("ERR", modify.stat());
    assertEquals("bash -c true", node.http.get("/ruqi/job_show?job_id=a").json().getJsonObject("data")
        .getString("cmd"));
    assertEquals(5, node.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));
  }

  static String redirectTo(HttpSink redirector, String url) {
    return redirector.url("/redirect/303?to=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
  }

  @Test
  void an_http_command_is_not_sent_on_by_a_redirect_to_a_host_the_policy_refuses() {
    try (HttpSink redirector = new HttpSink(); HttpSink elsewhere = new HttpSink("127.0.0.2")) {
      assertEquals("OK", add("hop", redirectTo(redirector, elsewhere.url("/hook"))).stat());
      node.advance(Duration.ofSeconds(10));
      eventually(20, "a row", () -> node.history("hop").size() == 1);
      JsonObject row = node.history("hop").getJsonObject(0);
      assertEquals("failed", row.getString("status"), row.encode());
      assertTrue(row.getString("cmd_output").contains("not followed: denied by policy: host '127.0.0.2'"),
          row.getString("cmd_output"));
      assertEquals(1, redirector.requests.size());
      assertEquals(List.of(), elsewhere.requests, "the refused host was called");
    }
  }

  @Test
  void an_alert_url_the_policy_refuses_is_refused_at_add_and_modify() {
    Reply r = node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "al").put("job_name", "p")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", "true")
        .put("alert_url", "http://127.0.0.2:9/alert"));
    assertEquals("ERR", r.stat());
    assertTrue(r.json().getString("msg").startsWith("alert_url: denied by policy"), r.json().getString("msg"));
    assertEquals(0, node.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));

    assertEquals("OK", add("al", "true").stat());
    Reply modify = node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "al")
        .put("alert_url", "https://a.b.example.com:8443/alert"));
    assertEquals("ERR", modify.stat(), modify.text());
    assertEquals(null, node.http.get("/ruqi/job_show?job_id=al").json().getJsonObject("data")
        .getJsonObject("options").getString("alert_url"));
  }

  @Test
  void an_alert_goes_only_to_hosts_the_policy_allows_when_it_is_sent() {
    try (LogCapture log = new LogCapture(AlertNotifier.class); HttpSink redirector = new HttpSink();
         HttpSink elsewhere = new HttpSink("127.0.0.2")) {
      addFailing("redirected", redirectTo(redirector, elsewhere.url("/redirected")));
      addFailing("tightened", redirector.url("/tightened"));
      addFailing("control", redirector.url("/control"));
      // as if the policy had been tightened after the alert_url was stored
      TestNode.await(node.node.stores().pool().preparedQuery("UPDATE ruqi_jobs SET job_state = ? WHERE id = ?")
          .execute(Tuple.of(new JsonObject().put("alert_url", elsewhere.url("/tightened")).encode(), "tightened")));
      node.advance(Duration.ofSeconds(10));
      eventually(20, "the redirect and the control alert", () -> redirector.requests.stream()
          .map(HttpSink.Request::path).toList().containsAll(List.of("/redirect/303", "/control")));
      // a refused alert is given up at once, and logged: after both lines, nothing more is sent
      eventually(20, "both refused alerts are given up", () -> givenUp(log).containsAll(List.of("redirected",
          "tightened")));
      assertEquals(List.of(), elsewhere.requests, "an alert reached a host the policy refuses");
    }
  }

  /** The jobs whose alert the notifier logged as failed. */
  static List<String> givenUp(LogCapture log) {
    return log.messages(Level.WARN).stream().filter(m -> m.startsWith("alert for job "))
        .map(m -> m.substring("alert for job ".length()).split(" ")[0]).toList();
  }

  void addFailing(String id, String alertUrl) {
    Reply r = node.http.post("/ruqi/job_add", new JsonObject().put("job_id", id).put("job_name", "p")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", "bash -c 'exit 3'").put("alert_url", alertUrl));
    assertEquals("OK", r.stat(), r.text());
  }

  @Test
  void a_stored_command_the_policy_no_longer_allows_fails_at_run_time() {
    assertEquals("OK", add("old", "true").stat());
    // as if the policy had been tightened after the job was stored
    TestNode.await(node.node.stores().pool().preparedQuery("UPDATE ruqi_jobs SET cmd = ? WHERE id = 'old'")
        .execute(Tuple.of("sh -c 'echo no'")));
    node.advance(Duration.ofSeconds(10));
    eventually(20, "a row", () -> node.history("old").size() == 1);
    JsonObject row = node.history("old").getJsonObject(0);
    assertEquals("failed", row.getString("status"));
    assertTrue(row.getString("cmd_output").contains("denied by policy"), row.getString("cmd_output"));
  }
}
