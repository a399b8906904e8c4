package io.ruqi.events;

import io.ruqi.testing.TestPorts;
import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HA pair's case: a process runs on node B and its lines are watched through node A's {@code /ruqi/output},
 * two clustered nodes on one MariaDB database; then A's stream ends with the output the history kept.
 */
class LiveOutputAcrossThePairTest {
  static final String SECRET = "live-output-pair-secret";
  TestNode a;
  TestNode b;

  @AfterEach
  void stop() {
    for (TestNode n : new TestNode[] {b, a}) {
      if (n != null) {
        n.close();
      }
    }
  }

  @Test
  void lines_printed_on_one_node_are_watched_through_the_other() throws Exception {
    int portA = freePort();
    int portB = freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + portA).add("127.0.0.1:" + portB);
    String store = MySqlStores.freshUrl("pair_output");
    a = TestNode.startRealTime(conf("node-a", portA, members, store));
    b = TestNode.startRealTime(conf("node-b", portB, members, store));
    TestNode.eventually(30, "the two nodes form one cluster", () -> a.vertx.isClustered()
        && ((io.vertx.core.internal.VertxInternal) a.vertx).clusterManager().getNodes().size() == 2);

    ok(b.http.post("/ruqi/job_add", new JsonObject().put("job_id", "chatty").put("job_name", "pair")
        .put("job_trigger", "interval").put("rule", "1h")
        .put("cmd", "bash -c 'for i in $(seq 1 20); do echo line $i; sleep 0.2; done'")));
    String fireId = ok(b.http.post("/ruqi/job_run", new JsonObject().put("job_id", "chatty"))).getString("fire_id");

    List<String> received = new CopyOnWriteArrayList<>();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.node.port()
        + "/ruqi/output?fire_id=" + URLEncoder.encode(fireId, StandardCharsets.UTF_8))).build();
    HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    Thread reader = new Thread(() -> response.body().forEach(received::add), "sse-reader");
    reader.setDaemon(true);
    reader.start();

    TestNode.eventually(20, "node B's lines reach node A's stream",
        () -> received.stream().filter(l -> l.startsWith("data: ")).count() >= 3);
    JsonObject during = ok(a.http.get("/ruqi/fire_output?fire_id=" + URLEncoder.encode(fireId,
        StandardCharsets.UTF_8)));
    assertTrue(during.getBoolean("running"), "seen while the process runs: " + during.encode());
    JsonObject first = new JsonObject(received.stream().filter(l -> l.startsWith("data: ")).findFirst()
        .orElseThrow().substring(6));
    assertEquals("node-b", first.getString("node"), "run by node B");
    assertEquals("line 1", first.getString("line"), "from its first line, though A asked after it started");

    TestNode.eventually(30, "the stream ends with the stored output", () -> received.contains("event: stored"));
    String stored = received.get(received.indexOf("event: stored") + 1);
    JsonObject runs = new JsonObject(stored.substring(6));
    assertEquals("success", runs.getJsonArray("runs").getJsonObject(0).getString("status"));
    assertTrue(runs.getJsonArray("runs").getJsonObject(0).getString("cmd_output").endsWith("line 20"));
  }

  static JsonObject conf(String name, int port, JsonArray members, String storeUrl) {
    return new JsonObject()
        .put("node", new JsonObject().put("name", name))
        .put("store", new JsonObject().put("url", storeUrl))
        .put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", port)
            .put("members", members).put("secret", SECRET));
  }

  static JsonObject ok(io.ruqi.testing.HttpTestClient.Reply reply) {
    JsonObject body = reply.json();
    assertEquals("OK", body.getString("stat"), body.encode());
    return body.getJsonObject("data");
  }

  static int freePort() throws IOException {
    return TestPorts.free();
  }
}
