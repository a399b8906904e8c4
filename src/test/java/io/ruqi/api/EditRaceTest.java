package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.h2.api.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An edit that loses the race for a job's version is re-applied on fresh data, and answered ERR_CONFLICT only when
 * it loses five times. The race is real: a trigger in the embedded database writes the job (as a claim or another
 * edit would) just before each of the edit's own UPDATEs, so that its condition on the version it read fails.
 */
class EditRaceTest {
  /** Writes the job this many more times, each just before an UPDATE of ruqi_jobs. */
  static final AtomicInteger RIVAL_WRITES = new AtomicInteger();
  private static final ThreadLocal<Boolean> WRITING = ThreadLocal.withInitial(() -> false);
  private static volatile String url;

  /** An H2 statement trigger: a rival's write of the job, committed with the UPDATE that it precedes. */
  public static final class RivalWrite implements Trigger {
    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
      if (WRITING.get() || RIVAL_WRITES.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
        return;
      }
      // a session of its own, committed before the edit's UPDATE reads the row (a trigger's own may not commit)
      WRITING.set(true);
      try (Connection rival = DriverManager.getConnection(url, conn.getMetaData().getUserName(), "");
           Statement s = rival.createStatement()) {
        s.executeUpdate("UPDATE ruqi_jobs SET version = version + 1, cmd = 'echo rival' WHERE id = 'raced'");
      } finally {
        WRITING.set(false);
      }
    }
  }

  TestNode node;

  @BeforeEach
  void start() {
    String name = "edit-race-" + UUID.randomUUID();
    url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE;NON_KEYWORDS=VALUE";
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject().put("timezone", "UTC")
        .put("api", new JsonObject().put("http_status", "rest"))
        .put("store", new JsonObject().put("url", "h2:mem:" + name)));
    TestNode.await(node.node.stores().pool().query("CREATE TRIGGER rival_write BEFORE UPDATE ON ruqi_jobs CALL '"
        + RivalWrite.class.getName() + "'").execute());
    assertEquals("OK", node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "raced").put("job_name", "r")
        .put("job_trigger", "cron").put("rule", "0 0 3 * * *").put("cmd", "echo mine")).stat());
  }

  @AfterEach
  void stop() {
    RIVAL_WRITES.set(0);
    node.close();
  }

  Reply modify(JsonObject change) {
    return node.http.post("/ruqi/job_modify", change.put("job_id", "raced"));
  }

  JsonObject job() {
    return node.http.get("/ruqi/job_show?job_id=raced").json().getJsonObject("data");
  }

  @Test
  void an_edit_that_loses_four_races_is_applied_on_the_fifth_try_over_the_rivals_write() {
    RIVAL_WRITES.set(4);
    Reply r = modify(new JsonObject().put("job_name", "renamed"));
    assertEquals("OK", r.stat(), r.toString());
    assertEquals(0, RIVAL_WRITES.get(), "all four rival writes happened");
    JsonObject job = job();
    assertEquals("renamed", job.getString("job_name"));
    assertEquals("echo rival", job.getString("cmd"), "re-applied on fresh data: the rival's change stays");
    assertEquals(5, job.getLong("version"), "four rival writes and the edit");
  }

  @Test
  void an_edit_that_loses_five_races_is_a_409_conflict_and_changes_nothing() {
    RIVAL_WRITES.set(5);
    Reply r = modify(new JsonObject().put("job_name", "renamed"));
    assertEquals(409, r.status(), r.toString());
    assertEquals("ERR_CONFLICT", r.stat());
    assertTrue(r.json().getString("msg").contains("changed by another request"), r.toString());
    assertEquals(0, RIVAL_WRITES.get());
    JsonObject job = job();
    assertEquals("r", job.getString("job_name"), "the edit was not written");
    assertEquals(5, job.getLong("version"), "only the rival's five writes");
  }

  @Test
  void an_edit_naming_its_version_is_a_conflict_at_its_first_lost_race() {
    RIVAL_WRITES.set(1);
    Reply r = modify(new JsonObject().put("job_name", "renamed").put("version", 0));
    assertEquals(409, r.status(), r.toString());
    assertEquals("ERR_CONFLICT", r.stat());
    assertEquals("r", job().getString("job_name"));
  }
}
