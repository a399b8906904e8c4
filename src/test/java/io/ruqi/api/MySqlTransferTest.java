package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.OnMariaDb;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TransferTest's tests again, on MariaDB through the MySQL store. */
class MySqlTransferTest extends TransferTest implements OnMariaDb {

  /**
   * MariaDB compares job ids without case: a chain naming "X" finds the stored job "x". The import's own x must
   * still be the one its check reads, not the stored x found for "X".
   */
  @Test
  void an_import_is_checked_with_its_own_jobs_though_the_store_finds_them_by_another_case() {
    target = TestNode.start(NOW, store().put("timezone", "UTC"));
    assertEquals("OK", target.http.post("/ruqi/job_add", job("x", "interval", "1h")).stat());
    assertEquals("OK", target.http.post("/ruqi/job_add", job("a", "interval", "1h")
        .put("on_success", new JsonArray().add("X"))).stat(), "X is x here");
    // r -> a -> X (the stored x), and the import's x <-> x2: a cycle the stored x must not hide
    JsonArray jobs = new JsonArray()
        .add(job("r", "interval", "1h").put("on_success", new JsonArray().add("a")))
        .add(job("x", "interval", "1h").put("on_success", new JsonArray().add("x2")))
        .add(job("x2", "interval", "1h").put("on_success", new JsonArray().add("x")));
    Reply r = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs).put("dry_run", true));
    assertEquals("ERR", r.stat(), r.toString());
    assertTrue(r.json().getString("msg").contains("jobs[1] (x): job chain: a cycle, x -> x2 -> x"), r.toString());
  }
}
