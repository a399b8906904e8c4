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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The history queue on the embedded store: rows wait for the batch delay (moved by hand), one refused row costs only
 * itself, a full queue drops, counted.
 */
class HistoryWriterTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  Vertx vertx;
  Context context;
  Stores stores;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();

  String storeUrl() {
    return "sqlite:mem:" + UUID.randomUUID();
  }

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    RuqiConfig config = RuqiConfig.from(new JsonObject().put("store", new JsonObject().put("url", storeUrl())));
    stores = TestNode.await(StoreFactory.open(vertx, config));
  }

  @AfterEach
  void close() {
    TestNode.await(stores.close());
    TestNode.await(vertx.close());
  }

  /** The writer is confined to one event loop, as in the scheduler. */
  <T> Future<T> on(Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(p));
    return p.future();
  }

  HistoryRecord row(String jobId, String jobName, int second) {
    return new HistoryRecord(jobId, jobName, "true", RunStatus.SUCCESS, "ok", 0.1, "node-a", T, T.plusSeconds(second),
        T.plusSeconds(second), 1, 0, true);
  }

  void running(HistoryRecord r) {
    TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
        + " VALUES (?, ?, ?, ?)").execute(Tuple.of(r.jobId(), SqlJobStore.utc(r.fireTime()), "node-a",
        SqlJobStore.utc(r.fireTime()))));
  }

  long count(String table) {
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM " + table).execute()).iterator().next().getLong(0);
  }

  double counter(String name) {
    return registry.get(name).counter().count();
  }

  /** Runs {@code step} on the writer's event loop and waits for it. */
  void onLoop(Runnable step) {
    TestNode.await(on(() -> {
      step.run();
      return Future.succeededFuture();
    }));
  }

  @Test
  void rows_wait_for_the_batch_delay_and_then_go_in_one_write() {
    SettableClock clock = new SettableClock(T);
    ManualTicker ticker = new ManualTicker(clock);
    List<HistoryRecord> rows = List.of(row("a", "n", 1), row("b", "n", 2), row("c", "n", 3));
    rows.forEach(this::running);
    HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 500, 1_000, 1_000, registry);
    onLoop(() -> {
      rows.forEach(writer::add);
      ticker.advance(Duration.ofMillis(999));
    });
    assertEquals(List.of(T.plusSeconds(1)), ticker.pending(), "one timer for the batch, set by its first row");
    assertEquals(0, count("ruqi_jobs_history"), "nothing is written before the delay");
    onLoop(() -> ticker.advance(Duration.ofMillis(1)));
    assertEquals(List.of(), ticker.pending());
    TestNode.eventually(10, "the batch is written", () -> count("ruqi_jobs_history") == 3);
    assertEquals(0, count("ruqi_running"), "their fires are released with them");
  }

  /**
   * With no delay, a row that comes to a quiet writer is written at once; rows that come while a write runs wait
   * {@link HistoryWriter#BUSY_REST_MS} after it, and go together. Written as soon as the last write ended, 2,000 fires
   * a second went in a thousand transactions of two rows.
   */
  @Test
  void a_quiet_writer_writes_a_row_at_once_and_a_busy_one_rests_between_writes() {
    SettableClock clock = new SettableClock(T);
    ManualTicker ticker = new ManualTicker(clock);
    List<HistoryRecord> rows = List.of(row("a", "n", 1), row("b", "n", 2), row("c", "n", 3), row("d", "n", 4));
    rows.forEach(this::running);
    HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 500, 0, 1_000, registry);
    List<Instant> pendingAfterA = new ArrayList<>();
    onLoop(() -> {
      writer.add(rows.get(0));
      pendingAfterA.addAll(ticker.pending());
      writer.add(rows.get(1)); // while a's write runs: it answers on this loop, after this turn
      writer.add(rows.get(2));
    });
    assertEquals(List.of(), pendingAfterA, "no timer: a quiet writer's row goes at once");
    TestNode.eventually(10, "a is written, and the rows after it wait", () -> count("ruqi_jobs_history") == 1
        && TestNode.await(on(() -> Future.succeededFuture(ticker.pending()))).size() == 1);
    assertEquals(List.of(T.plusMillis(HistoryWriter.BUSY_REST_MS)), ticker.pending(), "the rest after a busy write");
    onLoop(() -> writer.add(rows.get(3)));
    assertEquals(1, count("ruqi_jobs_history"), "a row that comes during the rest waits for it too");
    onLoop(() -> ticker.advance(Duration.ofMillis(HistoryWriter.BUSY_REST_MS)));
    TestNode.eventually(10, "b, c and d are written in one write", () -> count("ruqi_jobs_history") == 4);
    TestNode.await(on(writer::flush));
    assertEquals(List.of(), ticker.pending(), "written with nothing left: no rest, the next row goes at once");
    assertEquals(0, count("ruqi_running"));
  }

  @Test
  void a_full_batch_is_written_at_once_without_its_delay() {
    SettableClock clock = new SettableClock(T);
    ManualTicker ticker = new ManualTicker(clock);
    List<HistoryRecord> rows = List.of(row("a", "n", 1), row("b", "n", 2));
    rows.forEach(this::running);
    HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 2, 60_000, 1_000, registry);
    onLoop(() -> rows.forEach(writer::add));
    assertEquals(List.of(), ticker.pending(), "no wait for a full batch");
    TestNode.eventually(10, "the full batch is written with no tick", () -> count("ruqi_jobs_history") == 2);
  }

  @Test
  void a_row_the_database_refuses_costs_only_itself() {
    // a job_name the column refuses (SQLite keeps text of any length, so a NULL; MySQL and H2 refused a name longer
    // than the column too): the whole batch used to be retried for ever, holding every row behind it
    List<HistoryRecord> rows = List.of(row("a", "n", 1), row("b", "n", 2), row("poison", null, 3),
        row("c", "n", 4));
    rows.forEach(this::running);
    HistoryWriter writer = new HistoryWriter(vertx, stores.history(), 500, 60_000, 1_000, registry);
    TestNode.await(on(() -> {
      rows.forEach(writer::add);
      return writer.flush();
    }));
    assertEquals(3, count("ruqi_jobs_history"), "the other rows are written");
    assertEquals(0, count("ruqi_running"), "every ended fire is released, the refused one too");
    assertEquals(1.0, counter("ruqi.history.rejected"));
    assertEquals(0, (int) TestNode.await(on(() -> Future.succeededFuture(writer.queued()))));

    HistoryRecord after = row("d", "n", 5);
    TestNode.await(on(() -> {
      writer.add(after);
      return writer.flush();
    }));
    assertEquals(4, count("ruqi_jobs_history"), "the queue goes on batching after a refused row");
  }

  @Test
  void a_full_queue_drops_new_rows_counts_them_and_still_releases_their_fires() {
    List<HistoryRecord> rows = List.of(row("a", "n", 1), row("b", "n", 2), row("c", "n", 3), row("d", "n", 4),
        row("e", "n", 5));
    rows.forEach(this::running);
    HistoryWriter writer = new HistoryWriter(vertx, stores.history(), 500, 60_000, 2, registry);
    TestNode.await(on(() -> {
      rows.forEach(writer::add);
      return writer.flush();
    }));
    assertEquals(2, count("ruqi_jobs_history"));
    assertEquals(3.0, counter("ruqi.history.dropped"));
    assertEquals(0, count("ruqi_running"), "dropped rows' fires are released all the same");
  }
}
