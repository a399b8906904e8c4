package io.ruqi.store;

import io.ruqi.testing.LockWaits;
import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chain's claims on MariaDB, where two parents' transactions really run at once. */
class MySqlChainStartsTest extends ChainStartsTest {
  @Override
  String storeUrl() {
    return MySqlStores.freshUrl("chains");
  }

  /**
   * A one-shot job whose last row is written goes only if no fire of it runs as of when its row is locked, not as of
   * the write's earlier plain reads (its own chain's): a job_run on a peer may claim a fire of that job in between.
   */
  @Test
  void a_done_job_that_a_peer_runs_meanwhile_stays() {
    job("etl", new JsonObject());
    job("report", new JsonObject());
    job("audit", new JsonObject());
    TestNode.await(stores.jobs().insert(new Job("once", "n", "date", T.toString(), "true", ZoneOffset.UTC, null,
        null, T, null, false, new JsonObject(), 1, T, T)));
    Instant onceFire = T.plusSeconds(5);
    TestNode.await(stores.pool().preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
        + " VALUES ('once', ?, 'node-a', ?)").execute(Tuple.of(SqlJobStore.utc(onceFire), SqlJobStore.utc(onceFire))));
    // its last row starts a chain too: its running row goes after etl's chain has read
    HistoryRecord onceEnded = new HistoryRecord("once", "n", "true", RunStatus.SUCCESS, "ok", 0.1, "node-a",
        onceFire.plusMillis(100), onceFire, onceFire, 1, 0, true).removingDoneJob(true).chaining(List.of("audit"));
    HistoryRecord etlEnded = parentEnded("etl", 10, "report");
    // a fire of another job, after "once" in the key's order: the gap the claim below inserts into ends there, not
    // at the gap that the chain's read of report's running rows locks (the end of a table this small)
    TestNode.await(stores.pool().query("INSERT INTO ruqi_running (job_id, fire_time, node, start_time)"
        + " VALUES ('other', '2026-11-21 04:00:00', 'node-b', NULL)").execute());

    // a job_run of "once" on a peer: its claim moves the job's row, then inserts the fire's running row
    SqlConnection peer = TestNode.await(stores.pool().getConnection());
    Transaction chain = TestNode.await(peer.begin());
    TestNode.await(peer.query("UPDATE ruqi_jobs SET version = version + 1 WHERE id = 'once'").execute());
    Future<List<Job>> written = stores.history().write(List.of(etlEnded, onceEnded));
    LockWaits.awaitOne(stores.pool(), "%FROM ruqi_jobs WHERE id IN (%) FOR UPDATE",
        "the write waits for the job's lock");
    TestNode.await(peer.preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time,"
        + " parent_fire_id) VALUES ('once', ?, 'node-b', NULL, NULL)")
        .execute(Tuple.of(SqlJobStore.utc(T.plusSeconds(20)))));
    TestNode.await(chain.commit());
    TestNode.await(peer.close());

    assertEquals(List.of(), TestNode.await(written), "nothing removed: a fire of the job runs");
    assertEquals(1, running("once").size(), "the peer's fire");
    assertEquals(1L, TestNode.await(stores.pool().query("SELECT COUNT(*) FROM ruqi_jobs WHERE id = 'once'")
        .execute()).iterator().next().getLong(0), "the job stays while a fire of it runs");
    assertEquals(1, running("report").size(), "etl's chain started its child in the same write");
    assertEquals(1, running("audit").size(), "and so did once's");
  }
}
