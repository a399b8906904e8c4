package io.ruqi.it;

import io.ruqi.testing.HttpSink;
import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job chains across the HA pair, as separate processes of the packaged jar on a private MariaDB, through a node's
 * {@code kill -9}: the chained fire runs exactly once, or is recorded, counted by fire id at a real HTTP sink (each
 * request's {@code X-Ruqi-Fire-Id} and {@code X-Ruqi-Parent-Fire-Id}) and in the history.
 */
class ChainIT {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String CLUSTER_SECRET = "chain-it-" + Long.toHexString(System.nanoTime());
  private static MariaDbServer db;

  private final List<HaNode> nodes = new ArrayList<>();
  private HttpSink sink;
  private Path dir;
  private String storeUrl;

  @BeforeAll
  static void startMariaDb() {
    db = MariaDbServer.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void setUp(TestInfo info) throws IOException {
    String test = info.getTestMethod().orElseThrow().getName();
    dir = Files.createDirectories(Path.of("target", "chain-it", test,
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())).toAbsolutePath());
    storeUrl = db.createDatabase("ruqi_chain_" + DATABASES.incrementAndGet());
    sink = new HttpSink();
  }

  @AfterEach
  void tearDown() {
    for (HaNode n : nodes) {
      try {
        n.close();
      } catch (Exception e) {
        System.err.println("closing " + n.name + ": " + e);
      }
    }
    sink.close();
  }

  @Test
  @Timeout(120)
  void a_parent_killed_with_its_node_starts_its_on_failure_once_on_the_peer() throws Exception {
    int[] cluster = RuqiProcess.freePorts(2);
    HaNode a = node("node-a", cluster, 0);
    HaNode b = node("node-b", cluster, 1);
    a.start();
    a.ok("job_add", job("cleanup", sink.url("/cleanup")));
    a.ok("job_add", job("report", sink.url("/report")));
    a.ok("job_add", job("etl", "sleep 45").put("on_failure", new JsonArray().add("cleanup"))
        .put("on_success", new JsonArray().add("report")));
    String parent = a.ok("job_run", new JsonObject().put("job_id", "etl")).getJsonObject("data").getString("fire_id");
    TestNode.eventually(15, "node-a runs the parent", () -> a.status().getInteger("in_flight") == 1);
    b.start();
    a.kill9();

    TestNode.eventually(30, "node-b records the parent interrupted and starts cleanup",
        () -> sink.requests.stream().anyMatch(r -> r.path().equals("/cleanup")));
    JsonObject etl = onlyRow(b, "etl");
    assertEquals("interrupted", etl.getString("status"), etl.encode());
    assertEquals("node-b", etl.getString("scheduler_name"));
    JsonObject cleanup = onlyRow(b, "cleanup");
    assertEquals(parent, cleanup.getString("parent_fire_id"));
    assertEquals("success", cleanup.getString("status"));
    assertEquals("node-b", cleanup.getString("scheduler_name"));
    Thread.sleep(3000);
    List<HttpSink.Request> runs = sink.requests.stream().filter(r -> r.path().equals("/cleanup")).toList();
    assertEquals(1, runs.size(), "started once: " + runs);
    assertEquals(parent, runs.get(0).headers().getString("x-ruqi-parent-fire-id"));
    assertTrue(sink.requests.stream().noneMatch(r -> r.path().equals("/report")), "an interrupted run is no success");
    assertEquals(1, b.ok("job_history_list", new JsonObject().put("job_id", "cleanup")).getJsonObject("data")
        .getJsonArray("list").size());
  }

  @Test
  @Timeout(120)
  void a_child_whose_node_is_killed_as_it_runs_is_run_again_once_by_the_peer_at_least_once() throws Exception {
    int[] cluster = RuqiProcess.freePorts(2);
    HaNode a = node("node-a", cluster, 0);
    HaNode b = node("node-b", cluster, 1);
    a.start();
    b.start();
    Path marks = dir.resolve("child-runs.txt");
    // the child appends its fire, its parent and its attempt, then runs long enough to be killed with its node
    Path script = Files.writeString(dir.resolve("child.sh"), "echo \"$RUQI_FIRE_ID $RUQI_PARENT_FIRE_ID"
        + " $RUQI_ATTEMPT\" >> " + marks + "\nsleep 8\n");
    a.ok("job_add", job("child", "bash " + script).put("delivery", "at_least_once"));
    a.ok("job_add", job("parent", "true").put("on_success", new JsonArray().add("child")));
    // the parent runs where job_run is asked: node-a, which then claims the child for itself
    String parent = a.ok("job_run", new JsonObject().put("job_id", "parent")).getJsonObject("data")
        .getString("fire_id");
    TestNode.eventually(20, "node-a runs the child", () -> lines(marks).size() == 1);
    a.kill9();

    TestNode.eventually(40, "node-b runs the child again and records it", () -> lines(marks).size() == 2
        && b.ok("job_history_list", new JsonObject().put("job_id", "child")).getJsonObject("data")
        .getJsonArray("list").stream().anyMatch(o -> "success".equals(((JsonObject) o).getString("status"))));
    List<String> runs = lines(marks);
    String[] first = runs.get(0).split(" ");
    String[] second = runs.get(1).split(" ");
    assertEquals(first[0], second[0], "the same fire, run again: " + runs);
    assertEquals(parent, first[1]);
    assertEquals(parent, second[1], "still naming its parent: " + runs);
    JsonArray rows = b.ok("job_history_list", new JsonObject().put("job_id", "child")).getJsonObject("data")
        .getJsonArray("list");
    assertEquals(2, rows.size(), "interrupted, then success: " + rows.encode());
    for (Object o : rows) {
      assertEquals(parent, ((JsonObject) o).getString("parent_fire_id"), rows.encode());
    }
    Thread.sleep(2000);
    assertEquals(2, lines(marks).size(), "run twice in all (at least once), never a third time");
    assertEquals(1, b.ok("job_history_list", new JsonObject().put("job_id", "parent")).getJsonObject("data")
        .getJsonArray("list").size(), "the parent ran once");
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonObject onlyRow(HaNode via, String jobId) {
    TestNode.eventually(20, "a row for " + jobId, () -> !via.ok("job_history_list", new JsonObject()
        .put("job_id", jobId)).getJsonObject("data").getJsonArray("list").isEmpty());
    JsonArray rows = via.ok("job_history_list", new JsonObject().put("job_id", jobId)).getJsonObject("data")
        .getJsonArray("list");
    assertEquals(1, rows.size(), rows.encode());
    return rows.getJsonObject(0);
  }

  private static JsonObject job(String id, String cmd) {
    return new JsonObject().put("job_id", id).put("job_name", "chain").put("job_trigger", "date")
        .put("rule", "2036-01-01 00:00:00").put("cmd", cmd).put("misfire_grace_time", 30);
  }

  private HaNode node(String name, int[] cluster, int index) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()));
    env.put("RUQI_STORE_URL", storeUrl);
    env.put("RUQI_STORE_POOL_SIZE", "8");
    env.put("RUQI_NODE_NAME", name);
    env.put("RUQI_TIMEZONE", "UTC");
    env.put("RUQI_SCHEDULER_LEASE", "3");
    env.put("RUQI_CLUSTER_ENABLED", "true");
    env.put("RUQI_CLUSTER_HOST", "127.0.0.1");
    env.put("RUQI_CLUSTER_PORT", Integer.toString(cluster[index]));
    env.put("RUQI_CLUSTER_MEMBERS", "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1]);
    env.put("RUQI_CLUSTER_SECRET", CLUSTER_SECRET);
    HaNode node = new HaNode(name, dir, env);
    nodes.add(node);
    return node;
  }
}
