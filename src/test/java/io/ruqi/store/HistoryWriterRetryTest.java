package io.ruqi.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.ManualTicker;
import io.ruqi.testing.SettableClock;
import io.ruqi.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A write that loses a row lock (a transient failure, as a database out of reach is) is retried after a pause that
 * doubles, moved by hand. The lock is a real one: a second connection to the embedded database holds the fire's
 * running row, and the store's short lock timeout turns the wait into H2's lock-timeout error.
 */
class HistoryWriterRetryTest {
  static final Instant T = HistoryWriterTest.T;

  final String name = "retry-" + UUID.randomUUID();
  final SettableClock clock = new SettableClock(T);
  final ManualTicker ticker = new ManualTicker(clock);
  Vertx vertx;
  Context context;
  Stores stores;
  Connection holder;

  @BeforeEach
  void open() throws SQLException {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    String url = "h2:mem:" + name + ";LOCK_TIMEOUT=100";
    stores = TestNode.await(StoreFactory.open(vertx, RuqiConfig.from(new JsonObject().put("store",
        new JsonObject().put("url", url)))));
    holder = DriverManager.getConnection(StoreFactory.h2JdbcUrl(url));
    holder.setAutoCommit(false);
  }

  @AfterEach
  void close() throws SQLException {
    holder.close();
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  void onLoop(Runnable step) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      step.run();
      done.complete();
    });
    TestNode.await(done.future());
  }

  long count(String table) {
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM " + table).execute()).iterator().next().getLong(0);
  }

  /** Waits for the failed write to set its retry timer; answers when it goes off. */
  Instant retrySet() {
    TestNode.eventually(10, "the failed write sets a retry timer", () -> !ticker.pending().isEmpty());
    assertEquals(1, ticker.pending().size());
    return ticker.pending().get(0);
  }

  @Test
  void a_write_that_loses_a_lock_is_retried_after_a_pause_that_doubles() throws SQLException {
    HistoryRecord row = new HistoryRecord("a", "n", "true", RunStatus.SUCCESS, "ok", 0.1, "node-a", T, T, T, 1, 0,
        true);
    try (Statement s = holder.createStatement()) {
      s.execute("INSERT INTO ruqi_running (job_id, fire_time, node, start_time) VALUES ('a', '"
          + SqlJobStore.utc(T) + "', 'node-a', NULL)");
      holder.commit();
      s.execute("SELECT * FROM ruqi_running WHERE job_id = 'a' FOR UPDATE");
    }
    HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 500, 0, 1_000, new SimpleMeterRegistry());
    onLoop(() -> writer.add(row));
    assertEquals(T.plusMillis(500), retrySet(), "the first pause");

    onLoop(() -> ticker.advance(Duration.ofMillis(500)));
    assertEquals(T.plusMillis(500 + 1_000), retrySet(), "the pause doubles while the lock is held");
    assertEquals(0, count("ruqi_jobs_history"), "a lost write keeps nothing");

    holder.commit();
    onLoop(() -> ticker.advance(Duration.ofMillis(999)));
    assertEquals(List.of(T.plusMillis(1_500)), ticker.pending(), "not tried again before its pause");
    onLoop(() -> ticker.advance(Duration.ofMillis(1)));
    TestNode.eventually(10, "written once the lock is gone", () -> count("ruqi_jobs_history") == 1);
    assertEquals(0, count("ruqi_running"));
    assertEquals(0, (int) TestNode.await(onLoopAnswer(writer::queued)));
  }

  /**
   * A lost lock is no outage: a busy database answers other statements all the same, and the write waits its pause
   * out (HistoryWriterOutageTest: after an outage the rows go as soon as the store answers).
   */
  @Test
  void a_write_that_lost_a_lock_waits_its_pause_out_though_the_store_answers_elsewhere() throws SQLException {
    HistoryRecord a = row("a", 1);
    try (Statement s = holder.createStatement()) {
      s.execute("INSERT INTO ruqi_running (job_id, fire_time, node, start_time) VALUES ('a', '"
          + SqlJobStore.utc(a.fireTime()) + "', 'node-a', NULL)");
      holder.commit();
      s.execute("SELECT * FROM ruqi_running WHERE job_id = 'a' FOR UPDATE");
    }
    HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 500, 0, 1_000, new SimpleMeterRegistry());
    onLoop(writer::storeReached);
    assertEquals(List.of(), ticker.pending(), "nothing to do while nothing failed");
    onLoop(() -> writer.add(a));
    assertEquals(T.plusMillis(500), retrySet());
    onLoop(() -> ticker.advance(Duration.ofMillis(500)));
    assertEquals(T.plusMillis(1_500), retrySet());
    onLoop(() -> ticker.advance(Duration.ofMillis(1_000)));
    assertEquals(T.plusMillis(3_500), retrySet(), "a pause of 2 s, growing");

    holder.commit();
    onLoop(writer::storeReached);
    assertEquals(List.of(T.plusMillis(3_500)), ticker.pending(), "still pausing");
    assertEquals(0, count("ruqi_jobs_history"), "not written before its pause is over");
    onLoop(() -> ticker.advance(Duration.ofMillis(2_000)));
    TestNode.eventually(10, "written after the pause", () -> count("ruqi_jobs_history") == 1);
    assertEquals(0, count("ruqi_running"));
  }

  /**
   * With writes side by side, a write that loses its lock pauses only new writes: the write beside it commits, and
   * the lost rows go again, after the pause, first in the queue.
   */
  @Test
  void a_lost_write_pauses_new_writes_while_the_one_beside_it_commits() throws SQLException {
    HistoryRecord a = row("a", 1);
    HistoryRecord b = row("b", 2);
    HistoryRecord c = row("c", 3);
    try (Statement s = holder.createStatement()) {
      for (HistoryRecord r : List.of(a, b, c)) {
        s.execute("INSERT INTO ruqi_running (job_id, fire_time, node, start_time) VALUES ('" + r.jobId() + "', '"
            + SqlJobStore.utc(r.fireTime()) + "', 'node-a', NULL)");
      }
      holder.commit();
      s.execute("SELECT * FROM ruqi_running WHERE job_id = 'a' FOR UPDATE");
    }
    HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 2, 0, 1_000, 2, 2, new SimpleMeterRegistry());
    onLoop(() -> {
      writer.add(a);
      writer.add(b);
      writer.add(c);
    });
    assertEquals(T.plusMillis(500), retrySet(), "a's write lost its lock");
    TestNode.eventually(10, "b and c written beside it", () -> count("ruqi_jobs_history") == 2);
    assertEquals(1, (int) TestNode.await(onLoopAnswer(writer::queued)), "a waits for the pause");

    holder.commit();
    onLoop(() -> writer.add(row("d", 4)));
    // the embedded store's one connection serves in turn: a write started by the add would be counted here
    assertEquals(2, count("ruqi_jobs_history"), "no write starts during the pause, though the lock is gone");
    onLoop(() -> ticker.advance(Duration.ofMillis(500)));
    TestNode.eventually(10, "a and d written after the pause", () -> count("ruqi_jobs_history") == 4);
    assertEquals(0, count("ruqi_running"));
    assertEquals(0, (int) TestNode.await(onLoopAnswer(writer::queued)));
  }

  HistoryRecord row(String jobId, int second) {
    Instant at = T.plusSeconds(second);
    return new HistoryRecord(jobId, "n", "true", RunStatus.SUCCESS, "ok", 0.1, "node-a", at, at, at, 1, 0, true);
  }

  <T> Future<T> onLoopAnswer(java.util.function.Supplier<T> question) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> p.complete(question.get()));
    return p.future();
  }
}
