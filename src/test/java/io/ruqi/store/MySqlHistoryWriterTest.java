package io.ruqi.store;

import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history queue tests on MariaDB, and what only a database with connections to spare shows: a backlog written
 * side by side.
 */
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

  /**
   * A write held up (here by another transaction's lock on its fire's running row) does not hold the rows behind
   * it: once a batch's worth waits, a second write takes them and commits, but not a row of the held write's job,
   * which comes after it. Rows short of a batch wait for a write to end, and a flush waits for every write.
   */
  @Test
  void a_backlog_is_written_beside_a_write_that_waits() {
    HistoryRecord a = row("a", "n", 1);
    HistoryRecord aLater = row("a", "n", 5);
    HistoryRecord b = row("b", "n", 2);
    HistoryRecord c = row("c", "n", 3);
    HistoryRecord d = row("d", "n", 4);
    List.of(a, aLater, b, c, d).forEach(this::running);
    SqlConnection holder = TestNode.await(stores.pool().getConnection());
    Transaction lock = TestNode.await(holder.begin());
    TestNode.await(holder.query("SELECT * FROM ruqi_running WHERE job_id = 'a' FOR UPDATE").execute());
    HistoryWriter writer = new HistoryWriter(vertx, stores.history(), 2, 0, 1_000, 2, 2, registry);

    onLoop(() -> writer.add(a));
    onLoop(() -> {
      writer.add(aLater);
      writer.add(b);
      writer.add(c);
    });
    TestNode.eventually(20, "b and c written while a's write waits for its lock",
        () -> count("ruqi_jobs_history") == 2);
    assertEquals(List.of("a", "a", "d"), runningJobs(), "a's later row waits for a's write");

    Future<Void> flushed = on(() -> {
      writer.add(d);
      return writer.flush();
    });
    assertFalse(TestNode.await(on(() -> Future.succeededFuture(flushed.isComplete()))),
        "the flush waits for the write that waits");
    // d goes in a write of its own, which may have ended already: only a's two rows are sure to wait
    int queued = TestNode.await(on(() -> Future.succeededFuture(writer.queued())));
    assertTrue(queued == 2 || queued == 3, "a in flight and a's later row queued (and d, unless written): " + queued);
    assertEquals(List.of("a", "a"), runningJobs().subList(0, 2), "a's rows wait for a's write");

    TestNode.await(lock.commit());
    TestNode.await(holder.close());
    TestNode.await(flushed);
    assertEquals(5, count("ruqi_jobs_history"));
    assertEquals(List.of(), runningJobs());
  }

  List<String> runningJobs() {
    List<String> ids = new ArrayList<>();
    TestNode.await(stores.pool().query("SELECT job_id FROM ruqi_running ORDER BY job_id").execute())
        .forEach(r -> ids.add(r.getString(0)));
    return ids;
  }
}
