package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A store made before an index was added gets it at the next start, and a store that has it starts again: the
 * schema's CREATE INDEX statements run at every start, with no IF NOT EXISTS (MySQL 8 has none).
 */
class SchemaUpgradeTest {
  final Vertx vertx = Vertx.vertx();

  String storeUrl() throws Exception {
    return "h2:" + Files.createTempDirectory("ruqi-schema").resolve("ruqi");
  }

  @AfterEach
  void close() {
    TestNode.await(vertx.close());
  }

  Stores open(String url) {
    return TestNode.await(StoreFactory.open(vertx, RuqiConfig.from(new JsonObject()
        .put("store", new JsonObject().put("url", url)))));
  }

  long fireTimeIndexColumns(Stores stores) {
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM INFORMATION_SCHEMA." + indexColumns()
        + " WHERE LOWER(INDEX_NAME) = 'ix_ruqi_jobs_history_fire_time'" + thisDatabase()).execute()).iterator().next()
        .getLong(0);
  }

  @Test
  void the_fire_time_index_is_added_to_an_existing_history_table_and_a_second_start_is_fine() throws Exception {
    String url = storeUrl();
    Stores first = open(url);
    TestNode.await(first.pool().query("DROP INDEX ix_ruqi_jobs_history_fire_time" + onTable(first)).execute());
    assertEquals(0, fireTimeIndexColumns(first), "a store as it was before the index");
    TestNode.await(first.close());

    Stores second = open(url);
    assertEquals(4, fireTimeIndexColumns(second));
    TestNode.await(second.close());
    Stores third = open(url);
    assertEquals(4, fireTimeIndexColumns(third));
    TestNode.await(third.close());
  }

  @Test
  void the_calendar_table_is_added_to_an_existing_store_and_kept_by_later_starts() throws Exception {
    String url = storeUrl();
    Stores first = open(url);
    TestNode.await(first.pool().query("DROP TABLE ruqi_calendar").execute());
    TestNode.await(first.close());

    Stores second = open(url);
    CalendarStore.Change created = TestNode.await(second.calendars().put("holidays", "[\"2026-12-25\"]",
        java.time.Instant.parse("2026-11-21T04:00:00Z"), change -> new AuditRecord(0,
        java.time.Instant.parse("2026-11-21T04:00:00Z"), "test", "calendar_set", null, null, null, "test")));
    assertEquals(1, created.after().version());
    TestNode.await(second.close());
    Stores third = open(url);
    List<CalendarRecord> kept = TestNode.await(third.calendars().list());
    assertEquals(1, kept.size());
    assertEquals("[\"2026-12-25\"]", kept.get(0).days());
    TestNode.await(third.close());
  }

  long parentColumns(Stores stores) {
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE"
        + " LOWER(COLUMN_NAME) = 'parent_fire_id' AND LOWER(TABLE_NAME) IN ('ruqi_jobs_history', 'ruqi_running')"
        + thisDatabase()).execute()).iterator().next().getLong(0);
  }

  @Test
  void the_chain_columns_are_added_to_existing_tables_with_their_rows_and_a_second_start_is_fine() throws Exception {
    String url = storeUrl();
    Stores first = open(url);
    TestNode.await(first.pool().query("ALTER TABLE ruqi_jobs_history DROP COLUMN parent_fire_id").execute());
    TestNode.await(first.pool().query("ALTER TABLE ruqi_running DROP COLUMN parent_fire_id").execute());
    assertEquals(0, parentColumns(first), "a store as it was before job chains");
    TestNode.await(first.pool().query("INSERT INTO ruqi_running (job_id, fire_time, node) VALUES"
        + " ('old', '2026-01-01 00:00:00', 'n1')").execute());
    TestNode.await(first.close());

    Stores second = open(url);
    assertEquals(2, parentColumns(second));
    assertEquals(1, TestNode.await(second.claims().takeOvers().runningOf("n1")).size(), "its rows are kept");
    assertEquals(null, TestNode.await(second.claims().takeOvers().runningOf("n1")).get(0).parentFireId());
    TestNode.await(second.close());
    Stores third = open(url);
    assertEquals(2, parentColumns(third));
    TestNode.await(third.close());
  }

  long workerColumns(Stores stores) {
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS"
        + " WHERE LOWER(TABLE_NAME) = 'ruqi_jobs_history' AND LOWER(COLUMN_NAME) = 'worker'" + thisDatabase())
        .execute()).iterator().next().getLong(0);
  }

  @Test
  void the_worker_column_is_added_to_an_existing_history_table_keeping_its_rows() throws Exception {
    String url = storeUrl();
    Stores first = open(url);
    TestNode.await(first.pool().query("ALTER TABLE ruqi_jobs_history DROP COLUMN worker").execute());
    assertEquals(0, workerColumns(first), "a store as it was before workers");
    TestNode.await(first.pool().query("INSERT INTO ruqi_jobs_history (job_id, job_name, cmd, cmd_is_success,"
        + " cmd_output, cmd_cost, scheduler_name, c_time, fire_time, status, attempt) VALUES ('old', 'old', 'true',"
        + " 1, '', 0, 'n', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'success', 1)").execute());
    TestNode.await(first.close());

    Stores second = open(url);
    assertEquals(1, workerColumns(second));
    Page<HistoryRow> rows = TestNode.await(second.history().list(new HistoryQuery("old", null, null, null, null,
        10)));
    assertEquals(1, rows.items().size(), "the old row is still there");
    assertEquals(null, rows.items().get(0).record().worker(), "and names no worker");
    TestNode.await(second.close());
    Stores third = open(url);
    assertEquals(1, workerColumns(third));
    TestNode.await(third.close());
  }

  /** Where the database lists the columns of its indexes. */
  String indexColumns() {
    return "INDEX_COLUMNS";
  }

  /** The condition that keeps to this store's own database (the MariaDB server holds every test's). */
  String thisDatabase() {
    return "";
  }

  /** MySQL names the table of an index to drop; H2 does not take it. */
  String onTable(Stores stores) {
    return "";
  }

}
