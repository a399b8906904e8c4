package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;
import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting and stopping the jar: configuration from file, command line and environment, and clean stops. */
class StartupIT {

  List<String> failedStart(Path dir, Map<String, String> env, String... args) throws Exception {
    Path log = dir.resolve("out.log");
    Process p = RuqiProcess.launch(dir, env, log, args);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a bad configuration must stop the start");
    assertEquals(2, p.exitValue());
    return Files.readAllLines(log).stream().filter(l -> l.startsWith("ruqi:")).toList();
  }

  @Test
  void a_bad_value_stops_the_start_with_one_line_naming_the_key(@TempDir Path dir) throws Exception {
    List<String> lines = failedStart(dir, Map.of("RUQI_HTTP_PORT", "eighty"));
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("http.port") && lines.get(0).contains("eighty"), lines.get(0));

    lines = failedStart(dir, Map.of("RUQI_TIMEZONE", "Mars/Olympus"));
    assertTrue(lines.get(0).contains("timezone") && lines.get(0).contains("Mars/Olympus"), lines.get(0));

    lines = failedStart(dir, Map.of("RUQI_STORE_URL", "postgres://x"));
    assertTrue(lines.get(0).contains("store.url"), lines.get(0));
  }

  @Test
  void conf_ruqi_yaml_then_the_command_line_file_then_the_environment(@TempDir Path dir) throws Exception {
    int filePort = RuqiProcess.freePort();
    int cliPort = RuqiProcess.freePort();
    int envPort = RuqiProcess.freePort();
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/ruqi.yaml"), "http:\n  port: " + filePort + "\nstore:\n  url: sqlite:db1.db\n");
    Files.writeString(dir.resolve("other.yaml"), "http:\n  port: " + cliPort + "\nnode:\n  name: cli-node\n");

    try (RuqiProcess p = RuqiProcess.startOn(filePort, dir, Map.of())) {
      assertEquals(200, p.http().get("/ruqi/status").status());
    }
    try (RuqiProcess p = RuqiProcess.startOn(cliPort, dir, Map.of(), "--conf", "other.yaml")) {
      assertEquals("cli-node", p.http().get("/ruqi/status").json().getJsonObject("data").getString("node"));
    }
    Files.writeString(dir.resolve("other.yaml"), "http:\n  port: " + cliPort + "\n");
    try (RuqiProcess p = RuqiProcess.start(dir, Map.of("RUQI_HTTP_PORT", Integer.toString(envPort)),
        "--conf", "other.yaml")) {
      assertEquals(200, p.http().get("/ruqi/job_list").status(), "the environment wins over both files");
    }
  }

  /**
   * Seen in an HA pair: a node restarted while its database restarted exited ("cannot start: Failed to read any
   * response from the server") and stayed down. Now it keeps running, /health 200 and /ready 503, logs each attempt,
   * and starts its scheduler once the database is back.
   */
  @Test
  void a_node_started_while_the_database_is_down_waits_for_it_then_fires(@TempDir Path dir) throws Exception {
    try (MariaDbServer db = MariaDbServer.start()) {
      String url = db.url();
      db.stop();
      int port = RuqiProcess.freePort();
      Path log = dir.resolve("node.log");
      Process p = RuqiProcess.launch(dir, Map.of("RUQI_HTTP_PORT", Integer.toString(port), "RUQI_STORE_URL", url,
          "RUQI_NODE_NAME", "waiting", "RUQI_TIMEZONE", "UTC"), log);
      try {
        HttpTestClient http = new HttpTestClient(port);
        TestNode.eventually(60, "/health answers while the database is down", () -> {
          assertTrue(p.isAlive(), "the node exited: " + read(log));
          return status(http, "/health") == 200;
        });
        TestNode.eventually(60, "a second attempt is logged", () -> read(log).contains("start attempt 2"));
        assertEquals(503, status(http, "/ready"));
        HttpTestClient.Reply meanwhile = http.get("/ruqi/job_list");
        assertEquals(503, meanwhile.status(), "the API says it waits for its store");
        assertEquals("ERR_STORE_UNAVAILABLE", meanwhile.stat());
        assertFalse(read(log).contains("Exception"), "an API call meanwhile is no fault of ruqi's: " + read(log));
        assertTrue(p.isAlive(), "the node must not exit while it waits: " + read(log));

        db.startAgain();
        TestNode.eventually(90, "ready once the database is back", () -> status(http, "/ready") == 200);
        JsonObject job = new JsonObject().put("job_id", "after").put("job_name", "n").put("job_trigger", "date")
            .put("rule", "now").put("cmd", "true");
        assertEquals("OK", http.post("/ruqi/job_add", job).stat());
        TestNode.eventually(60, "the job fired", () -> http.get("/ruqi/job_history_list?job_id=after").json()
            .getJsonObject("data").getInteger("total") == 1);
        assertEquals("success", http.get("/ruqi/job_history_list?job_id=after").json().getJsonObject("data")
            .getJsonArray("list").getJsonObject(0).getString("status"));
      } finally {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static int status(HttpTestClient http, String path) {
    try {
      return http.get(path).status();
    } catch (RuntimeException notListening) {
      return -1;
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void sigterm_stops_cleanly_and_the_store_opens_again(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()),
        "RUQI_STORE_URL", "sqlite:" + dir.resolve("ruqi.db"));
    RuqiProcess first = RuqiProcess.start(dir, env);
    first.process.destroy();
    assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
    assertFalse(Files.readString(first.log).contains("Exception"), Files.readString(first.log));
    try (RuqiProcess second = RuqiProcess.start(dir, env)) {
      assertEquals(200, second.http().get("/ruqi/job_list").status());
    }
  }

  @Test
  void sigterm_lets_a_running_fire_finish_and_record_itself(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()),
        "RUQI_STORE_URL", "sqlite:" + dir.resolve("ruqi.db"), "RUQI_NODE_NAME", "n1");
    RuqiProcess first = RuqiProcess.start(dir, env);
    JsonObject job = new JsonObject().put("job_id", "two").put("job_name", "n")
        .put("job_trigger", "date").put("rule", "now").put("cmd", "sleep 2");
    assertEquals("OK", first.http().post("/ruqi/job_add", job).stat());
    TestNode.eventually(20, "in flight", () -> first.http().get("/ruqi/scheduler_status").json()
        .getJsonObject("data").getInteger("in_flight") == 1);
    first.process.destroy();
    assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
    try (RuqiProcess second = RuqiProcess.start(dir, env)) {
      JsonObject row = second.http().get("/ruqi/job_history_list?job_id=two").json()
          .getJsonObject("data").getJsonArray("list").getJsonObject(0);
      assertEquals("success", row.getString("status"), "finished before the node stopped, not cut off");
    }
  }

  /**
   * An upgrade as a user of the earlier default meets it: jobs and history made on H2 ({@code h2:data/ruqi}, the
   * default until SQLite) are all there at the first start with the new default, and the H2 file is kept renamed.
   */
  @Test
  void an_h2_store_of_the_earlier_default_is_found_whole_after_the_upgrade(@TempDir Path dir) throws Exception {
    String port = Integer.toString(RuqiProcess.freePort());
    try (RuqiProcess before = RuqiProcess.start(dir, Map.of("RUQI_HTTP_PORT", port, "RUQI_STORE_URL", "h2:data/ruqi",
        "RUQI_TIMEZONE", "UTC"))) {
      assertEquals("OK", before.http().post("/ruqi/job_add", new JsonObject().put("job_id", "kept")
          .put("job_name", "n").put("job_trigger", "cron").put("rule", "0 0 3 * * *").put("cmd", "true")).stat());
      assertEquals("OK", before.http().post("/ruqi/job_add", new JsonObject().put("job_id", "ran")
          .put("job_name", "n").put("job_trigger", "date").put("rule", "now").put("cmd", "true")).stat());
      TestNode.eventually(30, "the one-shot's row", () -> before.http().get("/ruqi/job_history_list?job_id=ran")
          .json().getJsonObject("data").getJsonArray("list").size() == 1);
    }
    assertTrue(Files.isRegularFile(dir.resolve("data/ruqi.mv.db")));

    try (RuqiProcess after = RuqiProcess.start(dir, Map.of("RUQI_HTTP_PORT", port, "RUQI_TIMEZONE", "UTC"))) {
      JsonObject kept = after.http().get("/ruqi/job_show?job_id=kept").json();
      assertEquals("OK", kept.getString("stat"), kept.encode());
      JsonObject row = after.http().get("/ruqi/job_history_list?job_id=ran").json().getJsonObject("data")
          .getJsonArray("list").getJsonObject(0);
      assertEquals("success", row.getString("status"), row.encode());
      assertTrue(Files.readString(after.log).contains("copied the H2 store"), Files.readString(after.log));
    }
    assertTrue(Files.isRegularFile(dir.resolve("data/ruqi.db")));
    assertTrue(Files.isRegularFile(dir.resolve("data/ruqi.mv.db.migrated")), "the H2 file is kept");
    assertFalse(Files.exists(dir.resolve("data/ruqi.mv.db")));
  }
}
