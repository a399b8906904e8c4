package io.ruqi.auth;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

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
    assertEquals("OK", add("a", "bash scripts/x.sh").stat());
    assertEquals("OK", add("b", "/usr/bin/env true").stat());
    assertEquals("OK", add("c", "http://127.0.0.1:9/x").stat());
    assertEquals("OK", add("d", "https://api.example.com:8443/hook").stat());
    assertEquals("OK", add("e", "eventbus:anything").stat(), "the event bus is the trusted cluster");
    String[] denied = {"python3 x.py", "/tmp/bash x", "../usr/bin/env x", "http://10.0.0.1/x",
        "https://api.example.com/hook", "http://evil.com/x"};
    for (String cmd : denied) {
      Reply r = add("x", cmd);
      assertEquals(400, r.status(), cmd);
      assertEquals("ERR", r.stat());
      assertTrue(r.json().getString("msg").contains("denied by policy"), r.json().getString("msg"));
    }
    Reply modify = node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "a").put("cmd", "python3 y"));
    assertEquals(400, modify.status());
    assertEquals("bash scripts/x.sh", node.http.get("/ruqi/job_show?job_id=a").json().getJsonObject("data")
        .getString("cmd"));
    assertEquals(5, node.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));
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
