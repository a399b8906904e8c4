package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calendar operations through the real HTTP port (REST codes): set, get, list, delete; bad input refused with
 * a message and nothing changed; every change audited; a calendar in use not removed; job options checked;
 * job_next_times leaving out what a calendar rules out. MySqlCalendarApiTest runs the same on MariaDB.
 */
class CalendarApiTest {
  /** 2026-11-21 12:00:00 in Shanghai. */
  static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");

  TestNode node;

  JsonObject store() {
    return new JsonObject();
  }

  @BeforeEach
  void start() {
    node = TestNode.start(NOW, store().put("timezone", "Asia/Shanghai")
        .put("api", new JsonObject().put("http_status", "rest")));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  Reply post(String op, JsonObject body) {
    return node.http.post("/ruqi/" + op, body);
  }

  Reply set(String name, Object days) {
    return post("calendar_set", new JsonObject().put("calendar", name).put("days", days));
  }

  JsonObject ok(Reply r) {
    assertEquals(200, r.status(), r.toString());
    assertEquals("OK", r.stat(), r.toString());
    return r.json().getJsonObject("data");
  }

  void assertError(Reply r, int status, String stat, String msgPart) {
    assertEquals(status, r.status(), r.toString());
    assertEquals(stat, r.stat(), r.toString());
    String msg = r.json().getString("msg");
    assertTrue(msg.contains(msgPart), "'" + msg + "' should mention " + msgPart);
  }

  static JsonArray days(String... days) {
    return new JsonArray(List.of((Object[]) days));
  }

  JsonObject job(String id) {
    return new JsonObject().put("job_id", id).put("job_name", "cal").put("job_trigger", "interval").put("rule", "1h")
        .put("cmd", "true");
  }

  @Test
  void a_calendar_is_created_replaced_shown_and_listed() {
    JsonObject created = ok(set("holidays", days("2026-12-25", "2026-12-24..2026-12-26", "--01-01", "2026-12-25")));
    assertEquals("holidays", created.getString("calendar"));
    assertEquals(days("--01-01", "2026-12-24..2026-12-26", "2026-12-25"), created.getJsonArray("days"),
        "sorted, each once");
    assertEquals(1, created.getLong("version"));
    assertEquals("2026-11-21 12:00:00", created.getString("c_time"));
    JsonObject replaced = ok(set("holidays", " 2027-01-01, 2027-01-02\n2027-01-03\n"));
    assertEquals(days("2027-01-01", "2027-01-02", "2027-01-03"), replaced.getJsonArray("days"),
        "a text of days, as a form sends it");
    assertEquals(2, replaced.getLong("version"));
    assertEquals(replaced, ok(node.http.get("/ruqi/calendar_get?calendar=holidays")));
    ok(set("another", days()));
    JsonObject list = ok(node.http.get("/ruqi/calendar_list"));
    assertEquals(2, list.getInteger("total"));
    assertEquals("another", list.getJsonArray("list").getJsonObject(0).getString("calendar"));
    assertError(node.http.get("/ruqi/calendar_get?calendar=nope"), 404, "ERR", "No calendar");
  }

  @Test
  void bad_days_and_names_are_refused_and_change_nothing() {
    ok(set("holidays", days("2026-12-25")));
    assertError(set("holidays", days("2026-02-30")), 400, "ERR", "2026-02-30 is no date");
    assertError(set("holidays", days("2026-12-26..2026-12-24")), 400, "ERR", "ends before it starts");
    assertError(set("holidays", days("Christmas")), 400, "ERR", "'Christmas' is not a day");
    assertError(set("holidays", days("--02-30")), 400, "ERR", "no day of the year");
    assertError(set("holidays", new JsonArray().add(20261225)), 400, "ERR", "each entry of days is a text");
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      many.add(java.time.LocalDate.of(2026, 1, 1).plusDays(i).toString());
    }
    assertError(set("holidays", new JsonArray(many)), 400, "ERR", "at most 1000 entries");
    assertError(set("holidays", 7), 400, "ERR_BAD_PARAMS", "days must be a list");
    assertError(post("calendar_set", new JsonObject().put("calendar", "holidays")), 400, "ERR_BAD_PARAMS", "days");
    assertError(set("a b", days()), 400, "ERR", "is no calendar name");
    assertError(set("../x", days()), 400, "ERR", "is no calendar name");
    assertError(set("x\"y", days()), 400, "ERR", "is no calendar name");
    JsonObject still = ok(node.http.get("/ruqi/calendar_get?calendar=holidays"));
    assertEquals(1, still.getLong("version"), "nothing was changed");
    assertEquals(days("2026-12-25"), still.getJsonArray("days"));
    assertEquals(1, ok(node.http.get("/ruqi/calendar_list")).getInteger("total"));
  }

  @Test
  void job_options_name_an_existing_calendar_and_a_mode_of_skip_or_only() {
    assertError(post("job_add", job("j").put("calendar", "nope")), 400, "ERR", "there is no calendar nope");
    assertError(post("job_add", job("j").put("calendar", "x y")), 400, "ERR", "is no calendar name");
    ok(set("holidays", days("2026-12-25")));
    assertError(post("job_add", job("j").put("calendar", "holidays").put("calendar_mode", "never")), 400, "ERR",
        "calendar_mode must be skip or only");
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=j").stat(), "nothing was added");
    JsonObject added = ok(post("job_add", job("j").put("calendar", "holidays").put("calendar_mode", "ONLY")));
    assertEquals(new JsonObject().put("calendar", "holidays").put("calendar_mode", "only"),
        added.getJsonObject("options"));
    assertError(post("job_modify", new JsonObject().put("job_id", "j").put("calendar", "nope")), 400, "ERR",
        "there is no calendar nope");
    JsonObject reset = ok(post("job_modify", new JsonObject().put("job_id", "j").putNull("calendar")
        .putNull("calendar_mode")));
    assertEquals(new JsonObject(), reset.getJsonObject("options"), "a JSON null resets");
  }

  @Test
  void a_calendar_named_by_jobs_is_not_removed() {
    ok(set("holidays", days("2026-12-25")));
    ok(post("job_add", job("a").put("calendar", "holidays")));
    ok(post("job_add", job("b").put("calendar", "holidays").put("calendar_mode", "only")));
    ok(post("job_add", job("c").put("calendar_mode", "only")));
    Reply refused = post("calendar_delete", new JsonObject().put("calendar", "holidays"));
    assertError(refused, 409, "ERR", "named by jobs a, b;");
    ok(node.http.get("/ruqi/calendar_get?calendar=holidays"));
    ok(post("job_modify", new JsonObject().put("job_id", "a").putNull("calendar")));
    ok(post("job_remove", new JsonObject().put("job_id", "b")));
    assertEquals(new JsonObject().put("removed", "holidays"),
        ok(post("calendar_delete", new JsonObject().put("calendar", "holidays"))));
    assertError(node.http.get("/ruqi/calendar_get?calendar=holidays"), 404, "ERR", "No calendar");
    assertError(post("calendar_delete", new JsonObject().put("calendar", "holidays")), 404, "ERR", "No calendar");
  }

  /** A name with '_' (a LIKE wildcard) is matched exactly: a job naming a_c keeps a_c, not a_b nor axb. */
  @Test
  void the_jobs_that_keep_a_calendar_are_found_by_its_exact_name() {
    for (String name : List.of("a_b", "axb", "a_c")) {
      ok(set(name, days("2026-12-25")));
    }
    ok(post("job_add", job("j").put("calendar", "a_c")));
    ok(post("calendar_delete", new JsonObject().put("calendar", "a_b")));
    ok(post("calendar_delete", new JsonObject().put("calendar", "axb")));
    assertError(post("calendar_delete", new JsonObject().put("calendar", "a_c")), 409, "ERR", "named by job j;");
  }

  @Test
  void every_change_is_audited_with_before_and_after() {
    ok(set("holidays", days("2026-12-25")));
    ok(set("holidays", days("2026-12-26")));
    ok(post("calendar_delete", new JsonObject().put("calendar", "holidays")));
    set("holidays", days("bad")); // refused: no row
    JsonArray rows = ok(node.http.get("/ruqi/audit_list")).getJsonArray("list");
    assertEquals(3, rows.size(), rows.encodePrettily());
    JsonObject deleted = rows.getJsonObject(0);
    assertEquals("calendar_delete", deleted.getString("operation"));
    assertEquals(days("2026-12-26"), deleted.getJsonObject("before").getJsonArray("days"));
    assertNull(deleted.getValue("after"));
    JsonObject replaced = rows.getJsonObject(1);
    assertEquals("calendar_set", replaced.getString("operation"));
    assertEquals(days("2026-12-25"), replaced.getJsonObject("before").getJsonArray("days"));
    assertEquals(2, replaced.getJsonObject("after").getLong("version"));
    JsonObject created = rows.getJsonObject(2);
    assertNull(created.getValue("before"));
    assertEquals("anonymous", created.getString("actor"));
  }

  /** A change commits with its audit row: one whose row the database refuses (a trigger) leaves nothing. */
  @Test
  void a_change_whose_audit_row_fails_changes_nothing() {
    JsonObject before = ok(set("holidays", days("2026-12-25")));
    boolean mariaDb = store().containsKey("store");
    TestNode.await(node.node.stores().pool().query(mariaDb
        ? "CREATE TRIGGER refuse_audit BEFORE INSERT ON ruqi_audit FOR EACH ROW"
            + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit rows refused by the test'"
        : "CREATE TRIGGER refuse_audit BEFORE INSERT ON ruqi_audit FOR EACH ROW"
            + " BEGIN SELECT RAISE(ABORT, 'audit rows refused by the test'); END").execute());
    assertEquals(500, set("holidays", days("2026-12-26")).status());
    assertEquals(500, set("another", days("2026-12-26")).status());
    assertEquals(500, post("calendar_delete", new JsonObject().put("calendar", "holidays")).status());
    assertEquals(before, ok(node.http.get("/ruqi/calendar_get?calendar=holidays")));
    assertEquals(1, ok(node.http.get("/ruqi/calendar_list")).getInteger("total"));
  }

  @Test
  void next_times_leave_out_what_the_calendar_rules_out() {
    ok(set("holidays", days("2026-11-22..2026-11-23", "--11-25")));
    JsonObject skip = ok(node.http.get("/ruqi/job_next_times?job_trigger=cron&rule=0+0+9+*+*+*&count=3"
        + "&calendar=holidays"));
    assertEquals(days("2026-11-24 09:00:00", "2026-11-26 09:00:00", "2026-11-27 09:00:00"),
        skip.getJsonArray("times"));
    assertEquals("skip", skip.getString("calendar_mode"));
    JsonObject only = ok(node.http.get("/ruqi/job_next_times?job_trigger=cron&rule=0+0+9+*+*+*&count=4"
        + "&calendar=holidays&calendar_mode=only"));
    assertEquals(days("2026-11-22 09:00:00", "2026-11-23 09:00:00", "2026-11-25 09:00:00", "2027-11-25 09:00:00"),
        only.getJsonArray("times"), "every-year days go on into the next year");
    JsonObject none = ok(node.http.get("/ruqi/job_next_times?job_trigger=cron&rule=0+0+9+*+*+*&count=3"));
    assertFalse(none.containsKey("calendar"));
    assertEquals(3, none.getJsonArray("times").size());
    assertError(node.http.get("/ruqi/job_next_times?job_trigger=cron&rule=0+0+9+*+*+*&calendar=nope"), 400, "ERR",
        "no calendar nope");
    // a job that fires every second: the days ruled out are passed over whole, not fire by fire
    ok(set("twodays", days("2026-11-21..2026-11-22")));
    assertEquals(days("2026-11-23 00:00:00", "2026-11-23 00:00:01"), ok(node.http.get(
        "/ruqi/job_next_times?job_trigger=interval&rule=1s&count=2&calendar=twodays")).getJsonArray("times"));
  }

  @Test
  void export_carries_the_calendar_and_import_checks_it_exists() {
    ok(set("holidays", days("2026-12-25")));
    ok(post("job_add", job("a").put("calendar", "holidays").put("calendar_mode", "only")));
    JsonObject exported = ok(node.http.get("/ruqi/job_export")).getJsonArray("jobs").getJsonObject(0);
    assertEquals("holidays", exported.getString("calendar"));
    assertEquals("only", exported.getString("calendar_mode"));
    JsonObject other = exported.copy().put("job_id", "b").put("calendar", "elsewhere");
    assertError(post("job_import", new JsonObject().put("jobs", new JsonArray().add(exported).add(other))), 400,
        "ERR", "there is no calendar elsewhere");
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=b").stat(), "nothing was imported");
  }

  /** The README's calendar examples, run with the real curl as written but for the port. */
  @Test
  void the_readme_examples_work_as_written() throws Exception {
    ok(post("job_add", job("nightly").put("job_trigger", "cron").put("rule", "0 20 2 * * *")));
    JsonObject set = curl("-d", "{\"calendar\":\"holidays\",\"days\":[\"2026-12-24..2026-12-26\",\"2027-01-01\","
        + "\"--05-01\"]}", "http://127.0.0.1:8585/ruqi/calendar_set");
    assertEquals("OK", set.getString("stat"), set.encode());
    JsonObject modified = curl("-d", "{\"job_id\":\"nightly\",\"calendar\":\"holidays\"}",
        "http://127.0.0.1:8585/ruqi/job_modify");
    assertEquals("holidays", modified.getJsonObject("data").getJsonObject("options").getString("calendar"));
    JsonObject times = curl("http://127.0.0.1:8585/ruqi/job_next_times?job_trigger=cron&rule=0+0+9+*+*+*&count=3"
        + "&calendar=holidays");
    assertEquals(3, times.getJsonObject("data").getJsonArray("times").size(), times.encode());
    assertEquals(1, curl("http://127.0.0.1:8585/ruqi/calendar_get?calendar=holidays").getJsonObject("data")
        .getLong("version"));
    assertEquals(1, curl("http://127.0.0.1:8585/ruqi/calendar_list").getJsonObject("data").getInteger("total"));
    JsonObject refused = curl("-d", "{\"calendar\":\"holidays\"}", "http://127.0.0.1:8585/ruqi/calendar_delete");
    assertEquals("ERR", refused.getString("stat"));
    assertTrue(refused.getString("msg").contains("nightly"), refused.encode());
  }

  JsonObject curl(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("curl", "-s"));
    for (String a : args) {
      argv.add(a.replace("127.0.0.1:8585", "127.0.0.1:" + node.http.port()));
    }
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return new JsonObject(out);
  }
}
