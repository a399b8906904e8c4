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
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What SQLite's own failures mean to the store, made for real: a database that cannot grow (a full disk, by
 * {@code max_page_count}) and a write lock another process holds. Neither is a row's fault: no history row is
 * dropped for it.
 */
class SqliteFailuresTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  @TempDir
  Path dir;
  Vertx vertx;
  Context context;
  Stores stores;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    stores = TestNode.await(StoreFactory.open(vertx, RuqiConfig.from(new JsonObject()
        .put("store", new JsonObject().put("url", "sqlite:" + dir.resolve("ruqi.db"))))));
  }

  @AfterEach
  void close() {
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  <T> Future<T> on(Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(p));
    return p.future();
  }

  long count(String table) {
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM " + table).execute()).iterator().next().getLong(0);
  }

  /** The database may not grow past the pages it has: what a full disk does to it. */
  void fillUp(boolean full) {
    long pages = full ? TestNode.await(stores.pool().query("PRAGMA page_count").execute()).iterator().next().getLong(0)
        : 1_000_000_000L;
    TestNode.await(stores.pool().query("PRAGMA max_page_count = " + pages).execute());
  }

  @Test
  void history_rows_that_find_the_database_full_stay_queued_and_are_written_once_it_has_room() {
    List<HistoryRecord> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      HistoryRecord r = new HistoryRecord("job-" + i, "n", "true", RunStatus.SUCCESS, "x".repeat(3_000), 0.1, "node-a",
          T, T.plusSeconds(i), T.plusSeconds(i), 1, 0, true);
      rows.add(r);
      TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
          + " VALUES (?, ?, ?, ?)").execute(Tuple.of(r.jobId(), SqlJobStore.utc(r.fireTime()), "node-a",
          SqlJobStore.utc(r.fireTime()))));
    }
    fillUp(true);
    Throwable full = assertThrows(RuntimeException.class, () -> TestNode.await(stores.history().write(rows)));
    assertTrue(StoreErrors.isUnavailable(full) && StoreErrors.isTransient(full), full.toString());
    assertFalse(StoreErrors.answered(full), "a full disk is no answer about the rows");

    ManualTicker ticker = new ManualTicker(new SettableClock(T));
    HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 50, 60_000, 1_000, registry);
    // a full batch goes at once; its write fails and sets the writer's retry timer
    on(() -> {
      rows.forEach(writer::add);
      return Future.succeededFuture();
    });
    TestNode.eventually(10, "the failed write sets a retry", () -> !ticker.pending().isEmpty());
    assertEquals(0, count("ruqi_jobs_history"));
    assertEquals(50, count("ruqi_running"), "no fire is released without its row");
    assertEquals(0.0, registry.get("ruqi.history.rejected").counter().count(), "no row is refused for a full disk");
    assertEquals(50, (int) TestNode.await(on(() -> Future.succeededFuture(writer.queued()))), "all of them wait");

    fillUp(false);
    on(() -> {
      ticker.tick();
      return Future.succeededFuture();
    });
    TestNode.eventually(10, "every row is written once there is room", () -> count("ruqi_jobs_history") == 50);
    assertEquals(0, count("ruqi_running"));
    assertEquals(0.0, registry.get("ruqi.history.rejected").counter().count());
  }

  @Test
  void a_write_lock_held_by_another_process_past_the_busy_timeout_is_a_lost_race() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("ruqi.db");
    try (Connection holder = DriverManager.getConnection(url);
         Connection writer = DriverManager.getConnection(url + "?busy_timeout=0");
         Statement hold = holder.createStatement();
         Statement write = writer.createStatement()) {
      hold.execute("BEGIN IMMEDIATE");
      SQLException busy = assertThrows(SQLException.class,
          () -> write.executeUpdate("UPDATE ruqi_scheduler SET paused = 0"));
      assertTrue(StoreErrors.isLostRace(busy) && StoreErrors.isTransient(busy), busy.toString());
      assertFalse(StoreErrors.isUnavailable(busy), "the database answered: another writer won");
      assertFalse(Dialect.SQLITE.isDuplicateKey(busy));
      hold.execute("ROLLBACK");
    }
  }
}
