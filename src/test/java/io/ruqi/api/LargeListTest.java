package io.ruqi.api;

import io.ruqi.store.Dialect;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * job_list on more jobs than are worth counting on every page: {@code total} is exact up to 10,000 rows past the
 * page's start and a lower bound beyond, said by {@code "total_exact": false}; filtered, deep and last pages stay
 * exact where the bound covers them. Through the real HTTP port, on the embedded store here and on MariaDB in
 * MySqlLargeListTest, which also checks that a page no longer reads the whole table. The tests only read: the
 * table is made once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeListTest {
  static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");
  /** Jobs made in SQL: enough for a full count to read three times what the bounded one may. */
  static final int COPIES = 30_000;
  /** Those, one more of their name and one of another name, both added through the API. */
  static final long JOBS = COPIES + 2;

  TestNode node;

  @BeforeAll
  void start() {
    // the largest page the configuration allows, an export's
    node = TestNode.start(NOW, store().put("timezone", "UTC").put("api", new JsonObject().put("max_page_size", 10_000)));
    add("seed", "bulk");
    add("lone", "lone");
    insertJobs(node, numbers(COPIES));
  }

  /** Paused jobs named bulk, one per number, made a second apart as jobs are: the scheduler never reads them. */
  static void insertJobs(TestNode node, String numbers) {
    boolean sqlite = node.node.stores().dialect() == Dialect.SQLITE;
    String now = sqlite ? "strftime('%Y-%m-%dT%H:%M:%f', 'now')" : "CURRENT_TIMESTAMP";
    String created = sqlite ? "strftime('%Y-%m-%dT%H:%M:%f', 'now', n.i || ' seconds')"
        : "TIMESTAMPADD(SECOND, n.i, CURRENT_TIMESTAMP)";
    TestNode.await(node.node.stores().pool().query("INSERT INTO ruqi_jobs (id, job_name, job_trigger, job_rule, cmd,"
        + " job_state, timezone, anchor_time, paused, u_time, c_time) SELECT CONCAT('seed-', n.i), 'bulk',"
        + " 'interval', '3600', 'true', '{}', 'UTC', 0, 1, " + now + ", " + created
        + " FROM (" + numbers + ") n").execute());
  }

  /** The store the node uses: the embedded one here. */
  JsonObject store() {
    return new JsonObject();
  }

  /** The numbers 1 to {@code n} as a query of one column, {@code i}. */
  String numbers(int n) {
    return "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < " + n + ") SELECT i FROM seq";
  }

  @AfterAll
  void stop() {
    node.close();
  }

  void add(String id, String name) {
    Reply r = node.http.post("/ruqi/job_add", new JsonObject().put("job_id", id).put("job_name", name)
        .put("job_trigger", "interval").put("rule", "1h").put("cmd", "true"));
    assertEquals("OK", r.stat(), r.toString());
  }

  JsonObject list(String query) {
    Reply r = node.http.get("/ruqi/job_list?" + query);
    assertEquals("OK", r.stat(), query + ": " + r);
    return r.json().getJsonObject("data");
  }

  static void assertPage(JsonObject page, long total, boolean exact, int rows) {
    String shown = page.copy().put("list", page.getJsonArray("list").size() + " rows").encode();
    assertEquals(total, page.getLong("total"), shown);
    assertEquals(exact, page.getBoolean("total_exact"), shown);
    assertEquals(rows, page.getJsonArray("list").size(), shown);
  }

  @Test
  void the_first_page_of_a_large_table_says_more_than_ten_thousand() {
    assertPage(list("page_index=1&page_size=15"), 10_000, false, 15);
    JsonObject unasked = list("");
    // a page of 10,000: the count goes a page past it, so the reply says it left rows out
    assertPage(unasked, 20_000, false, 10_000);
    assertEquals(true, unasked.getBoolean("truncated"), "RuQi's every-row form still says it left rows out");
    Reply export = node.http.get("/ruqi/job_export?page_index=1");
    assertEquals("OK", export.stat(), export.toString());
    JsonObject exported = export.json().getJsonObject("data");
    assertEquals(10_000, exported.getJsonArray("jobs").size());
    assertEquals(20_000, exported.getLong("total"), "a pager by total goes on past a full export page");
  }

  @Test
  void deep_and_past_the_end_pages_are_exact_where_the_count_reaches_the_end() {
    // page 2,000 starts at row 29,986: the count goes 10,000 rows past it, beyond the last row
    assertPage(list("page_index=2000&page_size=15"), JOBS, true, 15);
    assertPage(list("page_index=2001&page_size=15"), JOBS, true, (int) (JOBS - 2000 * 15));
    assertPage(list("page_index=5000&page_size=15"), JOBS, true, 0);
    // a lower bound always lies past the next page: a pager can walk on
    assertPage(list("page_index=1000&page_size=15"), 999 * 15 + 10_000, false, 15);
  }

  @Test
  void filtered_lists_count_what_matches() {
    assertPage(list("job_name=lone&page_index=1"), 1, true, 1);
    assertPage(list("job_id=seed-7&page_index=1"), 1, true, 1);
    assertPage(list("job_name=nobody&page_index=1"), 0, true, 0);
    Reply history = node.http.get("/ruqi/job_history_list?page_index=1");
    assertEquals(0, history.json().getJsonObject("data").getLong("total"), history.toString());
    assertEquals(true, history.json().getJsonObject("data").getBoolean("total_exact"), history.toString());
  }
}
