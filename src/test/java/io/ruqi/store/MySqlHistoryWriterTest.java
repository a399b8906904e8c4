package io.ruqi.store;

import io.ruqi.testing.ManualTicker;
import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.SettableClock;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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

  /**
   * A write that loses a deadlock to another transaction, with no other write of its own beside it, is written
   * again at once, as one that lost to its own other write is: the database answered, and the winner goes on. It
   * took the outage's path (a warning and a pause of half a second, doubling), so that in a pair one node's
   * history could lag by seconds behind a peer's writes. The holder here outweighs the write (50 rows of its own),
   * so that MariaDB rolls the write back, not the holder.
   */
  @Test
  void a_write_that_loses_a_deadlock_alone_is_written_again_at_once() {
    HistoryRecord a = row("a", "n", 1);
    HistoryRecord b = row("b", "n", 2);
    List.of(a, b).forEach(this::running);
    SqlConnection holder = TestNode.await(stores.pool().getConnection());
    Transaction lock = TestNode.await(holder.begin());
    TestNode.await(holder.query("INSERT INTO ruqi_audit (c_time, actor, operation, node) SELECT NOW(3), 'test',"
        + " 'weight', 'n' FROM seq_1_to_50").execute());
    TestNode.await(holder.query("SELECT * FROM ruqi_running WHERE job_id = 'b' FOR UPDATE").execute());
    SettableClock clock = new SettableClock(T);
    ManualTicker ticker = new ManualTicker(clock);
    // a batch of two, written as one: the delay holds the first row until the second comes
    HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 2, 60_000, 1_000, registry);

    onLoop(() -> {
      writer.add(a);
      writer.add(b);
    });
    TestNode.eventually(20, "the write has released a's running row and waits for b's", () -> lockWaits() == 1);
    Future<?> holderTakesA = holder.query("SELECT * FROM ruqi_running WHERE job_id = 'a' FOR UPDATE").execute();
    TestNode.eventually(20, "the write lost the deadlock and set its retry", () -> !ticker.pending().isEmpty());
    assertEquals(List.of(T.plusMillis(5)), ticker.pending(), "written again after 5 ms, not half a second");
    TestNode.await(holderTakesA);

    TestNode.await(lock.rollback());
    TestNode.await(holder.close());
    onLoop(() -> ticker.advance(Duration.ofMillis(5)));
    TestNode.eventually(20, "both rows written", () -> count("ruqi_jobs_history") == 2);
    assertEquals(List.of(), runningJobs());
  }

  /** History writes waiting for a running row's lock. MariaDB refreshes INNODB_TRX only once unread for 0.1 s. */
  long lockWaits() {
    try {
      Thread.sleep(150);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM information_schema.innodb_trx"
        + " WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE 'DELETE FROM ruqi_running%'").execute()).iterator().next()
        .getLong(0);
  }
}
