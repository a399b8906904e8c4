package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code api.exact_totals: true}: lists count every matching row, as RuQi did, for a client that reads the total
 * once and pages up to it. On the embedded store here, on MariaDB in MySqlExactTotalsTest.
 */
class ExactTotalsTest {
  static final int JOBS = 10_050;

  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), store().put("timezone", "UTC")
        .put("api", new JsonObject().put("exact_totals", true)));
    LargeListTest.insertJobs(node, numbers(JOBS));
  }

  /** The store the node uses: the embedded one here. */
  JsonObject store() {
    return new JsonObject();
  }

  /** The numbers 1 to {@code n} as a query of one column, {@code i}. */
  String numbers(int n) {
    return "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < " + n + ") SELECT i FROM seq";
  }

  @AfterEach
  void stop() {
    node.close();
  }

  JsonObject data(String path) {
    Reply r = node.http.get(path);
    assertEquals("OK", r.stat(), path + ": " + r);
    return r.json().getJsonObject("data");
  }

  @Test
  void every_page_counts_every_row() {
    // past the 10,000 at which lists otherwise stop counting
    LargeListTest.assertPage(data("/ruqi/job_list?page_index=1&page_size=15"), JOBS, true, 15);
    LargeListTest.assertPage(data("/ruqi/job_list?job_name=bulk&page_index=2&page_size=15"), JOBS, true, 15);
    JsonObject unasked = data("/ruqi/job_list");
    LargeListTest.assertPage(unasked, JOBS, true, 1000);
    assertEquals(true, unasked.getBoolean("truncated"));
    JsonObject export = data("/ruqi/job_export?page_index=1");
    assertEquals(JOBS, export.getLong("total"), "job_export counts them all too");
  }
}
