package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delivery policy: stored with the job's options, checked, reset by null, carried by export and import. */
class DeliveryOptionTest implements StoreUnderTest {
  static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");
  TestNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  JsonObject options(String jobId) {
    return node.http.get("/ruqi/job_show?job_id=" + jobId).json().getJsonObject("data").getJsonObject("options");
  }

  @Test
  void a_job_chooses_at_least_once_and_a_bad_value_is_refused_with_a_reason() {
    node = TestNode.start(NOW, store().put("timezone", "UTC"));
    JsonObject job = new JsonObject().put("job_id", "idem").put("job_name", "d").put("job_trigger", "interval")
        .put("rule", "10s").put("cmd", "true");
    Reply bad = node.http.post("/ruqi/job_add", job.copy().put("delivery", "exactly_once"));
    assertEquals("ERR", bad.stat(), bad.toString());
    assertTrue(bad.json().getString("msg").contains("at_least_once"), bad.toString());
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=idem").stat(), "a rejected add changes nothing");

    assertEquals("OK", node.http.post("/ruqi/job_add", job.copy().put("delivery", "at_least_once")).stat());
    assertEquals("at_least_once", options("idem").getString("delivery"));
    JsonArray exported = node.http.get("/ruqi/job_export").json().getJsonObject("data").getJsonArray("jobs");
    assertEquals("at_least_once", exported.getJsonObject(0).getString("delivery"), exported.encode());

    Reply badModify = node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "idem").put("delivery", 1));
    assertEquals("ERR_BAD_PARAMS", badModify.stat(), badModify.toString());
    assertEquals("at_least_once", options("idem").getString("delivery"), "unchanged");
    assertEquals("OK", node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "idem")
        .putNull("delivery")).stat());
    assertFalse(options("idem").containsKey("delivery"), "null: back to the service default");
  }
}
