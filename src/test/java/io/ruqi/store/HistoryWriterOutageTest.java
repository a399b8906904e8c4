package io.ruqi.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ruqi.config.RuqiConfig;
import io.ruqi.testing.ManualTicker;
import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.SettableClock;
import io.ruqi.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * History rows that ended during a database outage wait in memory, their write paused longer at every failure; once
 * another of the node's statements reaches the database again, they go at once, not after the rest of the pause
 * (until then their fires' running rows hold their jobs' max_instances: a peer's claims of those jobs wait). A
 * private MariaDB, stopped and started again; the pauses moved by hand.
 */
class HistoryWriterOutageTest {
  static final Instant T = HistoryWriterTest.T;

  final SettableClock clock = new SettableClock(T);
  final ManualTicker ticker = new ManualTicker(clock);

  @Test
  void rows_that_waited_out_an_outage_go_as_soon_as_the_store_answers_again() {
    Vertx vertx = Vertx.vertx();
    try (MariaDbServer db = MariaDbServer.start()) {
      Context context = vertx.getOrCreateContext();
      Stores stores = TestNode.await(StoreFactory.open(vertx, RuqiConfig.from(new JsonObject().put("store",
          new JsonObject().put("url", db.url())))));
      HistoryRecord row = new HistoryRecord("a", "n", "true", RunStatus.SUCCESS, "ok", 0.1, "node-a", T, T, T, 1, 0,
          true);
      TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
          + " VALUES ('a', ?, 'node-a', ?)").execute(Tuple.of(SqlJobStore.utc(T), SqlJobStore.utc(T))));
      HistoryWriter writer = new HistoryWriter(ticker, stores.history(), 500, 0, 1_000, new SimpleMeterRegistry());

      db.stop();
      onLoop(context, () -> writer.add(row));
      assertEquals(T.plusMillis(500), retrySet(), "the first pause");
      onLoop(context, () -> ticker.advance(Duration.ofMillis(500)));
      assertEquals(T.plusMillis(1_500), retrySet());
      onLoop(context, () -> ticker.advance(Duration.ofMillis(1_000)));
      assertEquals(T.plusMillis(3_500), retrySet(), "the pause grows while the database stays away");

      db.startAgain();
      TestNode.eventually(30, "the database answers again", () -> stores.pool().query("SELECT 1").execute()
          .toCompletionStage().toCompletableFuture().handle((rows, e) -> e == null).join());
      onLoop(context, writer::storeReached);
      TestNode.eventually(10, "written with no tick, as soon as the store answered another statement",
          () -> count(stores, "ruqi_jobs_history") == 1);
      assertEquals(0, count(stores, "ruqi_running"), "the fire released with its row");
      assertEquals(List.of(), ticker.pending(), "the pause is over");
      TestNode.await(stores.close());
    } finally {
      TestNode.await(vertx.close());
    }
  }

  /** Waits for the failed write to set its retry timer; answers when it goes off. */
  Instant retrySet() {
    TestNode.eventually(10, "the failed write sets a retry timer", () -> !ticker.pending().isEmpty());
    assertEquals(1, ticker.pending().size());
    return ticker.pending().get(0);
  }

  static void onLoop(Context context, Runnable step) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      step.run();
      done.complete();
    });
    TestNode.await(done.future());
  }

  static long count(Stores stores, String table) {
    return TestNode.await(stores.pool().query("SELECT COUNT(*) FROM " + table).execute()).iterator().next()
        .getLong(0);
  }
}
