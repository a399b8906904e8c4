package io.ruqi.worker;

import io.ruqi.testing.TestPorts;
import io.ruqi.testing.HttpTestClient;
import io.ruqi.testing.TestNode;
import io.ruqi.testing.TestWorker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Worker nodes in this JVM: a clustered scheduler node (embedded store) and worker nodes on their own clustered
 * Vert.x, as {@code node.role: worker} builds them. The processes are real; each worker's {@code exec.env} says
 * its name ({@code WHO}), so a run's output says where it really ran. (The packaged jar as separate worker
 * processes, killed with {@code kill -9}, with an HA pair on MariaDB: {@code it/WorkerIT}.)
 */
@Timeout(120)
class WorkerNodesTest {
  static final String SECRET = "worker-nodes-test-" + UUID.randomUUID();
  static final List<Integer> PORTS = new ArrayList<>();
  static TestNode scheduler;
  static TestWorker w1;
  static TestWorker w2;

  @BeforeAll
  static void cluster() throws IOException {
    for (int i = 0; i < 4; i++) {
      PORTS.add(freePort());
    }
    scheduler = TestNode.startRealTime(new JsonObject()
        .put("node", new JsonObject().put("name", "sched"))
        .put("cluster", cluster(0)));
    // w1 allows only sh and sleep, whatever the scheduler allows
    w1 = worker("w1", 1, new JsonArray().add("gpu").add("eu"), new JsonArray().add("sh").add("sleep"));
    w2 = worker("w2", 2, new JsonArray().add("eu"), new JsonArray());
    TestNode.eventually(30, "the scheduler hears both workers", () -> workers().size() == 2);
  }

  @AfterAll
  static void stop() {
    for (TestWorker w : new TestWorker[] {w2, w1}) {
      if (w != null) {
        w.close();
      }
    }
    if (scheduler != null) {
      scheduler.close();
    }
  }

  @Test
  void run_on_runs_the_process_on_a_worker_with_the_label_and_its_row_names_it() {
    add("gpu-job", "sh -c 'echo ran on $WHO'", new JsonObject().put("run_on", "gpu"));
    JsonObject row = runAndWait("gpu-job").get(0);
    assertEquals("success", row.getString("status"), row.encode());
    assertEquals("ran on w1", row.getString("cmd_output"), "only w1 has the label gpu");
    assertEquals("w1", row.getString("worker"));
    assertEquals("sched", row.getString("scheduler_name"), "the scheduler that fired it");
  }

  @Test
  void runs_of_a_label_two_workers_share_are_spread_over_both() {
    add("eu-job", "sh -c 'echo $WHO; sleep 0.5'", new JsonObject().put("run_on", "eu").put("max_instances", 10));
    for (int i = 0; i < 4; i++) {
      ok(scheduler.http.post("/ruqi/job_run", new JsonObject().put("job_id", "eu-job")));
    }
    TestNode.eventually(30, "four runs recorded", () -> scheduler.history("eu-job").size() == 4);
    JsonArray rows = scheduler.history("eu-job");
    long onW1 = rows.stream().filter(r -> "w1".equals(((JsonObject) r).getString("worker"))).count();
    long onW2 = rows.stream().filter(r -> "w2".equals(((JsonObject) r).getString("worker"))).count();
    assertEquals(2, onW1, rows.encodePrettily());
    assertEquals(2, onW2, rows.encodePrettily());
    rows.forEach(r -> assertEquals(((JsonObject) r).getString("worker"), ((JsonObject) r).getString("cmd_output")));
  }

  @Test
  void broadcast_runs_once_on_every_worker_with_the_label_one_row_each() {
    add("everywhere", "sh -c 'echo $WHO'", new JsonObject().put("broadcast", "eu"));
    String fireId = ok(scheduler.http.post("/ruqi/job_run", new JsonObject().put("job_id", "everywhere")))
        .getString("fire_id");
    TestNode.eventually(30, "a row per worker", () -> scheduler.history("everywhere").size() == 2);
    List<JsonObject> rows = new ArrayList<>();
    scheduler.history("everywhere").forEach(r -> rows.add((JsonObject) r));
    assertEquals(List.of("w1", "w2"), rows.stream().map(r -> r.getString("worker")).sorted().toList());
    rows.forEach(r -> {
      assertEquals("success", r.getString("status"));
      assertEquals(r.getString("worker"), r.getString("cmd_output"));
    });
    assertEquals(List.of(1, 2), rows.stream().map(r -> r.getInteger("attempt")).sorted().toList(),
        "one fire: the rows are its places 1 and 2");
    assertEquals(1, rows.stream().map(r -> r.getString("fire_time")).distinct().count());
    JsonObject fire = ok(scheduler.http.get("/ruqi/fire_output?fire_id=" + fireId.replace("@", "%40")));
    assertEquals(false, fire.getBoolean("running"), "the fire is over once both have reported: " + fire.encode());
    assertEquals(List.of("w1", "w2"), fire.getJsonArray("runs").stream()
        .map(r -> ((JsonObject) r).getString("worker")).sorted().toList(), "fire_output names each run's worker");
  }

  @Test
  void the_worker_ends_a_run_past_its_timeout_and_the_row_says_timeout() {
    add("slow", "sh -c 'sleep 30'", new JsonObject().put("run_on", "gpu").put("timeout", 1));
    JsonObject row = runAndWait("slow").get(0);
    assertEquals("timeout", row.getString("status"), row.encode());
    assertEquals("w1", row.getString("worker"));
    assertTrue(row.getString("cmd_output").contains("timed out after 1s"), row.encode());
  }

  @Test
  void a_worker_s_lines_are_watched_live_through_the_scheduler() throws Exception {
    add("chatty", "sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do echo line $i; sleep 0.3; done'",
        new JsonObject().put("run_on", "gpu"));
    String fireId = ok(scheduler.http.post("/ruqi/job_run", new JsonObject().put("job_id", "chatty")))
        .getString("fire_id");
    List<String> received = new CopyOnWriteArrayList<>();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scheduler.node.port()
        + "/ruqi/output?fire_id=" + URLEncoder.encode(fireId, StandardCharsets.UTF_8))).build();
    HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request,
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    Thread reader = new Thread(() -> response.body().forEach(received::add), "sse-reader");
    reader.setDaemon(true);
    reader.start();
    TestNode.eventually(30, "lines from the worker reach the scheduler's stream",
        () -> received.stream().filter(l -> l.startsWith("data: ")).count() >= 3);
    JsonObject first = new JsonObject(received.stream().filter(l -> l.startsWith("data: ")).findFirst()
        .orElseThrow().substring(6));
    assertEquals("w1", first.getString("node"), "printed on the worker");
    assertTrue(first.getString("line").startsWith("line "), first.encode());
    TestNode.eventually(30, "the stream ends with the stored output", () -> received.contains("event: stored"));
  }

  @Test
  void a_chained_child_on_a_worker_is_told_its_parent_s_fire_id() {
    add("child-on-w1", "sh -c 'echo parent=$RUQI_PARENT_FIRE_ID'", new JsonObject().put("run_on", "gpu"));
    add("parent-here", "true", new JsonObject().put("on_success", new JsonArray().add("child-on-w1")));
    String parent = ok(scheduler.http.post("/ruqi/job_run", new JsonObject().put("job_id", "parent-here")))
        .getString("fire_id");
    TestNode.eventually(30, "the child's row", () -> scheduler.history("child-on-w1").size() == 1);
    JsonObject row = scheduler.history("child-on-w1").getJsonObject(0);
    assertEquals("w1", row.getString("worker"), row.encode());
    assertEquals(parent, row.getString("parent_fire_id"));
    assertEquals("parent=" + parent, row.getString("cmd_output"), "the worker's process got the parent's fire id");
  }

  @Test
  void a_broadcast_that_failed_on_one_worker_starts_its_on_failure_whichever_worker_ends_last() {
    add("after-all-ok", "true", new JsonObject());
    add("after-a-failure", "true", new JsonObject());
    // w1 fails at once, w2 succeeds a second later: the last row is a success, the fire is not
    add("split", "sh -c 'if [ $WHO = w2 ]; then sleep 1; exit 0; fi; exit 1'", new JsonObject()
        .put("broadcast", "eu").put("on_success", new JsonArray().add("after-all-ok"))
        .put("on_failure", new JsonArray().add("after-a-failure")));
    ok(scheduler.http.post("/ruqi/job_run", new JsonObject().put("job_id", "split")));
    TestNode.eventually(30, "the fire's chain", () -> scheduler.history("after-a-failure").size()
        + scheduler.history("after-all-ok").size() == 1);
    assertEquals(1, scheduler.history("after-a-failure").size(), scheduler.history("split").encodePrettily());
    assertEquals(0, scheduler.history("after-all-ok").size());
  }

  @Test
  void no_live_worker_with_the_label_fails_the_fire_saying_so() {
    add("nobody", "sh -c 'echo hi'", new JsonObject().put("run_on", "nosuchlabel"));
    JsonObject row = runAndWait("nobody").get(0);
    assertEquals("failed", row.getString("status"));
    assertEquals("not run: no live worker with label 'nosuchlabel'", row.getString("cmd_output"));
    assertNull(row.getString("worker"));
  }

  @Test
  void a_worker_refuses_a_command_its_own_policy_refuses() {
    add("not-on-w1", "echo allowed by the scheduler", new JsonObject().put("run_on", "gpu"));
    JsonObject row = runAndWait("not-on-w1").get(0);
    assertEquals("failed", row.getString("status"));
    assertTrue(row.getString("cmd_output").startsWith("not run: worker w1 refused it: denied by policy"),
        row.getString("cmd_output"));
  }

  @Test
  void a_worker_without_the_cluster_secret_is_never_heard_and_never_sent_a_run() throws IOException {
    JsonObject rogueCluster = cluster(1).put("port", freePort()).put("secret", "not-the-secret-" + UUID.randomUUID());
    try (TestWorker rogue = TestWorker.start("rogue", new JsonArray().add("gpu"), new JsonArray(), rogueCluster)) {
      TestNode.sleep(3 * WorkerBus.HEARTBEAT_EVERY_MS);
      assertEquals(List.of("w1", "w2"), workers().stream().map(w -> ((JsonObject) w).getString("worker")).toList(),
          "only the holders of the secret are heard");
      add("gpu-only", "sh -c 'echo $WHO'", new JsonObject().put("run_on", "gpu"));
      assertEquals("w1", runAndWait("gpu-only").get(0).getString("cmd_output"));
      assertTrue(rogue.vertx().isClustered(), "the rogue runs, in a cluster of its own");
    }
  }

  @Test
  void a_worker_takes_at_most_twice_its_process_concurrency_and_refuses_the_rest() throws IOException {
    add("crowd", "sh -c 'sleep 20'", new JsonObject().put("run_on", "tiny").put("max_instances", 10));
    JsonObject one = new JsonObject().put("exec", new JsonObject().put("process_concurrency", 1)
        .put("env", new JsonObject().put("WHO", "w4")));
    try (TestWorker w4 = TestWorker.start("w4", new JsonArray().add("tiny"), new JsonArray(), cluster(1)
        .put("port", freePort()), one)) {
      TestNode.eventually(30, "the scheduler hears w4", () -> workers().size() == 3);
      for (int i = 0; i < 3; i++) {
        ok(scheduler.http.post("/ruqi/job_run", new JsonObject().put("job_id", "crowd")));
      }
      TestNode.eventually(30, "the third is refused", () -> scheduler.history("crowd").size() == 1);
      JsonObject refused = scheduler.history("crowd").getJsonObject(0);
      assertEquals("failed", refused.getString("status"));
      assertEquals("not run: worker w4 refused it: worker w4 is full (2 runs, exec.process_concurrency 1)",
          refused.getString("cmd_output"));
      TestNode.eventually(10, "w4 says it runs one, the other waits",
          () -> workers().stream().anyMatch(w -> ((JsonObject) w).getString("worker").equals("w4")
              && ((JsonObject) w).getInteger("capacity") == 1 && ((JsonObject) w).getInteger("running") == 2));
    }
    TestNode.eventually(30, "the two taken are cut off by w4's stop", () -> scheduler.history("crowd").size() == 3);
  }

  /** A cluster peer's malformed or hostile orders, straight on the bus: refused, at once, with the reason. */
  @Test
  void a_worker_refuses_orders_it_must_not_take() {
    JsonObject good = new RunOrder("r1", new io.ruqi.exec.FireContext("j", "n", java.time.Instant.now(), "j@1", 1,
        java.time.Duration.ofSeconds(5)), "sh -c 'echo hi'", WorkerBus.resultAddress("sched"), "sched").toJson();
    assertEquals("reply_to is not a results address", refusal(good.copy().put("reply_to", "ruqi.job_add")),
        "a report cannot be aimed at the API");
    assertEquals("a worker runs process commands only", refusal(good.copy().put("cmd", "http://127.0.0.1:1/x")));
    assertEquals("a worker runs process commands only", refusal(good.copy().put("cmd", "eventbus:ruqi.job_remove#{}")));
    assertTrue(refusal(good.copy().put("cmd", "python3 -c 1")).startsWith("denied by policy"), "w1's own policy");
    assertEquals("timeout_ms and attempt must be positive", refusal(good.copy().put("timeout_ms", 0)));
    assertTrue(refusal(good.copy().put("cmd", "x".repeat(20_000))).startsWith("cmd longer than"));
    JsonObject noFire = good.copy();
    noFire.remove("fire_id");
    assertEquals("fire_id is missing", refusal(noFire));
    JsonObject reply = TestNode.await(scheduler.vertx.eventBus().<Object>request(WorkerBus.runAddress("w1"),
        "not json")).body() instanceof JsonObject j ? j : null;
    assertEquals(false, reply.getBoolean("accepted"), "a body that is not an order");
  }

  static String refusal(JsonObject order) {
    JsonObject reply = TestNode.await(scheduler.vertx.eventBus().<JsonObject>request(WorkerBus.runAddress("w1"),
        order)).body();
    assertEquals(false, reply.getBoolean("accepted"), reply.encode());
    return reply.getString("reason");
  }

  @Test
  void job_add_refuses_a_placement_it_cannot_keep() {
    JsonObject base = new JsonObject().put("job_name", "bad").put("job_trigger", "interval").put("rule", "1h");
    HttpTestClient.Reply http = scheduler.http.post("/ruqi/job_add", base.copy().put("job_id", "b1")
        .put("cmd", "http://127.0.0.1:1/x").put("run_on", "gpu"));
    assertEquals("ERR", http.stat());
    assertTrue(http.json().getString("msg").contains("process commands only"), http.text());
    HttpTestClient.Reply label = scheduler.http.post("/ruqi/job_add", base.copy().put("job_id", "b2")
        .put("cmd", "true").put("run_on", "a b/c"));
    assertEquals("ERR", label.stat());
    assertTrue(label.json().getString("msg").contains("must be a worker label"), label.text());
    HttpTestClient.Reply both = scheduler.http.post("/ruqi/job_add", base.copy().put("job_id", "b3")
        .put("cmd", "true").put("run_on", "gpu").put("broadcast", "eu"));
    assertEquals("ERR", both.stat());
    assertTrue(both.json().getString("msg").contains("exclude each other"), both.text());
    for (String id : List.of("b1", "b2", "b3")) {
      assertEquals("ERR", scheduler.http.get("/ruqi/job_show?job_id=" + id).stat(), "nothing was added");
    }
  }

  @Test
  void scheduler_status_lists_the_workers_with_labels_and_load() {
    JsonArray workers = workers();
    JsonObject first = workers.getJsonObject(0);
    assertEquals("w1", first.getString("worker"));
    assertEquals(new JsonArray().add("gpu").add("eu"), first.getJsonArray("labels"));
    assertEquals(16, first.getInteger("capacity"), "exec.process_concurrency's default");
    assertTrue(first.getLong("last_seen_ms") < 5_000);
  }

  @Test
  void a_worker_that_joins_late_gets_fires_and_one_that_stops_mid_run_leaves_it_interrupted() throws IOException {
    add("late-job", "sh -c 'echo $WHO; sleep 30'", new JsonObject().put("run_on", "late"));
    assertEquals("failed", runAndWait("late-job").get(0).getString("status"), "no worker with the label yet");
    TestWorker w3 = worker("w3", 3, new JsonArray().add("late"), new JsonArray());
    try {
      TestNode.eventually(30, "the scheduler hears w3", () -> workers().size() == 3);
      ok(scheduler.http.post("/ruqi/job_run", new JsonObject().put("job_id", "late-job")));
      TestNode.eventually(30, "w3 runs it", () -> workers().stream()
          .anyMatch(w -> ((JsonObject) w).getString("worker").equals("w3") && ((JsonObject) w).getInteger("running") == 1));
    } finally {
      w3.close(); // scheduler.shutdown_grace 0: the run is cut off
    }
    TestNode.eventually(30, "the cut-off run is recorded", () -> scheduler.history("late-job").size() == 2);
    JsonObject row = scheduler.history("late-job").getJsonObject(0);
    assertEquals("interrupted", row.getString("status"), row.encode());
    assertEquals("w3", row.getString("worker"));
    assertEquals("worker w3 stopped while it ran this", row.getString("cmd_output"));
  }

  // ---------------------------------------------------------------------------------------------------------------

  static TestWorker worker(String name, int port, JsonArray labels, JsonArray programs) {
    return TestWorker.start(name, labels, programs, cluster(port));
  }

  static JsonObject cluster(int index) {
    JsonArray members = new JsonArray();
    PORTS.forEach(p -> members.add("127.0.0.1:" + p));
    return new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", PORTS.get(index))
        .put("members", members).put("secret", SECRET);
  }

  static JsonArray workers() {
    return ok(scheduler.http.get("/ruqi/scheduler_status")).getJsonArray("workers");
  }

  static void add(String id, String cmd, JsonObject options) {
    ok(scheduler.http.post("/ruqi/job_add", options.copy().put("job_id", id).put("job_name", "workers")
        .put("job_trigger", "interval").put("rule", "1h").put("cmd", cmd)));
  }

  /** Fires the job by hand and waits for its rows (of that fire and those before), newest first. */
  static List<JsonObject> runAndWait(String id) {
    return runAndWait(id, 1);
  }

  static List<JsonObject> runAndWait(String id, int rows) {
    int before = scheduler.history(id).size();
    ok(scheduler.http.post("/ruqi/job_run", new JsonObject().put("job_id", id)));
    TestNode.eventually(30, rows + " row(s) of " + id, () -> scheduler.history(id).size() == before + rows);
    List<JsonObject> out = new ArrayList<>();
    scheduler.history(id).forEach(r -> out.add((JsonObject) r));
    return out.subList(0, rows);
  }

  static JsonObject ok(HttpTestClient.Reply reply) {
    JsonObject body = reply.json();
    assertEquals("OK", body.getString("stat"), body.encode());
    return body.getJsonObject("data");
  }

  static int freePort() throws IOException {
    return TestPorts.free();
  }
}
