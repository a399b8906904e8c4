package io.ruqi.store;

import io.ruqi.testing.GaleraCluster;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.ruqi.testing.TestNode.eventually;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 item 1: a node on a three-member Galera cluster ({@code store.url} lists the members) works through one
 * member and moves to the next, without a restart, when that member is no longer Synced (desynced, as a donor is) or
 * is killed -9; nothing acknowledged is lost on the way.
 */
class GaleraFailoverTest {
  private static GaleraCluster cluster;

  @BeforeAll
  static void startTheCluster() throws Exception {
    cluster = GaleraCluster.start();
  }

  @AfterAll
  static void stopTheCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void a_node_moves_to_the_next_member_when_its_member_is_desynced_or_killed() throws Exception {
    try (TestNode node = TestNode.startRealTime(new JsonObject().put("store", new JsonObject()
        .put("url", cluster.url(0, 1, 2))))) {
      add(node, "before");
      eventually(10, "ready", () -> node.http.get("/ready").status() == 200);
      assertEquals(0, workingMember(), "the node works through the first member of its list");

      // a donor, or a member an operator desynced: up and answering, but behind the cluster
      cluster.sql(0, "SET GLOBAL wsrep_desync = ON");
      eventually(15, "the node works through member 1 once member 0 is desynced", () -> workingMember() == 1);
      add(node, "while-0-desynced");
      cluster.sql(0, "SET GLOBAL wsrep_desync = OFF");

      cluster.kill(1);
      eventually(20, "the node works through member 2 once member 1 is killed", () -> {
        Reply r = node.http.post("/ruqi/job_add", job("after-kill"));
        return "OK".equals(r.stat()) && workingMember() == 2;
      });
      eventually(20, "ready again", () -> node.http.get("/ready").status() == 200);

      // member 1 stays down (its rejoin is GaleraChaosIT's): the suite's time is short
      for (int member : new int[] {0, 2}) {
        assertEquals("3", cluster.sql(member, "SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM ruqi.ruqi_jobs"
            + " WHERE id IN ('before', 'while-0-desynced', 'after-kill')").strip(),
            "every acknowledged job is on member " + member);
      }
    }
  }

  /**
   * Issue 16 item 2: two members each accept a claim of the same fire (each one's UPDATE by version hits the row,
   * each one's running row is inserted: neither member sees the other's uncommitted write, and row locks do not reach
   * across members). Galera lets the first COMMIT through and fails the second's certification, reported as a
   * deadlock, which the store takes for a lost race (tried again on fresh data, never an acknowledged write): one
   * running row, the winner's, on every member.
   */
  @Test
  void two_members_accepting_the_same_claim_commit_one_and_fail_the_other_as_a_lost_race() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool setup = pool(vertx, 0);
      await(SchemaInstaller.install(setup));
      await(setup.query("DELETE FROM ruqi_running WHERE job_id = 'raced'").execute());
      await(setup.query("DELETE FROM ruqi_jobs WHERE id = 'raced'").execute());
      await(setup.query("INSERT INTO ruqi_jobs (id, job_name, job_trigger, job_rule, cmd, next_run_time, timezone,"
          + " anchor_time, version, u_time, c_time) VALUES ('raced', 'galera', 'interval', '60s', 'true', 1000, 'UTC',"
          + " 0, 7, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))").execute());
      // the row is on the other member before its claim reads it
      cluster.sql(2, "SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM ruqi.ruqi_jobs WHERE id = 'raced'");
      SqlConnection first = await(pool(vertx, 0).getConnection());
      // members 0 and 2: the other test leaves member 1 down
      SqlConnection second = await(pool(vertx, 2).getConnection());
      Transaction firstTx = await(first.begin());
      Transaction secondTx = await(second.begin());
      assertEquals(1, claim(first, "node-a"), "member 0 accepts node-a's claim");
      assertEquals(1, claim(second, "node-b"), "member 2 accepts node-b's claim of the same fire at the same time");

      await(firstTx.commit());
      Throwable lost = assertThrows(Exception.class, () -> await(secondTx.commit()),
          "the second commit must fail: its claim conflicts with the first one's");
      assertTrue(StoreErrors.isLostRace(lost), "a certification failure is a lost race: " + lost);
      assertTrue(StoreErrors.isTransient(lost), "and is worth trying again: " + lost);

      for (int member : new int[] {0, 2}) {
        assertEquals("node-a\t8", cluster.sql(member, "SET SESSION wsrep_sync_wait = 1; SELECT r.node, j.version FROM"
            + " ruqi.ruqi_running r JOIN ruqi.ruqi_jobs j ON j.id = r.job_id WHERE r.job_id = 'raced'").strip(),
            "one running row, the winner's, and one version step, on member " + member);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** ClaimStore's two writes for one fire: the job moved on by the version read, the fire's running row. */
  private static int claim(SqlConnection conn, String node) throws Exception {
    RowSet<Row> moved = await(conn.preparedQuery("UPDATE ruqi_jobs SET next_run_time = 1060, version = version + 1"
        + " WHERE id = 'raced' AND version = 7").execute());
    await(conn.preparedQuery("INSERT INTO ruqi_running (job_id, fire_time, node, start_time) VALUES"
        + " ('raced', '1970-01-01 00:16:40', ?, NULL)").execute(Tuple.of(node)));
    return moved.rowCount();
  }

  private static Pool pool(Vertx vertx, int member) {
    return MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(MySQLConnectOptions.fromUri(cluster.url(member))).using(vertx).build();
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static void add(TestNode node, String id) {
    Reply r = node.http.post("/ruqi/job_add", job(id));
    assertEquals("OK", r.stat(), r.toString());
  }

  private static JsonObject job(String id) {
    return new JsonObject().put("job_id", id).put("job_name", "galera").put("job_trigger", "interval")
        .put("rule", "1h").put("cmd", "true");
  }

  /**
   * The one running member that holds more than one of the node's connections: the working pool's (a member it
   * left keeps at most its health check's).
   */
  private static int workingMember() {
    int found = -1;
    for (int member = 0; member < GaleraCluster.MEMBERS; member++) {
      if (cluster.isRunning(member) && Integer.parseInt(cluster.sql(member, "SELECT COUNT(*) FROM"
          + " information_schema.PROCESSLIST WHERE USER = 'ruqi'").strip()) > 1) {
        if (found >= 0) {
          return -2;
        }
        found = member;
      }
    }
    return found;
  }
}
