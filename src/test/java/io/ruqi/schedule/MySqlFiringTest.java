package io.ruqi.schedule;

import io.ruqi.config.RuqiConfig;
import io.ruqi.store.StoreFactory;
import io.ruqi.store.Stores;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.LockWaits;
import io.ruqi.testing.MySqlStores;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every firing test again, on MariaDB through the MySQL store, and what only a database with row locks does. */
class MySqlFiringTest extends FiringTest {
  @Override
  JsonObject store() {
    return MySqlStores.freshStore("fire");
  }

  /**
   * A job_run's claim that the database rolls back as a deadlock's victim wrote nothing: it is claimed again, as a
   * claim lost to a moved version is, rather than answered with an error. The deadlock here is a scheduler_pause
   * racing the claim: the claim holds the switch's row shared and waits for the job's row, which the other holds.
   */
  @Test
  void a_job_run_whose_claim_loses_a_deadlock_is_claimed_again() {
    JsonObject conf = store();
    node = TestNode.start(T0, conf.copy().put("timezone", "Asia/Shanghai"));
    add(job("manual", "cron", "0 0 3 * * *", "echo by hand"));
    Stores other = TestNode.await(StoreFactory.open(node.vertx, RuqiConfig.from(conf)));
    try {
      SqlConnection conn = TestNode.await(other.pool().getConnection());
      Transaction pause = TestNode.await(conn.begin());
      // heavier than the claim (MariaDB rolls back the transaction that changed fewer rows), so the claim is the victim
      for (int i = 0; i < 20; i++) {
        TestNode.await(conn.query("INSERT INTO ruqi_running (job_id, fire_time, node, start_time) VALUES ('heavy-" + i
            + "', '2026-11-21 04:00:00', 'elsewhere', NULL)").execute());
      }
      TestNode.await(conn.query("SELECT id FROM ruqi_jobs WHERE id = 'manual' FOR UPDATE").execute());

      CompletableFuture<Reply> run = CompletableFuture.supplyAsync(() -> node.http.post("/ruqi/job_run",
          new JsonObject().put("job_id", "manual")));
      LockWaits.awaitOne(other.pool(), "UPDATE ruqi_jobs SET next_run_time = %",
          "the claim waits for the job's row");
      TestNode.await(conn.query("UPDATE ruqi_scheduler SET u_time = u_time WHERE name = 'scheduler'").execute());
      TestNode.await(pause.rollback());
      TestNode.await(conn.close());

      Reply r = run.join();
      assertEquals("OK", r.stat(), r.toString());
      assertEquals("manual@" + T0.toEpochMilli(), r.json().getJsonObject("data").getString("fire_id"));
      JsonObject row = onlyRow("manual");
      assertEquals("success", row.getString("status"), row.encode());
      assertEquals("by hand", row.getString("cmd_output"));
    } finally {
      TestNode.await(other.close());
    }
  }
}
