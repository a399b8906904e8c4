package io.ruqi.store;

import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.TestNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The history queue tests on MariaDB. */
class MySqlHistoryWriterTest extends HistoryWriterTest {
  @Override
  String storeUrl() {
    return MySqlStores.freshUrl("history");
  }

  /**
   * MariaDB's INSERT IGNORE (a fire is recorded once) turns a value its column would refuse into a truncated value
   * and a warning: there, the over-long row is no poison; it is kept, cut, and the batch goes through whole.
   */
  @Test
  @Override
  void a_row_the_database_refuses_costs_only_itself() {
    List<HistoryRecord> rows = List.of(row("a", "n", 1), row("long", "x".repeat(300), 2), row("c", "n", 3));
    rows.forEach(this::running);
    HistoryWriter writer = new HistoryWriter(vertx, stores.history(), 500, 60_000, 1_000, registry);
    TestNode.await(on(() -> {
      rows.forEach(writer::add);
      return writer.flush();
    }));
    assertEquals(3, count("ruqi_jobs_history"));
    assertEquals(0, count("ruqi_running"));
    assertEquals(0.0, counter("ruqi.history.rejected"));
  }
}
