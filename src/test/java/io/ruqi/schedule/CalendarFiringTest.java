package io.ruqi.schedule;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job that names a calendar: a fire its calendar rules out is claimed like any fire (the schedule moves on) and
 * recorded skipped, saying which calendar and day; the command, a real process that leaves a line in a file, does
 * not run. Time is moved by the node's settable clock. MySqlCalendarFiringTest runs the same on MariaDB.
 */
class CalendarFiringTest {
  /** 12:00:00 on Saturday 2026-11-21 in Shanghai, the service zone; 04:00 UTC; 23:00 on the 20th in New York. */
  static final Instant T0 = Instant.parse("2026-11-21T04:00:00Z");

  TestNode node;
  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** The store the node uses: the embedded one here. */
  JsonObject store() {
    return new JsonObject();
  }

  void start() throws Exception {
    node = TestNode.start(T0, store().put("timezone", "Asia/Shanghai")
        .put("exec", new JsonObject().put("workdir", dir.toString())));
    Files.writeString(dir.resolve("job.sh"), "echo \"$RUQI_FIRE_ID\" >> ran.txt\n");
  }

  Reply post(String op, JsonObject body) {
    return node.http.post("/ruqi/" + op, body);
  }

  void ok(Reply r) {
    assertEquals("OK", r.stat(), r.toString());
  }

  void calendar(String name, String... days) {
    ok(post("calendar_set", new JsonObject().put("calendar", name)
        .put("days", new JsonArray(List.of((Object[]) days)))));
  }

  void addJob(String id, String rule, JsonObject options) {
    ok(post("job_add", new JsonObject().put("job_id", id).put("job_name", "cal").put("job_trigger", "interval")
        .put("rule", rule).put("cmd", "bash job.sh").mergeIn(options)));
  }

  List<String> ran() throws Exception {
    Path f = dir.resolve("ran.txt");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  JsonObject rowOf(String jobId, int rows) {
    eventually(20, rows + " history rows for " + jobId, () -> node.history(jobId).size() >= rows);
    return node.history(jobId).getJsonObject(0); // newest first
  }

  String nextRunTime(String jobId) {
    return node.http.get("/ruqi/job_show?job_id=" + jobId).json().getJsonObject("data").getString("next_run_time");
  }

  @Test
  void a_fire_on_a_listed_day_is_skipped_and_the_schedule_moves_on() throws Exception {
    start();
    calendar("holidays", "2026-11-21");
    addJob("skip", "10s", new JsonObject().put("calendar", "holidays"));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = rowOf("skip", 1);
    assertEquals("skipped", row.getString("status"), row.encode());
    assertEquals("not run: calendar holidays (skip) lists 2026-11-21", row.getString("cmd_output"));
    assertEquals("2026-11-21 12:00:10", row.getString("fire_time"));
    assertEquals("2026-11-21 12:00:20", nextRunTime("skip"), "claimed like any fire: the schedule moved on");
    node.advance(Duration.ofSeconds(10));
    rowOf("skip", 2);
    assertEquals(List.of(), ran(), "the command never ran");
    assertEquals(2, node.history("skip").size(), "one row per fire, none twice");
  }

  @Test
  void mode_only_runs_on_listed_days_only_and_an_edit_reaches_fires_already_read_ahead() throws Exception {
    start();
    calendar("workdays", "2026-11-23..2026-11-27");
    addJob("only", "10s", new JsonObject().put("calendar", "workdays").put("calendar_mode", "only"));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = rowOf("only", 1);
    assertEquals("skipped", row.getString("status"));
    assertEquals("not run: calendar workdays (only) does not list 2026-11-21", row.getString("cmd_output"));
    // the 12:00:20 fire is in the heap now (read ahead); the calendar is changed before it is claimed
    calendar("workdays", "2026-11-21", "2026-11-23..2026-11-27");
    node.advance(Duration.ofSeconds(10));
    assertEquals("success", rowOf("only", 2).getString("status"));
    assertEquals(List.of("only@" + T0.plusSeconds(20).toEpochMilli()), ran());
  }

  @Test
  void the_day_is_the_fire_date_in_the_jobs_zone() throws Exception {
    start();
    calendar("nov21", "2026-11-21");
    // at 04:00:10 UTC it is the 21st in UTC and still the 20th in New York
    addJob("utc", "10s", new JsonObject().put("calendar", "nov21").put("timezone", "UTC"));
    addJob("ny", "10s", new JsonObject().put("calendar", "nov21").put("timezone", "America/New_York"));
    node.advance(Duration.ofSeconds(10));
    assertEquals("skipped", rowOf("utc", 1).getString("status"));
    assertEquals("success", rowOf("ny", 1).getString("status"));
    assertEquals(1, ran().size(), ran().toString());
    assertTrue(ran().get(0).startsWith("ny@"));
  }

  @Test
  void an_every_year_day_is_listed_in_any_year() throws Exception {
    start();
    calendar("annual", "--11-21");
    addJob("annual", "10s", new JsonObject().put("calendar", "annual"));
    node.advance(Duration.ofSeconds(10));
    assertEquals("not run: calendar annual (skip) lists 2026-11-21", rowOf("annual", 1).getString("cmd_output"));
  }

  @Test
  void a_one_shot_skipped_by_its_calendar_is_done_not_stuck() throws Exception {
    start();
    calendar("holidays", "2026-11-21");
    ok(post("job_add", new JsonObject().put("job_id", "once").put("job_name", "cal").put("job_trigger", "date")
        .put("rule", "2026-11-21 12:00:10").put("cmd", "bash job.sh").put("calendar", "holidays")));
    node.advance(Duration.ofSeconds(10));
    assertEquals("skipped", rowOf("once", 1).getString("status"));
    eventually(10, "the done one-shot removed", () -> "ERR".equals(node.http.get("/ruqi/job_show?job_id=once").stat()));
    assertEquals(List.of(), ran());
  }

  @Test
  void a_job_without_a_calendar_or_with_its_calendar_reset_runs() throws Exception {
    start();
    calendar("holidays", "2026-11-21");
    addJob("reset", "10s", new JsonObject().put("calendar", "holidays"));
    node.advance(Duration.ofSeconds(10));
    assertEquals("skipped", rowOf("reset", 1).getString("status"));
    ok(post("job_modify", new JsonObject().put("job_id", "reset").putNull("calendar")));
    assertFalse(node.http.get("/ruqi/job_show?job_id=reset").json().getJsonObject("data").getJsonObject("options")
        .containsKey("calendar"));
    node.tickUntil(Duration.ofSeconds(10), 20, "a run after the reset", () -> {
      try {
        return !ran().isEmpty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
