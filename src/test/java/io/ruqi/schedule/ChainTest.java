package io.ruqi.schedule;

import io.ruqi.testing.HttpSink;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job chains (issue #14): a fire's end starts the jobs of its on_success or on_failure, after its retries, each
 * told its parent's fire id (a real process's environment, a real HTTP sink's headers) and recorded with a history
 * row that names the parent; a chain that closes a cycle, or names a job that is not there, is refused and changes
 * nothing; a child that cannot be claimed is recorded skipped, naming its parent. Parents are started with job_run;
 * children have a schedule of their own far ahead, so that only the chain starts them.
 */
class ChainTest {
  static final Instant T0 = Instant.parse("2026-11-21T04:00:00Z");
  /** A schedule that never comes within a test. */
  static final String FAR = "2036-01-01 00:00:00";

  @TempDir
  Path dir;
  TestNode node;
  HttpSink sink;

  /** The store the node uses: the embedded one here; MySqlChainTest runs the same tests on MariaDB. */
  JsonObject store() {
    return new JsonObject();
  }

  @BeforeEach
  void start() throws Exception {
    node = TestNode.start(T0, store().put("timezone", "UTC")
        .put("exec", new JsonObject().put("workdir", dir.toString())));
    // a child's script: its fire and its parent's, appended to a file of its own
    Files.writeString(dir.resolve("child.sh"), "echo \"$RUQI_FIRE_ID $RUQI_PARENT_FIRE_ID\" >> \"$1.log\"\n");
    Files.writeString(dir.resolve("parent.sh"), "echo \"$RUQI_FIRE_ID\" >> parent.log\nexit \"$1\"\n");
  }

  @AfterEach
  void stop() {
    node.close();
    if (sink != null) {
      sink.close();
    }
  }

  Reply post(String op, JsonObject body) {
    return node.http.post("/ruqi/" + op, body);
  }

  JsonObject job(String id, String cmd) {
    return new JsonObject().put("job_id", id).put("job_name", "chain").put("job_trigger", "date").put("rule", FAR)
        .put("cmd", cmd);
  }

  void add(JsonObject job) {
    Reply r = post("job_add", job);
    assertEquals("OK", r.stat(), r.toString());
  }

  void child(String id) {
    add(job(id, "bash child.sh " + id));
  }

  String run(String id) {
    Reply r = post("job_run", new JsonObject().put("job_id", id));
    assertEquals("OK", r.stat(), r.toString());
    return r.json().getJsonObject("data").getString("fire_id");
  }

  List<String> lines(String file) throws Exception {
    Path p = dir.resolve(file);
    return Files.exists(p) ? Files.readAllLines(p) : List.of();
  }

  JsonArray history(String id) {
    return node.history(id);
  }

  JsonObject onlyRow(String id) {
    eventually(20, "a history row for " + id, () -> history(id).size() >= 1);
    JsonArray rows = history(id);
    assertEquals(1, rows.size(), rows.encodePrettily());
    return rows.getJsonObject(0);
  }

  // ---- which end starts what ----

  @Test
  void a_success_starts_its_on_success_jobs_each_told_the_parents_fire_id() throws Exception {
    child("report");
    child("archive");
    child("cleanup");
    add(job("etl", "bash parent.sh 0").put("on_success", new JsonArray().add("report").add("archive"))
        .put("on_failure", new JsonArray().add("cleanup")));
    String parent = run("etl");

    JsonObject report = onlyRow("report");
    assertEquals("success", report.getString("status"));
    assertEquals(parent, report.getString("parent_fire_id"), "the child's row names its parent");
    eventually(10, "the child wrote its line", () -> uncheckedLines("report.log").size() == 1);
    String[] line = lines("report.log").get(0).split(" ");
    assertEquals(parent, line[1], "the process got RUQI_PARENT_FIRE_ID");
    assertTrue(line[0].startsWith("report@"), "a fire id of its own: " + line[0]);
    assertEquals(report.getString("fire_time"), TimeFormats.format(Instant.ofEpochMilli(
        Long.parseLong(line[0].substring("report@".length()))), java.time.ZoneOffset.UTC),
        "the process's fire id is that of its history row");
    assertEquals(parent, onlyRow("archive").getString("parent_fire_id"));
    assertNull(onlyRow("etl").getString("parent_fire_id"), "a fire by hand has no parent");

    TestNode.sleep(500);
    assertEquals(0, history("cleanup").size(), "a success does not start on_failure");
    assertEquals(1, history("report").size(), "one fire of the parent starts each child once");
  }

  @Test
  void a_failure_starts_on_failure_only_after_its_last_retry() throws Exception {
    child("report");
    child("cleanup");
    add(job("etl", "bash parent.sh 3").put("retries", 2).put("retry_backoff", 0)
        .put("on_success", new JsonArray().add("report")).put("on_failure", new JsonArray().add("cleanup")));
    String parent = run("etl");

    JsonObject cleanup = onlyRow("cleanup");
    assertEquals(parent, cleanup.getString("parent_fire_id"));
    assertEquals(3, history("etl").size(), "the parent ran three times (two retries) before its chain started");
    for (Object o : history("etl")) {
      assertEquals("failed", ((JsonObject) o).getString("status"));
    }
    eventually(10, "the child wrote its line", () -> uncheckedLines("cleanup.log").size() == 1);
    assertTrue(lines("cleanup.log").get(0).endsWith(" " + parent), lines("cleanup.log").toString());
    TestNode.sleep(500);
    assertEquals(1, history("cleanup").size(), "failed attempts that were retried start nothing");
    assertEquals(0, history("report").size(), "a failure does not start on_success");
  }

  @Test
  void a_timeout_counts_as_a_failure() {
    child("cleanup");
    add(job("slow", "sleep 5").put("timeout", 0.2).put("on_failure", new JsonArray().add("cleanup")));
    String parent = run("slow");
    assertEquals(parent, onlyRow("cleanup").getString("parent_fire_id"));
    assertEquals("timeout", onlyRow("slow").getString("status"));
  }

  @Test
  void an_http_child_gets_the_parents_fire_id_as_a_header() {
    sink = new HttpSink();
    add(job("hook", sink.url("/hook")));
    add(job("etl", "bash parent.sh 0").put("on_success", new JsonArray().add("hook")));
    String parent = run("etl");
    assertEquals("success", onlyRow("hook").getString("status"));
    HttpSink.Request req = sink.requests.get(0);
    assertEquals(parent, req.headers().getString("x-ruqi-parent-fire-id"));
    assertTrue(req.headers().getString("x-ruqi-fire-id").startsWith("hook@"));
  }

  @Test
  void an_event_bus_child_gets_the_parents_fire_id_as_a_message_header() {
    List<String> parents = new java.util.concurrent.CopyOnWriteArrayList<>();
    TestNode.await(node.vertx.eventBus().consumer("chain.child", m -> {
      parents.add(m.headers().get("X-Ruqi-Parent-Fire-Id"));
      m.reply("done");
    }).completion());
    add(job("bus", "eventbus:chain.child"));
    add(job("etl", "bash parent.sh 0").put("on_success", new JsonArray().add("bus")));
    String parent = run("etl");
    assertEquals("success", onlyRow("bus").getString("status"));
    assertEquals(List.of(parent), parents);
  }

  @Test
  void a_chain_runs_down_several_levels_each_naming_its_own_parent() throws Exception {
    child("c");
    add(job("b", "bash child.sh b").put("on_success", new JsonArray().add("c")));
    add(job("a", "bash parent.sh 0").put("on_success", new JsonArray().add("b")));
    String a = run("a");
    assertEquals(a, onlyRow("b").getString("parent_fire_id"));
    String bFire = lines("b.log").get(0).split(" ")[0];
    assertEquals(bFire, onlyRow("c").getString("parent_fire_id"), "c names b's fire, not a's");
    assertEquals(List.of(lines("c.log").get(0).split(" ")[0] + " " + bFire), lines("c.log"));
  }

  // ---- children that cannot be started ----

  @Test
  void a_child_at_max_instances_is_recorded_skipped_naming_its_parent() {
    add(job("busy", "sleep 3"));
    add(job("etl", "bash parent.sh 0").put("on_success", new JsonArray().add("busy")));
    run("busy");
    eventually(10, "busy runs", () -> runningNow("busy"));
    String parent = run("etl");
    eventually(20, "a skipped row for busy", () -> rowsOf("busy", "skipped").size() == 1);
    JsonObject skipped = rowsOf("busy", "skipped").getJsonObject(0);
    assertEquals(parent, skipped.getString("parent_fire_id"));
    assertTrue(skipped.getString("cmd_output").contains("chained from " + parent), skipped.encode());
    assertTrue(skipped.getString("cmd_output").contains("max_instances"), skipped.encode());
  }

  @Test
  void a_child_removed_after_the_chain_was_set_is_recorded_skipped() {
    child("gone");
    add(job("etl", "bash parent.sh 0").put("on_success", new JsonArray().add("gone")));
    assertEquals("OK", post("job_remove", new JsonObject().put("job_id", "gone")).stat());
    String parent = run("etl");
    JsonObject row = onlyRow("gone");
    assertEquals("skipped", row.getString("status"));
    assertEquals(parent, row.getString("parent_fire_id"));
    assertTrue(row.getString("cmd_output").contains("no longer exists"), row.encode());
  }

  @Test
  void a_paused_child_is_recorded_skipped() {
    child("resting");
    assertEquals("OK", post("job_pause", new JsonObject().put("job_id", "resting")).stat());
    add(job("etl", "bash parent.sh 0").put("on_success", new JsonArray().add("resting")));
    run("etl");
    JsonObject row = onlyRow("resting");
    assertEquals("skipped", row.getString("status"));
    assertTrue(row.getString("cmd_output").contains("paused"), row.encode());
  }

  // ---- what job_add and job_modify refuse ----

  @Test
  void a_job_that_would_start_itself_is_refused() {
    Reply r = post("job_add", job("self", "true").put("on_failure", new JsonArray().add("self")));
    assertEquals("ERR", r.stat(), r.toString());
    assertTrue(r.json().getString("msg").contains("self -> self"), r.toString());
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=self").stat(), "nothing was added");
  }

  @Test
  void a_cycle_is_refused_naming_its_path_and_changes_nothing() {
    add(job("a", "true"));
    add(job("b", "true").put("on_success", new JsonArray().add("a")));
    add(job("c", "true").put("on_failure", new JsonArray().add("b")));
    // direct: a -> b -> a
    Reply direct = post("job_modify", new JsonObject().put("job_id", "a").put("on_success", new JsonArray().add("b")));
    assertEquals("ERR", direct.stat(), direct.toString());
    assertTrue(direct.json().getString("msg").contains("a -> b -> a"), direct.toString());
    // indirect, through an on_failure: a -> c -> b -> a
    Reply indirect = post("job_modify", new JsonObject().put("job_id", "a")
        .put("on_failure", new JsonArray().add("c")));
    assertEquals("ERR", indirect.stat(), indirect.toString());
    assertTrue(indirect.json().getString("msg").contains("a -> c -> b -> a"), indirect.toString());
    JsonObject a = node.http.get("/ruqi/job_show?job_id=a").json().getJsonObject("data");
    assertEquals(new JsonObject(), a.getJsonObject("options"), "a refused edit changed nothing");
    assertEquals(0, a.getInteger("version"));
    // a chain without a cycle is fine, and a null resets it
    Reply fine = post("job_modify", new JsonObject().put("job_id", "c").put("on_success", new JsonArray().add("a")));
    assertEquals("OK", fine.stat(), fine.toString());
    Reply reset = post("job_modify", new JsonObject().put("job_id", "c").putNull("on_success"));
    assertEquals("OK", reset.stat(), reset.toString());
    assertNull(reset.json().getJsonObject("data").getJsonObject("options").getValue("on_success"));
  }

  @Test
  void a_chain_to_a_job_that_does_not_exist_or_that_is_no_list_is_refused() {
    Reply missing = post("job_add", job("etl", "true").put("on_success", new JsonArray().add("nope")));
    assertEquals("ERR", missing.stat(), missing.toString());
    assertTrue(missing.json().getString("msg").contains("no job 'nope'"), missing.toString());
    Reply notIds = post("job_add", job("etl", "true").put("on_success", new JsonArray().add(7)));
    assertEquals("ERR_BAD_PARAMS", notIds.stat(), notIds.toString());
    JsonArray many = new JsonArray();
    for (int i = 0; i < 33; i++) {
      many.add("j" + i);
    }
    Reply tooMany = post("job_add", job("etl", "true").put("on_failure", many));
    assertEquals("ERR_BAD_PARAMS", tooMany.stat(), tooMany.toString());
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=etl").stat(), "nothing was added");
  }

  // ---- the README's example, with the real curl ----

  @Test
  void the_readme_example_works_as_written() throws Exception {
    String base = "http://127.0.0.1:" + node.http.port() + "/ruqi/";
    assertEquals("OK", curl("-d", "{\"job_id\":\"report\",\"job_name\":\"etl\",\"job_trigger\":\"cron\","
        + "\"rule\":\"0 0 0 1 1 *\",\"cmd\":\"echo report\"}", base + "job_add").getString("stat"));
    assertEquals("OK", curl("-d", "{\"job_id\":\"cleanup\",\"job_name\":\"etl\",\"job_trigger\":\"cron\","
        + "\"rule\":\"0 0 0 1 1 *\",\"cmd\":\"echo cleanup\"}", base + "job_add").getString("stat"));
    assertEquals("OK", curl("-d", "{\"job_id\":\"etl\",\"job_name\":\"etl\",\"job_trigger\":\"cron\","
        + "\"rule\":\"0 30 2 * * *\",\"cmd\":\"echo etl\",\n  \"retries\":2,\"on_success\":[\"report\"],"
        + "\"on_failure\":[\"cleanup\"]}", base + "job_add").getString("stat"));
    JsonObject run = curl("-d", "{\"job_id\":\"etl\"}", base + "job_run");
    String parent = run.getJsonObject("data").getString("fire_id");
    eventually(20, "report ran", () -> history("report").size() == 1);
    JsonObject rows = curl(base + "job_history_list?job_id=report");
    assertEquals(parent, rows.getJsonObject("data").getJsonArray("list").getJsonObject(0).getString("parent_fire_id"));
    JsonObject cycle = curl("-d", "{\"job_id\":\"report\",\"on_success\":[\"etl\"]}", base + "job_modify");
    assertEquals("ERR", cycle.getString("stat"));
    assertEquals("job chain: a cycle, report -> etl -> report", cycle.getString("msg"));
  }

  static JsonObject curl(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("curl", "-s"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return new JsonObject(out);
  }

  // ---- helpers ----

  List<String> uncheckedLines(String file) {
    try {
      return lines(file);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  JsonArray rowsOf(String id, String status) {
    JsonArray out = new JsonArray();
    for (Object o : history(id)) {
      if (status.equals(((JsonObject) o).getString("status"))) {
        out.add(o);
      }
    }
    return out;
  }

  boolean runningNow(String id) {
    JsonObject status = node.http.get("/ruqi/scheduler_status").json().getJsonObject("data");
    return status.getInteger("in_flight", 0) > 0;
  }
}
