package io.ruqi.store;

import io.ruqi.config.RuqiConfig;
import io.ruqi.progress.Progress;
import io.ruqi.testing.TestNode;
import io.ruqi.testing.TickingClock;
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
    return "h2:mem:" + UUID.randomUUID();
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
}
