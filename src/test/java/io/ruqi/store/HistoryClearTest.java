package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.progress.Progress;
import io.ruqi.testing.ManualTicker;
import io.ruqi.testing.SettableClock;
import io.ruqi.testing.TestNode;
import io.ruqi.testing.TickingClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A history clear deletes in chunks ({@link HistoryStore#DELETE_CHUNK} rows; 100 here, so that a few hundred rows
 * show it), and says how far it is.
 */
class HistoryClearTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  Vertx vertx;
  Stores stores;

  String storeUrl() {
    return "sqlite:mem:" + UUID.randomUUID();
  }

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    RuqiConfig config = RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", storeUrl())));
    stores = TestNode.await(StoreFactory.open(vertx, config));
  }

  @AfterEach
  void close() {
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  /** {@code n} rows of a job, one a second from {@code from}. */
  void rows(String jobId, int n, Instant from) {
    List<HistoryRecord> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant at = from.plusSeconds(i);
      rows.add(new HistoryRecord(jobId, "clear", "true", RunStatus.SUCCESS, "", 0.01, "node-a", at, at, at, 1, 0,
          true));
    }
    TestNode.await(stores.history().write(rows));
  }

  long count() {
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM ruqi_jobs_history").execute()).iterator().next()
        .getLong(0);
  }

  @Test
  void rows_go_a_chunk_at_a_time_with_a_line_for_each_and_the_rest_stay() {
    rows("old", 250, T);
    rows("other", 3, T);
    rows("new", 5, T.plusSeconds(100_000));
    List<String> log = new ArrayList<>();
    long deleted = TestNode.await(stores.history().deleteBefore(T.plusSeconds(50_000), "old", null,
        Progress.lines("job_history_clear", "rows", 0, new TickingClock(T, Duration.ofSeconds(10)), log::add), 100));
    assertEquals(250, deleted);
    assertEquals(8, count(), "the other job's rows and the newer ones stay");
    assertEquals(List.of(
        "job_history_clear: 100 of 250 rows (40%), 10/s, about 15 s left",
        "job_history_clear: 200 of 250 rows (80%), 10/s, about 5 s left",
        "job_history_clear: 250 of 250 rows (100%), 8/s",
        "job_history_clear: 250 rows in 40 s"), log);
  }

  @Test
  void a_clear_with_nothing_to_delete_answers_zero() {
    rows("new", 5, T.plusSeconds(100_000));
    List<String> log = new ArrayList<>();
    assertEquals(0L, TestNode.await(stores.history().deleteBefore(T, null, null,
        Progress.lines("job_history_clear", "rows", 0, new TickingClock(T, Duration.ofSeconds(10)), log::add))));
    assertEquals(5, count());
  }

  @Test
  void retention_purges_rows_older_than_its_days_a_minute_after_start_and_then_daily() {
    SettableClock clock = new SettableClock(T.plus(Duration.ofDays(180)).plusSeconds(30));
    ManualTicker ticker = new ManualTicker(clock);
    List<Future<Long>> purges = new ArrayList<>();
    rows("old", 3, T.minusSeconds(100));
    rows("edge", 2, T.plusSeconds(120));
    HistoryRetention retention = new HistoryRetention(ticker, stores.history(), clock, 180, purges::add);
    retention.start();
    ticker.advance(Duration.ofSeconds(59));
    assertEquals(List.of(), purges, "not before a minute");
    ticker.advance(Duration.ofSeconds(1));
    assertEquals(3L, TestNode.await(purges.get(0)), "the rows older than 180 days");
    assertEquals(2, count(), "younger rows stay");
    ticker.advance(Duration.ofDays(1));
    assertEquals(2L, TestNode.await(purges.get(1)), "a day later the next rows are past 180 days");
    retention.stop();
    ticker.advance(Duration.ofDays(2));
    assertEquals(2, purges.size(), "stopped: no more purges");
  }

  @Test
  void retention_of_zero_days_keeps_everything() {
    SettableClock clock = new SettableClock(T.plus(Duration.ofDays(1000)));
    ManualTicker ticker = new ManualTicker(clock);
    new HistoryRetention(ticker, stores.history(), clock, 0, f -> { }).start();
    assertEquals(List.of(), ticker.pending());
  }
}
