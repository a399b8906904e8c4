package io.ruqi.store;

import io.ruqi.testing.GaleraCluster;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

      cluster.startAgain(1);
      for (int member = 0; member < GaleraCluster.MEMBERS; member++) {
        assertEquals("3", cluster.sql(member, "SELECT COUNT(*) FROM ruqi.ruqi_jobs WHERE id IN ('before',"
            + " 'while-0-desynced', 'after-kill')").strip(), "every acknowledged job is on member " + member);
      }
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
