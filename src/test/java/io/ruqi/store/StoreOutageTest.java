package io.ruqi.store;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While the database is down the API says so (503) instead of hanging or failing vaguely, job_run (answered by the
 * scheduler) too; then it recovers.
 */
class StoreOutageTest {

  @Test
  void the_api_answers_503_during_an_outage_and_recovers_by_itself() {
    try (MariaDbServer db = MariaDbServer.start();
         TestNode node = TestNode.startRealTime(new JsonObject().put("store", new JsonObject().put("url", db.url())))) {
      JsonObject job = new JsonObject().put("job_id", "a").put("job_name", "n").put("job_trigger", "interval")
          .put("rule", "1h").put("cmd", "true");
      assertEquals("OK", node.http.post("/ruqi/job_add", job).stat());
      eventually(10, "ready", () -> node.http.get("/ready").status() == 200);

      db.stop();
      long start = System.nanoTime();
      Reply list = node.http.get("/ruqi/job_list");
      assertEquals(503, list.status(), list.toString());
      assertEquals("ERR_STORE_UNAVAILABLE", list.stat());
      assertTrue((System.nanoTime() - start) / 1e9 < 15, "answers within seconds, not the 30 s request timeout");
      Reply add = node.http.post("/ruqi/job_add", job.copy().put("job_id", "b"));
      assertEquals(503, add.status(), add.toString());
      Reply run = node.http.post("/ruqi/job_run", new JsonObject().put("job_id", "a"));
      assertEquals(503, run.status(), run.toString());
      assertEquals("ERR_STORE_UNAVAILABLE", run.stat(), "a run by hand says why it was not run");
      eventually(15, "not ready", () -> node.http.get("/ready").status() == 503);

      db.startAgain();
      eventually(30, "the API works again", () -> "OK".equals(node.http.get("/ruqi/job_list").stat()));
      eventually(30, "ready again", () -> node.http.get("/ready").status() == 200);
      assertEquals(1, node.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"),
          "the rejected add changed nothing, the acknowledged one is there");
    }
  }
}
