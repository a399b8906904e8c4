package io.ruqi.store;

import io.ruqi.progress.Progress;
import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.TestNode;
import io.ruqi.testing.TickingClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The chunked history clear on MariaDB. */
class MySqlHistoryClearTest extends HistoryClearTest {
  @Override
  String storeUrl() {
    return MySqlStores.freshUrl("clear");
  }

  /** A chunk that fails after others were deleted says how many were: they are gone, "nothing changed" would lie. */
  @Test
  void a_clear_cut_off_by_a_failing_chunk_says_how_many_rows_it_deleted() throws Exception {
    rows("old", 250, T);
    // the 151st row refuses to go (a trigger, as a store failing mid-clear): chunk 2 fails whole, chunk 1 stays done
    TestNode.await(stores.pool().query("CREATE TRIGGER refuse_one BEFORE DELETE ON ruqi_jobs_history FOR EACH ROW"
        + " BEGIN IF OLD.c_time = '2026-01-01 00:02:30' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused';"
        + " END IF; END").execute());
    Throwable failure = assertThrows(Exception.class, () -> stores.history().deleteBefore(T.plusSeconds(50_000),
            "old", null, Progress.lines("job_history_clear", "rows", 0, new TickingClock(T, Duration.ofSeconds(10)),
                line -> { }), 100).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    Throwable cause = failure instanceof CompletionException || failure.getCause() != null ? failure.getCause()
        : failure;
    PartialDelete partial = assertInstanceOf(PartialDelete.class, cause, String.valueOf(failure));
    assertEquals(100, partial.deleted());
    assertEquals(150, count(), "the first chunk is gone, the failed one rolled back whole");
  }
}
