package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.Scripts;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation and every error class, through the real HTTP port, with the REST codes a new client opts in to
 * ({@code api.http_status: rest}; RuqiClientTest pins RuQi's 200). The service zone is Asia/Shanghai (UTC+8).
 */
class ApiHttpTest {
  /** 2026-11-21 12:00:00 in Shanghai. */
  static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");

  TestNode node;

  @BeforeEach
  void start() {
    // the scripts the jobs below name: a job whose script is missing is refused
    Path scripts = Scripts.dir("scripts/test.sh", "scripts/a.sh", "scripts/x.sh", "scripts/clean.py", "b.sh", "x.sh");
    node = TestNode.start(NOW, store().put("timezone", "Asia/Shanghai")
        .put("api", new JsonObject().put("http_status", "rest"))
        .put("exec", new JsonObject().put("workdir", scripts.toString())));
  }

  /** The store the node uses: the embedded one here; MySqlApiHttpTest runs the same tests on MariaDB. */
  JsonObject store() {
    return new JsonObject();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  static JsonObject job(String id, String trigger, String rule, String cmd) {
    return new JsonObject().put("job_id", id).put("job_name", "platform").put("job_trigger", trigger)
        .put("rule", rule).put("cmd", cmd);
  }

  Reply post(String op, JsonObject body) {
    return node.http.post("/ruqi/" + op, body);
  }

  JsonObject show(String id) {
    Reply r = node.http.get("/ruqi/job_show?job_id=" + id);
    assertEquals(200, r.status(), r.toString());
    return r.json().getJsonObject("data");
  }

  long total() {
    return node.http.get("/ruqi/job_list").json().getJsonObject("data").getLong("total");
  }

  void assertError(Reply r, int status, String stat, String msgPart) {
    assertEquals(status, r.status(), r.toString());
    assertEquals(stat, r.stat(), r.toString());
    String msg = r.json().getString("msg");
    assertNotNull(msg, "a human message in the body");
    assertTrue(msg.toLowerCase().contains(msgPart.toLowerCase()), "'" + msg + "' should mention " + msgPart);
    if (msg.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      assertEquals(msg, r.header("x-reason"), "RuQi's x-reason header carries it too");
    } else {
      assertNotNull(r.header("x-reason"));
    }
  }

  // ---- adding, under both name sets ----

  @Test
  void job_add_interval_answers_ok_and_the_job_fires_one_interval_from_now() {
    Reply r = post("job_add", job("test3", "interval", "10s", "bash scripts/test.sh"));
    assertEquals(200, r.status(), r.toString());
    assertEquals("OK", r.stat());
    JsonObject shown = show("test3");
    assertEquals("2026-11-21 12:00:10", shown.getString("next_run_time"));
    assertEquals("2026-11-21 12:00:10", shown.getString("nexttime"));
    assertEquals("10s", shown.getString("rule"));
    assertEquals("interval", shown.getString("job_trigger"));
    assertEquals("platform", shown.getString("job_name"));
    assertEquals("bash scripts/test.sh", shown.getString("cmd"));
    assertEquals("2026-11-21 12:00:00", shown.getString("c_time"));
  }

  @Test
  void add_job_2021_name_get_jobs_and_get_job_serve_the_same() {
    assertEquals("OK", post("add_job", job("a", "cron", "0 20 2 * * *", "bash scripts/a.sh")).stat());
    JsonObject list = node.http.get("/ruqi/get_jobs").json().getJsonObject("data");
    assertEquals(1, list.getLong("total"));
    JsonObject item = list.getJsonArray("list").getJsonObject(0);
    assertEquals("a", item.getString("job_id"));
    assertEquals("2026-11-22 02:20:00", item.getString("next_run_time"));
    assertEquals("2026-11-22 02:20:00", node.http.get("/ruqi/get_job?job_id=a").json()
        .getJsonObject("data").getString("nexttime"));
  }

  @ParameterizedTest
  @CsvSource({"1h,3600s", "5m,300s", "2d,172800s", "1h30m,5400s", "90s,90s"})
  void intervals_are_listed_in_seconds(String rule, String listed) {
    assertEquals("OK", post("job_add", job("i", "interval", rule, "true")).stat());
    assertEquals(listed, show("i").getString("rule"));
  }

  @Test
  void a_date_job_fires_at_its_date_and_now_fires_at_once() {
    assertEquals("OK", post("job_add", job("d", "date", "2026-12-01 08:00:00", "true")).stat());
    assertEquals("2026-12-01 08:00:00", show("d").getString("next_run_time"));
    // the scheduler may fire it before the next request: the reply shows it as added
    Reply now = post("job_add", job("n", "date", "now", "true"));
    assertEquals("OK", now.stat());
    assertEquals("2026-11-21 12:00:00", now.json().getJsonObject("data").getString("next_run_time"));
  }

  @Test
  void a_date_long_past_is_refused_and_nothing_is_stored() {
    assertError(post("job_add", job("old", "date", "2026-11-21 11:00:00", "true")), 400, "ERR", "past");
    assertEquals(0, total());
  }

  @Test
  void a_job_time_zone_is_used_for_its_rule_and_its_times() {
    JsonObject body = job("ny", "cron", "0 0 9 * * *", "true").put("timezone", "America/New_York");
    assertEquals("OK", post("job_add", body).stat());
    JsonObject shown = show("ny");
    // 04:00Z is 23:00 on Nov 20 in New York: the next 09:00 there is Nov 21, 14:00Z
    assertEquals("2026-11-21 09:00:00", shown.getString("next_run_time"));
    assertEquals("America/New_York", shown.getString("timezone"));
  }

  @Test
  void weekday_numbers_count_from_monday_and_names_mean_what_they_say() {
    // 2026-11-21 is a Saturday
    assertEquals("OK", post("job_add", job("mon", "cron", "0 0 9 * * 0", "true")).stat());
    assertEquals("2026-11-23 09:00:00", show("mon").getString("next_run_time"));
    assertEquals("OK", post("job_add", job("sun", "cron", "0 0 9 * * sun", "true")).stat());
    assertEquals("2026-11-22 09:00:00", show("sun").getString("next_run_time"));
  }

  // ---- validation: ERR, nothing stored ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cron|70 * * * * *|second",
      "cron|0 20 2 * *|6 fields",
      "cron|* * * * * 7|7",
      "date|2021-02-30|2021-02-30",
      "date|2026-13-01 00:00:00|13",
      "interval|0s|1 second",
      "interval|-5s|-5s",
      "interval|10w|10w",
      "weekly|10s|job_trigger"})
  void invalid_rules_get_err_naming_the_field_and_store_nothing(String trigger, String rule, String mention) {
    assertError(post("job_add", job("bad", trigger, rule, "true")), 400, "ERR", mention);
    assertEquals(0, total());
  }

  @Test
  void an_empty_rule_and_an_unknown_zone_are_refused() {
    assertError(post("job_add", job("bad", "cron", "", "true")), 400, "ERR", "rule");
    assertError(post("job_add", job("bad", "cron", "0 0 9 * * *", "true").put("timezone", "Mars/Olympus")),
        400, "ERR", "Mars/Olympus");
    assertEquals(0, total());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash a.sh && rm -rf /", "http://example.test/p#{bad json", "", "echo 'unbalanced",
      "eventbus:#{}"})
  void invalid_commands_get_err_and_store_nothing(String cmd) {
    assertError(post("job_add", job("bad", "interval", "10s", cmd)), 400, "ERR", "cmd");
    assertEquals(0, total());
  }

  @Test
  void every_command_form_is_accepted() {
    String[] cmds = {"bash scripts/x.sh a 'b c'", "http://127.0.0.1:9/p", "https://127.0.0.1:9/p#{\"a\":\"#1\"}",
        "/demo_api/hello#{\"x\":1}", "eventbus:reports.daily#{\"k\":[1,2]}"};
    for (int i = 0; i < cmds.length; i++) {
      assertEquals("OK", post("job_add", job("c" + i, "interval", "10s", cmds[i])).stat(), cmds[i]);
    }
    assertEquals(cmds.length, total());
  }

  // ---- parameters: ERR_BAD_PARAMS ----

  @Test
  void a_missing_parameter_is_bad_params() {
    JsonObject body = job("x", "interval", "10s", "true");
    body.remove("cmd");
    assertError(post("job_add", body), 400, "ERR_BAD_PARAMS", "cmd");
    assertError(node.http.get("/ruqi/job_show"), 400, "ERR_BAD_PARAMS", "job_id");
  }

  @Test
  void an_ill_typed_parameter_is_bad_params() {
    JsonObject body = job("x", "interval", "10s", "true").put("job_id", 5);
    assertError(post("job_add", body), 400, "ERR_BAD_PARAMS", "job_id");
    assertError(node.http.get("/ruqi/job_list?page_index=abc"), 400, "ERR_BAD_PARAMS", "page_index");
    assertError(post("job_add", job("x", "interval", "10s", "true").put("max_instances", 0)),
        400, "ERR_BAD_PARAMS", "max_instances");
    assertError(post("job_add", job("x", "interval", "10s", "true").put("timeout", "soon")),
        400, "ERR_BAD_PARAMS", "timeout");
    assertEquals(0, total());
  }

  @Test
  void a_body_that_is_not_a_json_object_is_bad_params() {
    assertError(node.http.send("POST", "/ruqi/job_add", "[1,2]", "application/json"), 400, "ERR_BAD_PARAMS", "object");
    assertError(node.http.send("POST", "/ruqi/job_add", "{\"job_id\":", "application/json"), 400,
        "ERR_BAD_PARAMS", "JSON");
    assertEquals(0, total());
  }

  @Test
  void an_unsupported_content_type_is_415() {
    assertError(node.http.send("POST", "/ruqi/job_add", "<job/>", "text/xml"), 415, "ERR_BAD_PARAMS", "content type");
  }

  @Test
  void a_body_over_the_limit_is_413() {
    String big = "{\"cmd\":\"" + "x".repeat(70_000) + "\"}";
    Reply r = node.http.send("POST", "/ruqi/job_add", big, "application/json");
    assertEquals(413, r.status(), r.toString());
    assertEquals("ERR_BAD_PARAMS", r.stat());
    assertEquals(0, total());
  }

  @Test
  void field_lengths_are_refused_one_past_their_limit_and_taken_at_it() {
    String id255 = "i".repeat(255);
    assertError(post("job_add", job(id255 + "i", "interval", "10s", "true")), 400, "ERR_BAD_PARAMS", "job_id");
    assertError(post("job_add", job("n", "interval", "10s", "true").put("job_name", "n".repeat(256))),
        400, "ERR_BAD_PARAMS", "job_name");
    // a cron rule of 256 characters: six fields padded with the blanks a rule may repeat
    assertError(post("job_add", job("r", "cron", "0 0 3 * *" + " ".repeat(246) + "*", "true")),
        400, "ERR_BAD_PARAMS", "rule");
    String cmd8192 = "echo " + "c".repeat(8192 - 5);
    assertError(post("job_add", job("c", "interval", "10s", cmd8192 + "c")), 400, "ERR_BAD_PARAMS", "cmd");
    assertEquals(0, total(), "nothing refused was stored");
    assertEquals("OK", post("job_add", job(id255, "interval", "10s", cmd8192).put("job_name", "n".repeat(255)))
        .stat());
    assertEquals("OK", post("job_add", job("r", "cron", "0 0 3 * *" + " ".repeat(245) + "*", "true")).stat());
    assertEquals(8192, show(id255).getString("cmd").length());
  }

  @Test
  void parameters_nested_deeper_than_sixteen_levels_are_refused() {
    assertEquals("OK", post("job_list", new JsonObject().put("extra", nested(15))).stat(), "16 levels are taken");
    assertError(post("job_list", new JsonObject().put("extra", nested(16))), 400, "ERR_BAD_PARAMS", "nested");
    assertError(post("job_add", job("deep", "interval", "10s", "true").put("extra", nested(16))),
        400, "ERR_BAD_PARAMS", "16 levels");
    assertEquals(0, total());
  }

  /** A value at level {@code objects + 1} of a body that holds it under one key: {@code {"a":{"a":...1}}}. */
  static Object nested(int objects) {
    Object value = 1;
    for (int i = 0; i < objects; i++) {
      value = new JsonObject().put("a", value);
    }
    return value;
  }

  @Test
  void unknown_parameters_are_ignored() {
    JsonObject body = job("x", "interval", "10s", "true").put("perPage", 10).put("items", new JsonArray().add(1));
    assertEquals("OK", post("job_add", body).stat());
  }

  @Test
  void query_and_body_merge_and_the_body_wins() {
    JsonObject body = job("m", "interval", "10s", "true").put("job_name", "from-body");
    Reply r = node.http.post("/ruqi/job_add?job_name=from-query&rule=99s", body);
    assertEquals("OK", r.stat(), r.toString());
    assertEquals("from-body", show("m").getString("job_name"));
    assertEquals("10s", show("m").getString("rule"));
    Reply q = node.http.get("/ruqi/job_add?job_id=q&job_name=n&job_trigger=interval&rule=5m&cmd=true");
    assertEquals("OK", q.stat(), q.toString());
    assertEquals("300s", show("q").getString("rule"));
  }

  @Test
  void routes_ignore_a_trailing_slash_and_case() {
    assertEquals(200, node.http.get("/ruqi/job_list/").status());
    assertEquals(200, node.http.get("/ruqi/JOB_LIST").status());
  }

  // ---- conflicts and missing jobs ----

  @Test
  void a_duplicate_job_id_is_409_and_the_first_job_is_unchanged() {
    assertEquals("OK", post("job_add", job("dup", "interval", "10s", "echo first")).stat());
    assertError(post("job_add", job("dup", "interval", "20s", "echo second")), 409, "ERR", "already exists");
    assertEquals("echo first", show("dup").getString("cmd"));
    assertEquals(1, total());
  }

  @ParameterizedTest
  @ValueSource(strings = {"job_show", "job_remove", "job_pause", "job_resume", "job_modify", "get_job", "remove_job",
      "pause_job", "resume_job", "modify_job"})
  void a_missing_job_is_404_err(String op) {
    assertError(post(op, new JsonObject().put("job_id", "ghost")), 404, "ERR", "ghost");
  }

  @Test
  void unknown_routes_get_404_with_a_json_body() {
    assertError(node.http.get("/ruqi/no_such_op"), 404, "ERR_NOT_FOUND", "not found");
    assertError(node.http.get("/elsewhere"), 404, "ERR_NOT_FOUND", "not found");
  }

  @Test
  void replies_carry_ruqi_headers() {
    Reply r = node.http.get("/ruqi/job_list");
    assertTrue(r.header("x-reqid").matches("[0-9a-f]{16}"), r.header("x-reqid"));
    assertTrue(r.header("x-cost").matches("\\d+\\.\\d{6}"), r.header("x-cost"));
    assertNull(r.header("x-reason"));
    assertTrue(r.header("content-type").startsWith("application/json"));
  }

  // ---- pause, resume, modify, remove ----

  @Test
  void pause_clears_next_run_time_and_resume_returns_to_the_interval_grid() {
    post("job_add", job("p", "interval", "10s", "true"));
    assertEquals("OK", post("job_pause", new JsonObject().put("job_id", "p")).stat());
    JsonObject paused = show("p");
    assertNull(paused.getValue("next_run_time"));
    assertEquals("None", paused.getString("nexttime"), "RuQi's nexttime is Python's str(None)");
    assertEquals("paused", paused.getString("state"));
    assertEquals("OK", post("pause_job", new JsonObject().put("job_id", "p")).stat(), "pausing twice is fine");
    node.clock.advance(Duration.ofSeconds(3603));
    assertEquals("OK", post("resume_job", new JsonObject().put("job_id", "p")).stat());
    JsonObject resumed = show("p");
    // the grid is 12:00:10 + k*10s; now is 13:00:03
    assertEquals("2026-11-21 13:00:10", resumed.getString("next_run_time"));
    assertEquals("scheduled", resumed.getString("state"));
  }

  @Test
  void modify_recomputes_next_run_time_from_the_new_rule() {
    post("job_add", job("m", "cron", "0 20 2 * * *", "echo old"));
    node.clock.advance(Duration.ofMinutes(5));
    Reply r = post("job_modify", job("m", "cron", "0 0 3 * * *", "echo new"));
    assertEquals("OK", r.stat(), r.toString());
    JsonObject shown = show("m");
    assertEquals("2026-11-22 03:00:00", shown.getString("next_run_time"));
    assertEquals("echo new", shown.getString("cmd"));
    assertEquals("0 0 3 * * *", shown.getString("rule"));
  }

  @Test
  void modify_of_only_the_command_keeps_the_interval_grid() {
    post("job_add", job("g", "interval", "10s", "echo old"));
    node.clock.advance(Duration.ofSeconds(4));
    assertEquals("OK", post("modify_job", new JsonObject().put("job_id", "g").put("cmd", "echo new")).stat());
    assertEquals("2026-11-21 12:00:10", show("g").getString("next_run_time"));
  }

  @Test
  void a_modified_paused_job_stays_paused() {
    post("job_add", job("pp", "interval", "10s", "true"));
    post("job_pause", new JsonObject().put("job_id", "pp"));
    assertEquals("OK", post("job_modify", job("pp", "interval", "20s", "true")).stat());
    JsonObject shown = show("pp");
    assertNull(shown.getValue("next_run_time"));
    assertEquals("20s", shown.getString("rule"));
  }

  @Test
  void an_invalid_modify_changes_nothing() {
    post("job_add", job("v", "interval", "10s", "echo ok"));
    assertError(post("job_modify", job("v", "cron", "70 * * * * *", "echo changed")), 400, "ERR", "second");
    JsonObject shown = show("v");
    assertEquals("10s", shown.getString("rule"));
    assertEquals("echo ok", shown.getString("cmd"));
    assertEquals(0, shown.getLong("version"));
  }

  @Test
  void a_json_null_resets_a_policy_to_the_service_default() {
    JsonObject policies = new JsonObject().put("timeout", 5).put("retries", 2).put("coalesce", true)
        .put("alert_url", "http://127.0.0.1:9/alert").put("delivery", "at_least_once");
    assertEquals("OK", post("job_add", job("p", "interval", "10s", "true").mergeIn(policies)).stat());
    JsonObject given = show("p").getJsonObject("options");
    for (String name : policies.fieldNames()) {
      assertEquals(policies.getValue(name), given.getValue(name), name + " as given: " + given);
    }
    JsonObject nulls = new JsonObject().put("job_id", "p");
    policies.fieldNames().forEach(nulls::putNull);
    assertEquals("OK", post("job_modify", nulls).stat());
    JsonObject options = show("p").getJsonObject("options");
    for (String name : policies.fieldNames()) {
      assertTrue(!options.containsKey(name), name + " is back to the service default: " + options);
    }
    assertEquals("OK", post("job_add", job("q", "interval", "10s", "true").putNull("timeout")).stat(),
        "a null on add is the default too");
    assertEquals(new JsonObject(), show("q").getJsonObject("options"));
  }

  @Test
  void job_history_clear_takes_days_or_before_and_keeps_to_the_job_id_or_name_it_is_given() {
    // no scheduled fire within the test: only the runs by hand leave rows
    for (String[] j : new String[][] {{"a", "x"}, {"b", "x"}, {"c", "y"}}) {
      assertEquals("OK", post("job_add", job(j[0], "cron", "0 0 3 1 1 *", "true").put("job_name", j[1])).stat());
    }
    runEach(3, "a", "b", "c"); // rows at 12:00:00 on 21 November
    node.clock.advance(Duration.ofDays(10).plusSeconds(7));
    runEach(6, "a", "b", "c"); // and at 12:00:07 ten days later
    assertEquals(1, cleared(new JsonObject().put("days", 5).put("job_id", "a")), "a's old row only");
    assertEquals(1, cleared(new JsonObject().put("before", "2026-11-25").put("job_name", "x")), "b's old row");
    assertEquals(0, cleared(new JsonObject().put("before", "2026-11-21 12:00:00").put("job_name", "y")),
        "c's rows of 12:00:00 are not before 12:00:00");
    assertEquals(2, cleared(new JsonObject().put("before", "2026-12-01 12:00:08").put("job_name", "y")),
        "both of c's rows");
    assertEquals(0, cleared(new JsonObject()), "the default keeps 180 days");
    assertEquals(2, historyTotal(), "a's and b's new rows stay");
    assertError(post("job_history_clear", new JsonObject().put("before", "soon")), 400, "ERR", "before");
    assertEquals(2, historyTotal(), "a refused clear deletes nothing");
  }

  @Test
  void a_run_by_hand_at_the_millisecond_of_a_scheduled_fire_has_a_fire_id_of_its_own() {
    post("job_add", job("dup", "interval", "1h", "true"));
    node.clock.advance(Duration.ofHours(1)); // 13:00:00.000, the scheduled fire's very millisecond
    TestNode.eventually(20, "the scheduled fire's row", () -> historyTotal() == 1);
    Reply run = post("job_run", new JsonObject().put("job_id", "dup"));
    assertEquals("OK", run.stat(), run.toString());
    long scheduled = NOW.plus(Duration.ofHours(1)).toEpochMilli();
    assertEquals("dup@" + (scheduled + 1), run.json().getJsonObject("data").getString("fire_id"),
        "the next millisecond, not the scheduled fire's id dup@" + scheduled);
    TestNode.eventually(20, "the run's own row", () -> historyTotal() == 2);
  }

  void runEach(int rowsAfter, String... ids) {
    for (String id : ids) {
      assertEquals("OK", post("job_run", new JsonObject().put("job_id", id)).stat());
    }
    TestNode.eventually(20, rowsAfter + " history rows", () -> historyTotal() == rowsAfter);
  }

  long historyTotal() {
    return node.http.get("/ruqi/job_history_list").json().getJsonObject("data").getLong("total");
  }

  long cleared(JsonObject filter) {
    Reply r = post("job_history_clear", filter);
    assertEquals("OK", r.stat(), r.toString());
    return r.json().getJsonObject("data").getLong("deleted");
  }

  @Test
  void a_modify_naming_a_stale_version_is_a_conflict() {
    post("job_add", job("o", "interval", "10s", "echo 1"));
    assertEquals("OK", post("job_modify", job("o", "interval", "10s", "echo 2").put("version", 0)).stat());
    assertError(post("job_modify", job("o", "interval", "10s", "echo 3").put("version", 0)), 409, "ERR_CONFLICT",
        "version");
    assertEquals("echo 2", show("o").getString("cmd"));
  }

  @Test
  void remove_deletes_the_job_and_works_with_get() {
    post("job_add", job("r", "interval", "10s", "true"));
    assertEquals("OK", node.http.get("/ruqi/remove_job?job_id=r").stat());
    assertEquals(0, total());
  }

  // ---- lists ----

  @Test
  void lists_page_filter_and_show_newest_first() {
    for (int i = 1; i <= 20; i++) {
      JsonObject body = job("j" + i, "interval", "10s", "true").put("job_name", i % 2 == 0 ? "even" : "odd");
      assertEquals("OK", post("job_add", body).stat());
      node.clock.advance(Duration.ofSeconds(1));
    }
    JsonObject all = node.http.get("/ruqi/job_list").json().getJsonObject("data");
    assertEquals(20, all.getLong("total"));
    assertEquals(20, all.getJsonArray("list").size(), "no page_index: every row");
    assertEquals("j20", all.getJsonArray("list").getJsonObject(0).getString("job_id"));

    JsonObject page2 = node.http.get("/ruqi/job_list?page_index=2").json().getJsonObject("data");
    assertEquals(20, page2.getLong("total"));
    assertEquals(5, page2.getJsonArray("list").size(), "default page size 15");
    assertEquals("j5", page2.getJsonArray("list").getJsonObject(0).getString("job_id"));

    JsonObject even = node.http.get("/ruqi/job_list?job_name=even&page_index=1&page_size=3").json()
        .getJsonObject("data");
    assertEquals(10, even.getLong("total"));
    assertEquals(3, even.getJsonArray("list").size());
    assertEquals("j20", even.getJsonArray("list").getJsonObject(0).getString("job_id"));

    JsonObject one = node.http.get("/ruqi/job_list?job_id=j7&job_name=").json().getJsonObject("data");
    assertEquals(1, one.getLong("total"));
    JsonObject item = one.getJsonArray("list").getJsonObject(0);
    for (String field : new String[] {"job_id", "job_name", "job_trigger", "cmd", "rule", "next_run_time", "c_time"}) {
      assertTrue(item.containsKey(field), field);
    }
  }

  // ---- RuQi's older shapes ----

  @Test
  void the_2019_add_job_shape_uses_the_name_as_id_and_replaces() {
    JsonObject legacy = new JsonObject().put("name", "backup").put("rule", "0 0 1 * * *").put("cmd", "bash b.sh");
    assertEquals("OK", post("add_job", legacy).stat());
    JsonObject shown = show("backup");
    assertEquals("cron", shown.getString("job_trigger"));
    assertEquals("backup", shown.getString("job_name"));
    assertEquals("2026-11-22 01:00:00", shown.getString("next_run_time"));
    assertEquals("OK", post("add_job", legacy.copy().put("rule", "0 0 2 * * *")).stat(), "replaces, no conflict");
    assertEquals("0 0 2 * * *", show("backup").getString("rule"));
    assertEquals(1, total());
  }

  @Test
  void the_2019_remove_job_shape_removes_every_job_of_that_name() {
    post("job_add", job("a1", "interval", "10s", "true").put("job_name", "batch"));
    post("job_add", job("a2", "interval", "10s", "true").put("job_name", "batch"));
    post("job_add", job("keep", "interval", "10s", "true").put("job_name", "other"));
    Reply r = post("remove_job", new JsonObject().put("name", "batch"));
    assertEquals("OK", r.stat());
    assertEquals(2, r.json().getJsonObject("data").getInteger("removed"));
    assertEquals(1, total());
  }

  // ---- one-line form and previews ----

  @Test
  void job_add_by_line_reads_interval_cron_and_date_lines() {
    Reply r = post("job_add_by_line", new JsonObject().put("line", "1d python scripts/clean.py"));
    assertEquals("OK", r.stat(), r.toString());
    String derived = r.json().getJsonObject("data").getString("job_id");
    assertTrue(derived.startsWith("clean.py-"), derived);
    assertEquals("86400s", show(derived).getString("rule"));
    assertEquals("python scripts/clean.py", show(derived).getString("cmd"));

    assertEquals("OK", post("job_add_by_line", new JsonObject().put("job_id", "c")
        .put("line", "0 20 2 * * * bash scripts/a.sh --full")).stat());
    assertEquals("cron", show("c").getString("job_trigger"));
    assertEquals("bash scripts/a.sh --full", show("c").getString("cmd"));

    assertEquals("OK", post("job_add_by_line", new JsonObject().put("job_id", "d")
        .put("line", "2026-12-01 08:00:00 bash x.sh")).stat());
    assertEquals("2026-12-01 08:00:00", show("d").getString("next_run_time"));

    assertError(post("job_add_by_line", new JsonObject().put("line", "10s")), 400, "ERR", "command");
  }

  @Test
  void job_next_times_previews_without_storing() {
    Reply r = post("job_next_times", new JsonObject().put("job_trigger", "cron").put("rule", "*/10 * * * * *")
        .put("count", 3));
    assertEquals("OK", r.stat(), r.toString());
    assertEquals(new JsonArray().add("2026-11-21 12:00:10").add("2026-11-21 12:00:20").add("2026-11-21 12:00:30"),
        r.json().getJsonObject("data").getJsonArray("times"));
    assertError(post("job_next_times", new JsonObject().put("job_trigger", "cron").put("rule", "* * *")), 400, "ERR",
        "6 fields");
    assertEquals(0, total());
  }

  @Test
  void job_next_times_follows_dst_in_a_real_zone() {
    // 2026-03-08: New York skips 02:00-03:00; a 02:30 job runs once, at 03:30 EDT
    Reply spring = post("job_next_times", new JsonObject().put("job_trigger", "cron").put("rule", "0 30 2 * * *")
        .put("timezone", "America/New_York").put("from", "2026-03-07 12:00:00").put("count", 3));
    assertEquals(new JsonArray().add("2026-03-08 03:30:00").add("2026-03-09 02:30:00").add("2026-03-10 02:30:00"),
        spring.json().getJsonObject("data").getJsonArray("times"), spring.toString());
    // 2026-11-01: 01:00-02:00 happens twice; a 01:30 job runs once
    Reply fall = post("job_next_times", new JsonObject().put("job_trigger", "cron").put("rule", "0 30 1 * * *")
        .put("timezone", "America/New_York").put("from", "2026-10-31 12:00:00").put("count", 2));
    assertEquals(new JsonArray().add("2026-11-01 01:30:00").add("2026-11-02 01:30:00"),
        fall.json().getJsonObject("data").getJsonArray("times"), fall.toString());
  }

  // ---- scheduler ----

  @Test
  void scheduler_status_and_wakeup_answer_under_both_names() {
    post("job_add", job("s", "interval", "10s", "true"));
    for (String op : new String[] {"scheduler_status", "status"}) {
      Reply r = node.http.get("/ruqi/" + op);
      assertEquals("OK", r.stat(), r.toString());
      JsonObject data = r.json().getJsonObject("data");
      assertEquals("2026-11-21 12:00:00", data.getString("check_time"));
      assertEquals("2026-11-21 12:00:10", data.getString("next_wakeup_time"));
      assertNotNull(data.getValue("wait_seconds"));
    }
    assertEquals("OK", node.http.get("/ruqi/scheduler_wakeup").stat());
    assertEquals("OK", node.http.get("/ruqi/wakeup").stat());
  }
}
