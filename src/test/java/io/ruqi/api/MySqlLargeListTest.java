package io.ruqi.api;

import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.MySqlStores;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** LargeListTest on MariaDB, and what a page costs there: the rows InnoDB reads for it. */
class MySqlLargeListTest extends LargeListTest {
  private String database;

  @Override
  JsonObject store() {
    String url = MySqlStores.freshUrl("large");
    database = url.substring(url.lastIndexOf('/') + 1);
    return new JsonObject().put("store", new JsonObject().put("url", url));
  }

  @Override
  String numbers(int n) {
    return "SELECT seq AS i FROM seq_1_to_" + n;
  }

  /** Rows read from the jobs table so far (MariaDB's user statistics, switched on here). */
  long rowsRead() {
    String out = MariaDbServer.shared().sql("SET GLOBAL userstat = 1; SELECT COALESCE(SUM(ROWS_READ), 0) FROM"
        + " information_schema.TABLE_STATISTICS WHERE TABLE_SCHEMA = '" + database + "' AND TABLE_NAME = 'ruqi_jobs'");
    return Long.parseLong(out.strip().lines().reduce((a, b) -> b).orElseThrow().strip());
  }

  @Test
  void a_page_reads_a_bounded_number_of_rows_not_the_whole_table() {
    // statistics of the table as filled: those of its two first rows would make the idle node's own queries scan it
    MariaDbServer.shared().sql("ANALYZE TABLE `" + database + "`.ruqi_jobs");
    long before = rowsRead();
    MariaDbServer.shared().sql("SELECT COUNT(*) FROM `" + database + "`.ruqi_jobs");
    long fullCount = rowsRead() - before;
    assertTrue(fullCount >= JOBS, "the meter sees a full count: " + fullCount + " rows read");
    before = rowsRead();
    assertPage(list("page_index=1&page_size=15"), 10_000, false, 15);
    long page = rowsRead() - before;
    // the bounded count (10,001) and the page (15), and what the idle node reads meanwhile
    assertTrue(page <= 10_100, "page 1 read " + page + " rows of " + JOBS);
  }
}
