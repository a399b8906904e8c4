package io.ruqi.schedule;

import io.ruqi.config.RuqiConfig;
import io.ruqi.store.ClaimRequest;
import io.ruqi.store.StoreFactory;
import io.ruqi.store.Stores;
import io.ruqi.testing.HttpSink;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs really fire: real processes, a real HTTP sink, real event-bus consumers. Where the exact time matters the
 * node runs on a settable clock that the test moves (then wakes the scheduler, as its timer would); elsewhere it
 * runs in real time and timing is asserted loosely.
 */
class FiringTest {
  /** 12:00:00 in Shanghai, the service zone. */
  static final Instant T0 = Instant.parse("2026-11-21T04:00:00Z");
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  TestNode node;
  HttpSink sink;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  static JsonObject job(String id, String trigger, String rule, String cmd) {
    return new JsonObject().put("job_id", id).put("job_name", "firing").put("job_trigger", trigger)
        .put("rule", rule).put("cmd", cmd);
  }

  void add(JsonObject job) {
    Reply r = node.http.post("/ruqi/job_add", job);
    assertEquals("OK", r.stat(), r.toString());
  }

  JsonArray historyWhere(String jobId, String status) {
    JsonArray out = new JsonArray();
    for (Object o : node.history(jobId)) {
      if (status.equals(((JsonObject) o).getString("status"))) {
        out.add(o);
      }
    }
    return out;
  }

  JsonObject onlyRow(String jobId) {
    eventually(20, "a history row for " + jobId, () -> node.history(jobId).size() >= 1);
    JsonArray rows = node.history(jobId);
    assertEquals(1, rows.size(), rows.encodePrettily());
    return rows.getJsonObject(0);
  }

  JsonObject settable(JsonObject conf) {
    node = TestNode.start(T0, store().mergeIn(conf, true).put("timezone", "Asia/Shanghai"));
    return conf;
  }

  /** The store the node uses: the embedded one here; MySqlFiringTest runs the same tests on MariaDB. */
  JsonObject store() {
    return new JsonObject();
  }

  // ---- every command form ----

  @Test
  void a_process_job_runs_with_its_fire_in_the_environment(@TempDir Path dir) throws Exception {
    settable(new JsonObject().put("exec", new JsonObject().put("workdir", dir.toString())));
    Files.writeString(dir.resolve("job.sh"), "echo \"$RUQI_JOB_ID $RUQI_FIRE_ID $1\"\n");
    add(job("proc", "interval", "10s", "bash job.sh 'an arg'"));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = onlyRow("proc");
    assertEquals("success", row.getString("status"));
    assertTrue(row.getBoolean("cmd_is_success"));
    assertEquals("proc proc@" + T0.plusSeconds(10).toEpochMilli() + " an arg", row.getString("cmd_output"));
    assertEquals("2026-11-21 12:00:10", row.getString("fire_time"));
    assertEquals(0, row.getInteger("exit_code"));
    assertEquals("test-node", row.getString("scheduler_name"));
    assertEquals("bash job.sh 'an arg'", row.getString("cmd"));
    assertEquals("2026-11-21 12:00:20", node.http.get("/ruqi/job_show?job_id=proc").json()
        .getJsonObject("data").getString("next_run_time"), "the schedule moved on by one interval");
  }

  @Test
  void an_http_job_posts_its_json_with_fire_headers() {
    settable(new JsonObject());
    sink = new HttpSink();
    add(job("web", "interval", "10s", sink.url("/hook") + "#{\"note\":\"a # inside\",\"n\":[1,2]}"));
    node.advance(Duration.ofSeconds(10));
    assertEquals("success", onlyRow("web").getString("status"));
    HttpSink.Request req = sink.requests.get(0);
    assertEquals("POST", req.method());
    assertEquals("/hook", req.path());
    assertEquals(new JsonObject("{\"note\":\"a # inside\",\"n\":[1,2]}"), new JsonObject(req.body()));
    assertTrue(req.headers().getString("content-type").startsWith("application/json"));
    assertEquals("web@" + T0.plusSeconds(10).toEpochMilli(), req.headers().getString("idempotency-key"));
  }

  @Test
  void an_http_job_that_gets_an_error_fails_with_the_reason() {
    settable(new JsonObject());
    sink = new HttpSink();
    add(job("web500", "interval", "10s", sink.url("/fail")));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = onlyRow("web500");
    assertEquals("failed", row.getString("status"));
    assertEquals(500, row.getInteger("exit_code"));
    assertTrue(row.getString("cmd_output").contains("500"), row.getString("cmd_output"));
  }

  @Test
  void a_local_path_job_posts_to_this_service() {
    settable(new JsonObject());
    add(job("target", "cron", "0 0 3 * * *", "true"));
    add(job("local", "interval", "10s", "/ruqi/job_pause#{\"job_id\":\"target\"}"));
    node.advance(Duration.ofSeconds(10));
    assertEquals("success", onlyRow("local").getString("status"));
    assertEquals("paused", node.http.get("/ruqi/job_show?job_id=target").json().getJsonObject("data")
        .getString("state"), "the local call reached this node's own API");
  }

  @Test
  void an_event_bus_job_requests_its_address() {
    settable(new JsonObject());
    List<Object> received = new CopyOnWriteArrayList<>();
    TestNode.await(node.vertx.eventBus().consumer("reports.daily", m -> {
      received.add(m.body());
      m.reply("done");
    }).completion());
    add(job("bus", "interval", "10s", "eventbus:reports.daily#{\"k\":1}"));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = onlyRow("bus");
    assertEquals("success", row.getString("status"));
    assertEquals("done", row.getString("cmd_output"));
    assertEquals(new JsonObject().put("k", 1), received.get(0));
  }

  @Test
  void an_event_bus_job_without_a_consumer_fails() {
    settable(new JsonObject());
    add(job("nobus", "interval", "10s", "eventbus:nobody.listens"));
    node.advance(Duration.ofSeconds(10));
    assertEquals("failed", onlyRow("nobus").getString("status"));
  }

  // ---- commands that cannot run ----

  @Test
  void a_program_that_does_not_exist_is_a_failed_run_with_a_clear_output() {
    settable(new JsonObject());
    add(job("missing", "interval", "10s", "no-such-program-ruqi --x"));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = onlyRow("missing");
    assertEquals("failed", row.getString("status"));
    assertTrue(row.getString("cmd_output").contains("no-such-program-ruqi"), row.getString("cmd_output"));
  }

  @Test
  void bad_json_after_hash_in_a_stored_job_is_a_failed_run_not_a_silent_drop() {
    settable(new JsonObject());
    add(job("legacy", "interval", "10s", "http://127.0.0.1:9/x"));
    // a row as RuQi stored it, never validated: bad JSON after '#'
    TestNode.await(node.node.stores().pool().preparedQuery("UPDATE ruqi_jobs SET cmd = ? WHERE id = 'legacy'")
        .execute(io.vertx.sqlclient.Tuple.of("http://127.0.0.1:9/x#{not json")));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = onlyRow("legacy");
    assertEquals("failed", row.getString("status"));
    assertTrue(row.getString("cmd_output").contains("not valid JSON"), row.getString("cmd_output"));
  }

  // ---- processes: output and timeouts ----

  @Test
  void ten_megabytes_of_output_neither_hang_nor_fill_the_history() {
    settable(new JsonObject());
    add(job("loud", "interval", "10s", "sh -c 'head -c 10000000 /dev/zero | tr \"\\0\" x; echo; echo the-end'"));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = onlyRow("loud");
    assertEquals("success", row.getString("status"));
    String out = row.getString("cmd_output");
    assertTrue(out.length() <= 4096, "capped: " + out.length());
    assertTrue(out.endsWith("the-end"), "the tail is kept");
    assertTrue(out.contains("omitted"), "says what it left out");
  }

  @Test
  void a_timeout_ends_the_whole_process_tree(@TempDir Path dir) throws Exception {
    settable(new JsonObject());
    Path pids = dir.resolve("pids");
    add(job("slow", "interval", "10s", "sh -c 'sleep 300 & echo $! > " + pids + "; sleep 300'").put("timeout", 1));
    node.advance(Duration.ofSeconds(10));
    JsonObject row = onlyRow("slow");
    assertEquals("timeout", row.getString("status"));
    assertFalse(row.getBoolean("cmd_is_success"));
    long child = Long.parseLong(Files.readString(pids).strip());
    eventually(10, "the background child " + child + " is gone",
        () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  // ---- policies ----

  @Test
  void a_fire_later_than_its_grace_is_missed() {
    settable(new JsonObject());
    add(job("late", "cron", "0 1 12 * * *", "true").put("misfire_grace_time", 5));
    node.advance(Duration.ofSeconds(60 + 30)); // 30 s after the 12:01:00 fire
    JsonObject row = onlyRow("late");
    assertEquals("missed", row.getString("status"));
    assertEquals("2026-11-21 12:01:00", row.getString("fire_time"));
    assertNull(row.getValue("start_time"));
    assertEquals("2026-11-22 12:01:00", node.http.get("/ruqi/job_show?job_id=late").json()
        .getJsonObject("data").getString("next_run_time"));
  }

  @Test
  void a_fire_within_its_grace_runs_late() {
    settable(new JsonObject());
    add(job("lateok", "cron", "0 1 12 * * *", "true"));
    node.advance(Duration.ofSeconds(60 + 20)); // 20 s late, grace 30 s
    assertEquals("success", onlyRow("lateok").getString("status"));
  }

  @Test
  void cron_catches_up_across_a_minute_boundary_one_fire_at_a_time() {
    node = TestNode.start(Instant.parse("2026-11-21T03:59:58.500Z"), store().put("timezone", "Asia/Shanghai"));
    // three instances: the three fires come due together and may overlap
    add(job("tick", "cron", "* * * * * *", "true").put("max_instances", 3));
    node.advance(Duration.ofSeconds(3)); // now 12:00:01.5: fires 11:59:59, 12:00:00, 12:00:01 are due
    eventually(20, "three fires", () -> node.history("tick").size() >= 3);
    Set<String> fires = new TreeSet<>();
    for (Object o : node.history("tick")) {
      fires.add(((JsonObject) o).getString("fire_time"));
      assertEquals("success", ((JsonObject) o).getString("status"));
    }
    assertEquals(Set.of("2026-11-21 11:59:59", "2026-11-21 12:00:00", "2026-11-21 12:00:01"), fires);
  }

  @Test
  void coalesce_runs_the_latest_fire_and_skips_the_rest() {
    settable(new JsonObject());
    add(job("co", "interval", "10s", "true").put("coalesce", true).put("misfire_grace_time", 60));
    node.advance(Duration.ofSeconds(35)); // fires at :10, :20, :30 are due, all in grace
    eventually(20, "three rows", () -> node.history("co").size() >= 3);
    assertEquals(1, historyWhere("co", "success").size());
    assertEquals("2026-11-21 12:00:30", historyWhere("co", "success").getJsonObject(0).getString("fire_time"));
    assertEquals(2, historyWhere("co", "skipped").size());
  }

  @Test
  void an_overlapping_fire_is_skipped_under_max_instances_once_its_grace_is_gone() {
    settable(new JsonObject());
    // the second fire waits for the first run for its grace (1 s) only: the run takes 3 s
    add(job("long", "interval", "10s", "sleep 3").put("misfire_grace_time", 1));
    node.advance(Duration.ofSeconds(10));
    eventually(10, "the first run is in flight", () -> node.http.get("/ruqi/scheduler_status").json()
        .getJsonObject("data").getInteger("in_flight") == 1);
    node.advance(Duration.ofSeconds(10));
    node.tickUntil(Duration.ofMillis(250), 20, "a skipped row and a success row",
        () -> historyWhere("long", "skipped").size() == 1 && historyWhere("long", "success").size() == 1);
    assertTrue(historyWhere("long", "skipped").getJsonObject(0).getString("cmd_output").contains("max_instances"));
  }

  @Test
  void an_overlapping_fire_within_its_grace_waits_and_runs_late() {
    settable(new JsonObject());
    add(job("wait", "interval", "10s", "sleep 2"));
    node.advance(Duration.ofSeconds(10));
    eventually(10, "the first run is in flight", () -> node.http.get("/ruqi/scheduler_status").json()
        .getJsonObject("data").getInteger("in_flight") == 1);
    node.advance(Duration.ofSeconds(10));
    node.tickUntil(Duration.ofMillis(250), 20, "both fires ran", () -> historyWhere("wait", "success").size() == 2);
    assertEquals(0, historyWhere("wait", "skipped").size());
  }

  @Test
  void jitter_starts_each_fire_up_to_that_many_seconds_late_at_random() {
    settable(new JsonObject());
    int jobs = 20;
    for (int i = 0; i < jobs; i++) {
      add(job("jit-" + i, "interval", "1h", "true").put("jitter", 20).put("misfire_grace_time", 60));
    }
    node.advance(Duration.ofHours(1)); // every fire is due now, at 13:00:00, and starts when its jitter has passed
    node.tickUntil(Duration.ofSeconds(1), 30, "every jittered fire ran", () -> node.http
        .get("/ruqi/job_history_list?job_name=firing&status=success").json().getJsonObject("data")
        .getInteger("total") == jobs);
    Set<Long> lateBy = new TreeSet<>();
    for (int i = 0; i < jobs; i++) {
      JsonObject row = onlyRow("jit-" + i);
      assertEquals("2026-11-21 13:00:00", row.getString("fire_time"));
      long late = Duration.between(LocalDateTime.parse(row.getString("fire_time"), TIME),
          LocalDateTime.parse(row.getString("start_time"), TIME)).toSeconds();
      assertTrue(late >= 0 && late <= 20 + 3, "started " + late + " s after its fire (jitter 20 s; 1 s steps)");
      lateBy.add(late);
    }
    // 20 delays drawn from 0-20 s fall on at least three different seconds (all but certainly: 1 in 10^18 not)
    assertTrue(lateBy.size() >= 3, "the fires did not spread: started " + lateBy + " s late");
  }

  @Test
  void failures_are_retried_and_each_attempt_has_a_row() {
    settable(new JsonObject());
    add(job("flaky", "interval", "10s", "sh -c 'exit 3'").put("retries", 2).put("retry_backoff", 0.1));
    node.advance(Duration.ofSeconds(10));
    eventually(20, "three attempts", () -> node.history("flaky").size() >= 3);
    List<Integer> attempts = new ArrayList<>();
    for (Object o : node.history("flaky")) {
      JsonObject row = (JsonObject) o;
      attempts.add(row.getInteger("attempt"));
      assertEquals("failed", row.getString("status"));
      assertEquals(3, row.getInteger("exit_code"));
      assertEquals("2026-11-21 12:00:10", row.getString("fire_time"));
    }
    attempts.sort(null);
    assertEquals(List.of(1, 2, 3), attempts);
  }

  @Test
  void a_paused_job_never_fires() {
    settable(new JsonObject());
    add(job("quiet", "interval", "1s", "true"));
    node.http.post("/ruqi/job_pause", new JsonObject().put("job_id", "quiet"));
    for (int i = 0; i < 5; i++) {
      node.advance(Duration.ofSeconds(2));
    }
    add(job("witness", "interval", "1s", "true"));
    node.advance(Duration.ofSeconds(1));
    eventually(20, "the witness fired", () -> node.history("witness").size() >= 1);
    assertEquals(0, node.history("quiet").size());
  }

  // ---- one-shots ----

  @Test
  void now_fires_at_once_and_the_job_goes_away_with_its_history_row_as_in_ruqi() {
    node = TestNode.startRealTime(store());
    add(job("once", "date", "now", "true"));
    assertEquals("success", onlyRow("once").getString("status"));
    // removed in the transaction that wrote the row: gone as soon as the row is there
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=once").stat());
    JsonObject audit = node.http.get("/ruqi/audit_list?job_id=once").json().getJsonObject("data").getJsonArray("list")
        .getJsonObject(0);
    assertEquals("scheduler", audit.getString("actor"), audit.encode());
    assertEquals("job_remove", audit.getString("operation"));
    // RuQi's "run this once more": the same job_id is free again
    add(job("once", "date", "now", "true"));
    eventually(20, "the second fire's row", () -> node.history("once").size() == 2);
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=once").stat());
  }

  @Test
  void keep_done_keeps_a_fired_one_shot_as_done() {
    node = TestNode.startRealTime(store());
    add(job("kept", "date", "now", "true").put("keep_done", true));
    assertEquals("success", onlyRow("kept").getString("status"));
    JsonObject shown = node.http.get("/ruqi/job_show?job_id=kept").json().getJsonObject("data");
    assertEquals("done", shown.getString("state"), shown.encode());
    assertNull(shown.getValue("next_run_time"));
    assertEquals("None", shown.getString("nexttime"));
  }

  @Test
  void a_done_one_shot_edited_or_resumed_within_its_grace_stays_done_and_does_not_run_again() {
    settable(new JsonObject());
    add(job("kept", "date", "2026-11-21 12:00:10", "true").put("keep_done", true));
    JsonObject before = node.http.get("/ruqi/job_export?job_id=kept").json().getJsonObject("data")
        .getJsonArray("jobs").getJsonObject(0);
    node.advance(Duration.ofSeconds(10));
    assertEquals("success", onlyRow("kept").getString("status"));
    eventually(20, "kept is done", () -> "done".equals(state("kept")));
    // within the misfire grace (30 s) of its date: each of these used to set the job back to 12:00:10 and run it,
    // and the job itself says it fired, whatever became of its history row
    node.advance(Duration.ofSeconds(5));
    assertEquals("OK", node.http.post("/ruqi/job_history_clear", new JsonObject().put("job_id", "kept")
        .put("before", "2026-11-21 12:00:16")).stat());
    assertEquals(0, node.history("kept").size());
    Reply modified = node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "kept").put("job_name", "x"));
    assertEquals("done", modified.json().getJsonObject("data").getString("state"), modified.toString());
    assertEquals("OK", node.http.post("/ruqi/job_pause", new JsonObject().put("job_id", "kept")).stat());
    Reply resumed = node.http.post("/ruqi/job_resume", new JsonObject().put("job_id", "kept"));
    assertEquals("done", resumed.json().getJsonObject("data").getString("state"), resumed.toString());
    Reply imported = node.http.post("/ruqi/job_import", new JsonObject().put("jobs", new JsonArray().add(before)));
    assertEquals("OK", imported.stat(), imported.toString());
    assertEquals("done", state("kept"), "imported as exported before its fire, it has fired all the same");
    assertNull(node.http.get("/ruqi/job_show?job_id=kept").json().getJsonObject("data").getValue("next_run_time"));

    // a date that has not fired is a new fire, even within the grace: the check does not stop it
    assertEquals("OK", node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "kept")
        .put("rule", "2026-11-21 12:00:12")).stat());
    node.wakeup();
    eventually(20, "the new date's fire", () -> node.history("kept").size() == 1);
    eventually(20, "kept is done again", () -> "done".equals(state("kept")));
    assertEquals(1, node.history("kept").size(), node.history("kept").encodePrettily());
  }

  @Test
  void a_one_shot_removed_after_its_fire_is_not_added_again_at_the_same_date() {
    settable(new JsonObject());
    JsonObject once = job("once", "date", "2026-11-21 12:00:10", "true");
    add(once);
    JsonArray exported = node.http.get("/ruqi/job_export?job_id=once").json().getJsonObject("data")
        .getJsonArray("jobs");
    node.advance(Duration.ofSeconds(10));
    assertEquals("success", onlyRow("once").getString("status"));
    eventually(20, "once is removed with its row", () -> "ERR".equals(node.http.get("/ruqi/job_show?job_id=once")
        .stat()));
    node.advance(Duration.ofSeconds(5));
    // within the grace: added again as it was, it would run a second time and its row could not be written
    Reply again = node.http.post("/ruqi/job_add", once);
    assertEquals("ERR", again.stat(), again.toString());
    assertTrue(again.json().getString("msg").contains("fired at 2026-11-21 12:00:10 already"), again.toString());
    Reply imported = node.http.post("/ruqi/job_import", new JsonObject().put("jobs", exported));
    assertEquals("OK", imported.stat(), imported.toString());
    assertEquals("done", state("once"), "restored as what it is: fired");
    // "run this once more", RuQi's way: a new date
    assertEquals("OK", node.http.post("/ruqi/job_remove", new JsonObject().put("job_id", "once")).stat());
    add(once.copy().put("rule", "now"));
    node.wakeup();
    eventually(20, "the second fire's row", () -> node.history("once").size() == 2);
  }

  String state(String jobId) {
    return node.http.get("/ruqi/job_show?job_id=" + jobId).json().getJsonObject("data").getString("state");
  }

  @Test
  void jobs_keep_done_keeps_every_fired_one_shot_unless_the_job_says_otherwise() {
    node = TestNode.startRealTime(store().put("jobs", new JsonObject().put("keep_done", true)));
    add(job("kept", "date", "now", "true"));
    add(job("gone", "date", "now", "true").put("keep_done", false));
    assertEquals("success", onlyRow("kept").getString("status"));
    assertEquals("success", onlyRow("gone").getString("status"));
    assertEquals("done", node.http.get("/ruqi/job_show?job_id=kept").json().getJsonObject("data")
        .getString("state"));
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=gone").stat());
  }

  @Test
  void a_one_shot_missed_while_the_service_was_down_goes_away_with_its_missed_row() {
    settable(new JsonObject());
    add(job("late", "date", "2026-11-21 12:00:10", "true"));
    // the service was down past the misfire grace (30 s): the fire is missed, and the job is done all the same
    node.advance(Duration.ofSeconds(60));
    assertEquals("missed", onlyRow("late").getString("status"));
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=late").stat());
  }

  @Test
  void a_date_job_fires_at_its_date() {
    settable(new JsonObject());
    add(job("at", "date", "2026-11-21 12:05:00", "true"));
    node.advance(Duration.ofMinutes(4));
    node.wakeup();
    assertEquals(0, node.history("at").size(), "not before its date");
    node.advance(Duration.ofMinutes(1));
    JsonObject row = onlyRow("at");
    assertEquals("2026-11-21 12:05:00", row.getString("fire_time"));
  }

  @Test
  void an_interval_job_fires_in_real_time() {
    node = TestNode.startRealTime(store());
    add(job("rt", "interval", "1s", "true"));
    eventually(15, "three fires", () -> node.history("rt").size() >= 3);
  }

  @Test
  void fires_claimed_ahead_start_at_their_time_never_before_it() {
    node = TestNode.startRealTime(store());
    List<long[]> seen = new CopyOnWriteArrayList<>(); // {fire time, received}, epoch ms
    TestNode.await(node.vertx.eventBus().consumer("ahead.check", m -> {
      seen.add(new long[] {Instant.parse(m.headers().get(io.ruqi.exec.FireHeaders.FIRE_TIME)).toEpochMilli(),
          System.currentTimeMillis()});
      m.reply("ok");
    }).completion());
    add(job("ahead", "interval", "1s", "eventbus:ahead.check"));
    eventually(15, "three fires", () -> seen.size() >= 3);
    for (long[] s : seen) {
      assertTrue(s[1] >= s[0], "received " + (s[0] - s[1]) + " ms before its fire time");
    }
    // each fire recorded started (by its mark, or its claim) waited for its time, and the wait is measured
    String metrics = node.http.get("/metrics").text();
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("ruqi_fire_marked_wait_seconds_count")
        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 3), metrics);
  }

  // ---- a node that died with fires claimed ----

  @Test
  void of_a_dead_nodes_fires_those_claimed_ahead_run_here_and_those_cut_off_are_interrupted() {
    JsonObject conf = store();
    if (!conf.containsKey("store")) {
      conf.put("store", new JsonObject().put("url", "sqlite:mem:" + UUID.randomUUID()));
    }
    node = TestNode.start(T0, conf.copy().put("timezone", "Asia/Shanghai")
        .put("scheduler", new JsonObject().put("lease", 2)));
    sink = new HttpSink();
    add(job("ahead", "interval", "10s", sink.url("/ahead")));
    add(job("cut", "interval", "10s", sink.url("/cut")));
    Stores ghost = TestNode.await(StoreFactory.open(node.vertx, RuqiConfig.from(conf)));
    try {
      // a node "ghost" claims both fires of 12:00:10 and dies: one 200 ms ahead of its time, not yet started; the
      // other as it was due, so started at once
      Instant fire = T0.plusSeconds(10);
      TestNode.await(ghost.claims().claim(List.of(new ClaimRequest("ahead", 0, T0.plusSeconds(20), fire, 1, null,
          fire)), "ghost", fire.minusMillis(200)));
      TestNode.await(ghost.claims().claim(List.of(new ClaimRequest("cut", 0, T0.plusSeconds(20), fire, 1)), "ghost",
          fire));
      // its lease ended long ago, by the database's clock
      TestNode.await(ghost.pool().preparedQuery("INSERT INTO ruqi_nodes (node, lease_until) VALUES (?, ?)")
          .execute(io.vertx.sqlclient.Tuple.of("ghost", java.time.LocalDateTime.of(2000, 1, 1, 0, 0))));
      node.advance(Duration.ofSeconds(14)); // the ghost's lease is long over
      JsonObject ran = onlyRow("ahead");
      assertEquals("success", ran.getString("status"), ran.encode());
      assertEquals("test-node", ran.getString("scheduler_name"));
      assertEquals("2026-11-21 12:00:10", ran.getString("fire_time"));
      JsonObject cut = onlyRow("cut");
      assertEquals("interrupted", cut.getString("status"), cut.encode());
      assertEquals(List.of("/ahead"), sink.requests.stream().map(HttpSink.Request::path).toList(),
          "the fire cut off is not run again");
      assertEquals("ahead@" + fire.toEpochMilli(), sink.requests.get(0).headers().getString("idempotency-key"));
      assertTrue(TestNode.await(ghost.claims().takeOvers().runningOf("ghost")).isEmpty(), "nothing is left to the ghost");
    } finally {
      TestNode.await(ghost.close());
    }
  }

  @Test
  void after_a_restart_a_node_runs_the_fires_it_had_claimed_ahead_and_not_started() throws Exception {
    JsonObject conf = store();
    if (!conf.containsKey("store")) {
      // a file: SQLite keeps a database in memory only while a connection to it is open
      conf.put("store", new JsonObject().put("url", "sqlite:"
          + java.nio.file.Files.createTempDirectory("ruqi-restart").resolve("ruqi.db")));
    }
    conf.put("timezone", "Asia/Shanghai");
    node = TestNode.start(T0, conf);
    sink = new HttpSink();
    add(job("again", "interval", "10s", sink.url("/again")));
    node.close();
    node = null;
    Instant fire = T0.plusSeconds(10);
    Vertx vertx = Vertx.vertx();
    Stores before = TestNode.await(StoreFactory.open(vertx, RuqiConfig.from(conf)));
    // what the node did just before it died: claimed the fire of 12:00:10 ahead of its time
    TestNode.await(before.claims().claim(List.of(new ClaimRequest("again", 0, T0.plusSeconds(20), fire, 1, null,
        fire)), "test-node", fire.minusMillis(200)));
    TestNode.await(before.close());
    TestNode.await(vertx.close());

    node = TestNode.start(fire.plusSeconds(3), conf);
    JsonObject ran = onlyRow("again");
    assertEquals("success", ran.getString("status"), ran.encode());
    assertEquals("2026-11-21 12:00:10", ran.getString("fire_time"));
    assertEquals(1, sink.requests.size());
  }

  // ---- job_run and the history API ----

  @Test
  void job_run_fires_now_and_is_recorded() {
    settable(new JsonObject());
    add(job("manual", "cron", "0 0 3 * * *", "echo by hand"));
    Reply r = node.http.post("/ruqi/job_run", new JsonObject().put("job_id", "manual"));
    assertEquals("OK", r.stat(), r.toString());
    assertEquals("manual@" + T0.toEpochMilli(), r.json().getJsonObject("data").getString("fire_id"));
    JsonObject row = onlyRow("manual");
    assertEquals("by hand", row.getString("cmd_output"));
    assertEquals("2026-11-22 03:00:00", node.http.get("/ruqi/job_show?job_id=manual").json()
        .getJsonObject("data").getString("next_run_time"), "the schedule is untouched");
    assertEquals("ERR", node.http.post("/ruqi/job_run", new JsonObject().put("job_id", "ghost")).stat());
  }

  @Test
  void history_filters_pages_and_clears() {
    settable(new JsonObject());
    add(job("ok", "interval", "10s", "true"));
    add(job("ko", "interval", "10s", "false"));
    node.advance(Duration.ofSeconds(10));
    eventually(20, "two rows", () -> node.http.get("/ruqi/job_history_list").json().getJsonObject("data")
        .getInteger("total") == 2);
    JsonObject no = node.http.get("/ruqi/job_history_list?is_success=no").json().getJsonObject("data");
    assertEquals(1, no.getInteger("total"));
    assertEquals("ko", no.getJsonArray("list").getJsonObject(0).getString("job_id"));
    JsonObject yes = node.http.get("/ruqi/get_history?is_success=yes&page_index=1&page_size=1").json()
        .getJsonObject("data");
    assertEquals("ok", yes.getJsonArray("list").getJsonObject(0).getString("job_id"));
    assertEquals(1, node.http.get("/ruqi/job_history_list?status=failed").json().getJsonObject("data")
        .getInteger("total"));
    assertEquals("ERR_BAD_PARAMS", node.http.get("/ruqi/job_history_list?status=weird").stat());
    JsonObject row = node.history("ok").getJsonObject(0);
    for (String field : new String[] {"id", "job_id", "job_name", "cmd", "cmd_is_success", "cmd_output", "cmd_cost",
        "scheduler_name", "c_time", "fire_time", "start_time", "status", "attempt", "exit_code"}) {
      assertTrue(row.containsKey(field), field);
    }

    assertEquals(0, node.http.get("/ruqi/job_history_clear").json().getJsonObject("data").getInteger("deleted"),
        "the default keeps 180 days");
    node.clock.advance(Duration.ofDays(2));
    assertEquals(2, node.http.get("/ruqi/job_history_clear?days=1").json().getJsonObject("data")
        .getInteger("deleted"));
    assertEquals(0, node.http.get("/ruqi/job_history_list").json().getJsonObject("data").getInteger("total"));
  }

  @Test
  void scheduler_status_reports_the_heap_and_lateness() {
    settable(new JsonObject());
    add(job("st", "interval", "10s", "true"));
    node.advance(Duration.ofSeconds(7)); // 3 s before the fire: inside the read-ahead window
    eventually(10, "the fire is read ahead", () -> node.http.get("/ruqi/scheduler_status").json()
        .getJsonObject("data").getInteger("heap_size") == 1);
    JsonObject s = node.http.get("/ruqi/scheduler_status").json().getJsonObject("data");
    assertEquals("2026-11-21 12:00:10", s.getString("next_wakeup_time"));
    assertEquals(3.0, s.getDouble("wait_seconds"));
    assertEquals("2026-11-21 12:00:07", s.getString("check_time"));
    node.advance(Duration.ofSeconds(3));
    onlyRow("st");
    JsonObject after = node.http.get("/ruqi/scheduler_status").json().getJsonObject("data");
    assertEquals(1, after.getJsonObject("lateness").getInteger("samples"));
  }
}
