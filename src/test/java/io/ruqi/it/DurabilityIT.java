package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A job acknowledged with OK survives kill -9 of the real process on the embedded store. */
class DurabilityIT {

  @Test
  void jobs_acknowledged_ok_survive_kill_9(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()),
        "RUQI_STORE_URL", "h2:" + dir.resolve("db"), "RUQI_TIMEZONE", "UTC");
    int acknowledged = 0;
    try (RuqiProcess first = RuqiProcess.start(dir, env)) {
      HttpTestClient http = first.http();
      for (int i = 0; i < 50; i++) {
        JsonObject job = new JsonObject().put("job_id", "job-" + i).put("job_name", "durable")
            .put("job_trigger", "cron").put("rule", "0 0 3 * * *").put("cmd", "bash scripts/x.sh " + i);
        assertEquals("OK", http.post("/ruqi/job_add", job).stat());
        acknowledged++;
      }
      // the last acknowledgement was a moment ago: kill before anything could be flushed later
      first.kill9();
    }
    try (RuqiProcess second = RuqiProcess.start(dir, env)) {
      JsonObject list = second.http().get("/ruqi/job_list?job_name=durable").json().getJsonObject("data");
      assertEquals(acknowledged, list.getInteger("total"));
      JsonObject last = second.http().get("/ruqi/job_show?job_id=job-49").json().getJsonObject("data");
      assertEquals("bash scripts/x.sh 49", last.getString("cmd"));
    }
  }

  @Test
  void a_modify_acknowledged_ok_survives_kill_9(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()),
        "RUQI_STORE_URL", "h2:" + dir.resolve("db"));
    try (RuqiProcess first = RuqiProcess.start(dir, env)) {
      JsonObject job = new JsonObject().put("job_id", "m").put("job_name", "n").put("job_trigger", "interval")
          .put("rule", "10s").put("cmd", "echo before");
      assertEquals("OK", first.http().post("/ruqi/job_add", job).stat());
      assertEquals("OK", first.http().post("/ruqi/job_modify", job.put("cmd", "echo after")).stat());
      first.kill9();
    }
    try (RuqiProcess second = RuqiProcess.start(dir, env)) {
      assertEquals("echo after", second.http().get("/ruqi/job_show?job_id=m").json()
          .getJsonObject("data").getString("cmd"));
    }
  }

  @Test
  void a_fire_cut_off_by_kill_9_is_recorded_as_interrupted_after_restart(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()),
        "RUQI_STORE_URL", "h2:" + dir.resolve("db"), "RUQI_NODE_NAME", "node-a");
    try (RuqiProcess first = RuqiProcess.start(dir, env)) {
      JsonObject job = new JsonObject().put("job_id", "long").put("job_name", "n").put("job_trigger", "date")
          .put("rule", "now").put("cmd", "sleep 60");
      assertEquals("OK", first.http().post("/ruqi/job_add", job).stat());
      io.ruqi.testing.TestNode.eventually(20, "the run is in flight", () -> first.http()
          .get("/ruqi/scheduler_status").json().getJsonObject("data").getInteger("in_flight") == 1);
      first.kill9();
    }
    try (RuqiProcess second = RuqiProcess.start(dir, env)) {
      io.ruqi.testing.TestNode.eventually(20, "an interrupted row", () -> second.http()
          .get("/ruqi/job_history_list?job_id=long").json().getJsonObject("data").getInteger("total") == 1);
      JsonObject row = second.http().get("/ruqi/job_history_list?job_id=long").json().getJsonObject("data")
          .getJsonArray("list").getJsonObject(0);
      assertEquals("interrupted", row.getString("status"));
      assertEquals("sleep 60", row.getString("cmd"));
    }
  }
}
