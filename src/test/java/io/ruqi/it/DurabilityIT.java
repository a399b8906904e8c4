package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;
import io.ruqi.testing.Scripts;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A job acknowledged with OK survives kill -9 of the real process on the embedded store. */
class DurabilityIT {
  /** Jobs that fire every second: claims and history rows churn the store. */
  private static final int BUSY_JOBS = 150;
  private static final int ROUNDS = 6;
  /** A call to ruqi itself whose answer (~2 KiB) becomes the run's output: history rows as large as real ones. */
  private static final String BUSY_CMD = busyCommand(0);

  /**
   * What was seen on a running node: after a while of fires and history, OK answers to adds and a modify were lost
   * by a kill -9 (2 runs in 10). So the store is aged first (jobs firing, thousands of history rows, a history
   * clear that leaves dead space), then, round after round with the fires still running, changes are acknowledged
   * and the process is killed right after the last answer; every acknowledged change must be there after the
   * restart.
   */
  @Test
  void changes_acknowledged_ok_on_an_aged_store_survive_repeated_kill_9(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()),
        "RUQI_STORE_URL", "sqlite:" + dir.resolve("ruqi.db"), "RUQI_TIMEZONE", "UTC", "RUQI_NODE_NAME", "aged");
    List<String> acknowledged = new ArrayList<>();
    Scripts.in(dir, "scripts/x.sh");
    RuqiProcess node = RuqiProcess.start(dir, env);
    try {
      HttpTestClient http = node.http();
      for (int i = 0; i < BUSY_JOBS; i++) {
        JsonObject busy = new JsonObject().put("job_id", "busy-" + i).put("job_name", "busy")
            .put("job_trigger", "interval").put("rule", "1s").put("cmd", BUSY_CMD);
        assertEquals("OK", http.post("/ruqi/job_add", busy).stat());
      }
      io.ruqi.testing.TestNode.eventually(300, "thousands of history rows", () -> http
          .get("/ruqi/job_history_list?page_index=1&page_size=1").json().getJsonObject("data")
          .getInteger("total") >= 3_000);
      assertEquals("OK", http.post("/ruqi/job_history_clear", new JsonObject().put("days", 0)).stat());
      JsonObject modified = new JsonObject().put("job_id", "busy-0").put("cmd", busyCommand(0));
      for (int round = 1; round <= ROUNDS; round++) {
        HttpTestClient now = node.http();
        // let fires and history writes run between restarts, as on a node that has been up a while
        Thread.sleep(1_500);
        for (int k = 0; k < 8; k++) {
          String id = "acked-" + round + "-" + k;
          JsonObject job = new JsonObject().put("job_id", id).put("job_name", "acked").put("job_trigger", "cron")
              .put("rule", "0 0 3 * * *").put("cmd", "bash scripts/x.sh " + id);
          assertEquals("OK", now.post("/ruqi/job_add", job).stat());
          acknowledged.add(id);
        }
        modified.put("cmd", busyCommand(round));
        // the job fires every second, and an edit that lost the race to five claims is answered ERR_CONFLICT (and
        // changed nothing): only the OK'd modify must survive
        HttpTestClient.Reply answer = now.post("/ruqi/job_modify", modified);
        while (answer.stat().equals("ERR_CONFLICT")) {
          answer = now.post("/ruqi/job_modify", modified);
        }
        assertEquals("OK", answer.stat());
        JsonObject acked = answer.json().getJsonObject("data");
        node.kill9();
        node = RuqiProcess.start(dir, env);
        HttpTestClient after = node.http();
        JsonObject list = after.get("/ruqi/job_list?job_name=acked").json().getJsonObject("data");
        List<String> present = new ArrayList<>();
        list.getJsonArray("list").forEach(j -> present.add(((JsonObject) j).getString("job_id")));
        List<String> lost = new ArrayList<>(acknowledged);
        lost.removeAll(present);
        assertTrue(lost.isEmpty(), "round " + round + ": acknowledged adds lost by kill -9: " + lost);
        JsonObject row = after.get("/ruqi/job_show?job_id=busy-0").json().getJsonObject("data");
        if (!modified.getString("cmd").equals(row.getString("cmd"))) {
          fail("round " + round + ": an acknowledged modify was lost (cmd " + row.getString("cmd") + "); "
              + lostHow(after, modified.getString("cmd")) + "; acknowledged at version " + acked.getLong("version")
              + ", now at " + row.getLong("version") + " (claims since the restart count too)");
        }
      }
    } finally {
      node.close();
    }
  }

  /**
   * The modify's audit row is committed after the job's row and before the answer: if it is there, the edit was
   * kept and the job's fields were written over later (by ruqi); if it is gone too, the store lost the commits.
   */
  private static String lostHow(HttpTestClient http, String cmd) {
    JsonObject audit = http.post("/ruqi/audit_list", new JsonObject().put("job_id", "busy-0")
        .put("operation", "job_modify").put("page_index", 1).put("page_size", 1)).json().getJsonObject("data");
    JsonObject last = audit.getJsonArray("list").isEmpty() ? null : audit.getJsonArray("list").getJsonObject(0);
    return last != null && cmd.equals(last.getJsonObject("after").getString("cmd"))
        ? "its audit row is there, so the job's row was written over after the edit"
        : "its audit row is gone too: the store lost the last commits";
  }

  private static String busyCommand(int round) {
    return "/ruqi/job_next_times#{\"job_trigger\":\"interval\",\"rule\":\"1s\",\"count\":100,\"round\":" + round
        + "}";
  }

  @Test
  void jobs_acknowledged_ok_survive_kill_9(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()),
        "RUQI_STORE_URL", "sqlite:" + dir.resolve("ruqi.db"), "RUQI_TIMEZONE", "UTC");
    int acknowledged = 0;
    Scripts.in(dir, "scripts/x.sh");
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
        "RUQI_STORE_URL", "sqlite:" + dir.resolve("ruqi.db"));
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
        "RUQI_STORE_URL", "sqlite:" + dir.resolve("ruqi.db"), "RUQI_NODE_NAME", "node-a");
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
