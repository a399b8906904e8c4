package io.ruqi.api;

import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A job's add and edit commit with their audit row, as one: a change whose audit row cannot be written is refused
 * and leaves nothing behind (no job without its row, and no OK for it). The refusal is real: a trigger in the
 * database fails every insert into ruqi_audit.
 */
class AuditedChangeTest implements StoreUnderTest {
  static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");

  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start(NOW, store().put("timezone", "UTC"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  void refuseAuditRows() {
    boolean mariaDb = store().containsKey("store");
    TestNode.await(node.node.stores().pool().query(mariaDb
        ? "CREATE TRIGGER refuse_audit BEFORE INSERT ON ruqi_audit FOR EACH ROW"
            + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit rows refused by the test'"
        : "CREATE TRIGGER refuse_audit BEFORE INSERT ON ruqi_audit FOR EACH ROW"
            + " BEGIN SELECT RAISE(ABORT, 'audit rows refused by the test'); END").execute());
  }

  JsonObject job(String id, String cmd) {
    return new JsonObject().put("job_id", id).put("job_name", "n").put("job_trigger", "cron")
        .put("rule", "0 0 3 * * *").put("cmd", cmd);
  }

  @Test
  void anAddWhoseAuditRowFailsAddsNothing() {
    refuseAuditRows();

    assertNotEquals("OK", node.http.post("/ruqi/job_add", job("unaudited", "echo a")).stat());
    assertNotEquals("OK", node.http.post("/ruqi/add_job", new JsonObject().put("name", "legacy")
        .put("rule", "0 0 3 * * *").put("cmd", "echo b")).stat());

    assertEquals(0, node.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));
  }

  @Test
  void anEditWhoseAuditRowFailsChangesNothing() {
    assertEquals("OK", node.http.post("/ruqi/job_add", job("kept", "echo before")).stat());
    JsonObject before = node.http.get("/ruqi/job_show?job_id=kept").json().getJsonObject("data");
    refuseAuditRows();

    assertNotEquals("OK", node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "kept")
        .put("cmd", "echo after")).stat());
    assertNotEquals("OK", node.http.post("/ruqi/job_pause", new JsonObject().put("job_id", "kept")).stat());

    assertEquals(before, node.http.get("/ruqi/job_show?job_id=kept").json().getJsonObject("data"));
  }

  @Test
  void aRemovalWhoseAuditRowFailsRemovesNothing() {
    assertEquals("OK", node.http.post("/ruqi/job_add", job("one", "echo a")).stat());
    assertEquals("OK", node.http.post("/ruqi/job_add", job("two", "echo b").put("job_name", "batch")).stat());
    refuseAuditRows();

    assertNotEquals("OK", node.http.post("/ruqi/job_remove", new JsonObject().put("job_id", "one")).stat());
    assertNotEquals("OK", node.http.post("/ruqi/remove_job", new JsonObject().put("name", "batch")).stat());

    assertEquals(2, node.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));
  }

  @Test
  void aRemovalCommitsWithItsAuditRow() {
    assertEquals("OK", node.http.post("/ruqi/job_add", job("one", "echo a")).stat());
    assertEquals("OK", node.http.post("/ruqi/job_add", job("two", "echo b").put("job_name", "batch")).stat());

    assertEquals("OK", node.http.post("/ruqi/job_remove", new JsonObject().put("job_id", "one")).stat());
    assertEquals("OK", node.http.post("/ruqi/remove_job", new JsonObject().put("name", "batch")).stat());

    io.vertx.core.json.JsonArray rows = node.http.get("/ruqi/audit_list?page_size=10").json().getJsonObject("data")
        .getJsonArray("list");
    assertEquals(List.of("remove_job", "job_remove", "job_add", "job_add"),
        rows.stream().map(r -> ((JsonObject) r).getString("operation")).toList(), rows.encode());
    assertEquals(1, rows.getJsonObject(0).getJsonObject("after").getInteger("removed"), rows.encode());
  }

  @Test
  void anImportWhoseAuditRowFailsImportsNothing() {
    refuseAuditRows();

    assertNotEquals("OK", node.http.post("/ruqi/job_import", new JsonObject().put("jobs",
        new io.vertx.core.json.JsonArray().add(job("first", "echo a")).add(job("second", "echo b")))).stat());

    assertEquals(0, node.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));
  }
}
