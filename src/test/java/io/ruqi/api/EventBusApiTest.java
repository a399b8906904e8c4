package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The event-bus API is the HTTP API: the same JSON in gets the same JSON out. */
class EventBusApiTest implements StoreUnderTest {
  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), store().put("timezone", "Asia/Shanghai"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  JsonObject bus(String op, JsonObject params) {
    Message<Object> reply = TestNode.await(node.vertx.eventBus().request("ruqi." + op, params));
    return (JsonObject) reply.body();
  }

  static JsonObject job(String id) {
    return new JsonObject().put("job_id", id).put("job_name", "n").put("job_trigger", "cron")
        .put("rule", "0 20 2 * * *").put("cmd", "echo report");
  }

  @Test
  void job_add_over_the_bus_answers_what_http_answers() {
    Reply http = node.http.post("/ruqi/job_add", job("same"));
    node.http.post("/ruqi/job_remove", new JsonObject().put("job_id", "same"));
    JsonObject viaBus = bus("job_add", job("same"));
    assertEquals(http.json(), viaBus);
    assertEquals("OK", viaBus.getString("stat"));
  }

  @Test
  void reads_over_the_bus_match_http() {
    bus("add_job", job("a"));
    assertEquals(node.http.get("/ruqi/job_list").json(), bus("job_list", new JsonObject()));
    assertEquals(node.http.get("/ruqi/get_job?job_id=a").json(), bus("get_job", new JsonObject().put("job_id", "a")));
    assertEquals(node.http.post("/ruqi/job_next_times", new JsonObject().put("job_trigger", "interval")
            .put("rule", "1h")).json(),
        bus("job_next_times", new JsonObject().put("job_trigger", "interval").put("rule", "1h")));
  }

  @Test
  void errors_over_the_bus_match_http() {
    JsonObject missing = new JsonObject().put("job_id", "ghost");
    assertEquals(node.http.post("/ruqi/job_show", missing).json(), bus("job_show", missing));
    JsonObject badRule = job("b").put("rule", "70 * * * * *");
    assertEquals(node.http.post("/ruqi/job_add", badRule).json(), bus("job_add", badRule));
    JsonObject badType = job("c").put("job_id", 7);
    JsonObject busReply = bus("job_add", badType);
    assertEquals(node.http.post("/ruqi/job_add", badType).json(), busReply);
    assertEquals("ERR_BAD_PARAMS", busReply.getString("stat"));
  }

  @Test
  void a_change_over_the_bus_is_audited_as_eventbus_whatever_its_headers_say_and_over_open_http_as_anonymous() {
    DeliveryOptions claimsToBeRoot = new DeliveryOptions().addHeader("caller", "root").addHeader("actor", "root")
        .addHeader("Authorization", "Bearer root");
    Message<Object> added = TestNode.await(node.vertx.eventBus().request("ruqi.job_add", job("bus"), claimsToBeRoot));
    assertEquals("OK", ((JsonObject) added.body()).getString("stat"));
    assertEquals("OK", node.http.post("/ruqi/job_pause", new JsonObject().put("job_id", "bus")).stat());
    JsonArray rows = node.http.get("/ruqi/audit_list?job_id=bus").json().getJsonObject("data").getJsonArray("list");
    assertEquals(2, rows.size(), rows.encodePrettily());
    assertEquals("job_pause by anonymous", rows.getJsonObject(0).getString("operation") + " by "
        + rows.getJsonObject(0).getString("actor"));
    assertEquals("job_add by eventbus", rows.getJsonObject(1).getString("operation") + " by "
        + rows.getJsonObject(1).getString("actor"));
  }

  @Test
  void a_non_object_message_is_bad_params() {
    Message<Object> reply = TestNode.await(node.vertx.eventBus().request("ruqi.job_list", "not json"));
    assertEquals("ERR_BAD_PARAMS", ((JsonObject) reply.body()).getString("stat"));
  }
}
