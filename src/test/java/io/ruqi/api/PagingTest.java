package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No list reply carries more than api.max_page_size rows, also when no page is asked for (RuQi's "every row"):
 * it then says it left rows out, and the rest is reached by page_index. job_export pages the same way, and its
 * pages import one by one into the same jobs.
 */
class PagingTest implements StoreUnderTest {
  static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");
  static final JsonObject SMALL_PAGES = new JsonObject().put("timezone", "UTC")
      .put("api", new JsonObject().put("max_page_size", 5));
  TestNode node;
  TestNode target;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (target != null) {
      target.close();
    }
  }

  void addSeven() {
    node = TestNode.start(NOW, store().mergeIn(SMALL_PAGES));
    for (int i = 1; i <= 7; i++) {
      Reply r = node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "j" + i).put("job_name", "n")
          .put("job_trigger", "interval").put("rule", i + "h").put("cmd", "true"));
      assertEquals("OK", r.stat(), r.toString());
      node.clock.advance(Duration.ofSeconds(1));
    }
  }

  JsonObject data(String pathAndQuery) {
    Reply r = node.http.get(pathAndQuery);
    assertEquals("OK", r.stat(), pathAndQuery + ": " + r);
    return r.json().getJsonObject("data");
  }

  static void assertTruncated(JsonObject page, String field) {
    assertEquals(7, page.getLong("total"), page.encode());
    assertEquals(5, page.getJsonArray(field).size(), page.encode());
    assertEquals(true, page.getBoolean("truncated"), page.encode());
    assertEquals(5, page.getInteger("page_size"), page.encode());
  }

  @Test
  void lists_without_a_page_carry_at_most_the_maximum_and_say_so() {
    addSeven();
    JsonObject all = data("/ruqi/get_jobs");
    assertTruncated(all, "list");
    assertEquals("j7", all.getJsonArray("list").getJsonObject(0).getString("job_id"), "newest first");
    JsonObject rest = data("/ruqi/job_list?page_index=2&page_size=5");
    assertEquals(2, rest.getJsonArray("list").size());
    assertFalse(rest.containsKey("truncated"), "a page asked for is what it is: " + rest.encode());
    Reply tooBig = node.http.get("/ruqi/job_list?page_index=1&page_size=6");
    assertEquals("ERR_BAD_PARAMS", tooBig.stat());
    assertTrue(tooBig.json().getString("msg").contains("between 1 and 5"), tooBig.toString());
    assertFalse(data("/ruqi/job_list?job_name=n&job_id=j1").containsKey("truncated"), "one row: nothing left out");

    assertTruncated(data("/ruqi/audit_list"), "list");

    for (int i = 1; i <= 7; i++) {
      Reply run = node.http.post("/ruqi/job_run", new JsonObject().put("job_id", "j" + i));
      assertEquals("OK", run.stat(), run.toString());
    }
    eventually(60, "seven history rows", () -> data("/ruqi/job_history_list?page_index=1&page_size=1")
        .getLong("total") >= 7);
    JsonObject history = data("/ruqi/get_history");
    assertEquals(5, history.getJsonArray("list").size(), history.encode());
    assertEquals(true, history.getBoolean("truncated"), history.encode());
  }

  @Test
  void job_export_is_paged_and_each_page_imports() {
    addSeven();
    JsonObject first = data("/ruqi/job_export");
    assertTruncated(first, "jobs");
    JsonObject second = data("/ruqi/job_export?page_index=2");
    assertEquals(2, second.getJsonArray("jobs").size(), "a page is a whole page by default: " + second.encode());

    target = TestNode.start(NOW, store().mergeIn(SMALL_PAGES));
    for (JsonObject page : new JsonObject[] {first, second}) {
      Reply imported = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", page.getJsonArray("jobs")));
      assertEquals("OK", imported.stat(), imported.toString());
    }
    JsonArray all = new JsonArray();
    for (int page = 1; page <= 2; page++) {
      Reply r = target.http.get("/ruqi/job_export?page_index=" + page);
      all.addAll(r.json().getJsonObject("data").getJsonArray("jobs"));
    }
    JsonArray expected = first.getJsonArray("jobs").copy().addAll(second.getJsonArray("jobs"));
    assertEquals(7, all.size());
    for (Object job : expected) {
      assertTrue(all.contains(job), "imported as exported: " + job);
    }
    Reply again = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", first.getJsonArray("jobs")));
    assertEquals(5, again.json().getJsonObject("data").getJsonArray("unchanged").size(), again.toString());
  }
}
