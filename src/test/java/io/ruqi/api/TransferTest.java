package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.ruqi.testing.TickingClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** job_export then job_import into an empty store gives the same jobs; import is an idempotent upsert. */
class TransferTest implements StoreUnderTest {
  static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");
  TestNode source;
  TestNode target;

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (target != null) {
      target.close();
    }
  }

  static JsonObject job(String id, String trigger, String rule) {
    return new JsonObject().put("job_id", id).put("job_name", "t").put("job_trigger", trigger).put("rule", rule)
        .put("cmd", "echo " + id);
  }

  JsonArray exported(TestNode node) {
    Reply r = node.http.get("/ruqi/job_export");
    assertEquals("OK", r.stat(), r.toString());
    return r.json().getJsonObject("data").getJsonArray("jobs");
  }

  @Test
  void export_then_import_into_an_empty_store_gives_the_same_jobs() {
    source = TestNode.start(NOW, store().put("timezone", "Asia/Shanghai"));
    source.http.post("/ruqi/job_add", job("cron", "cron", "0 20 2 * * mon-fri").put("timezone", "America/New_York")
        .put("start_date", "2026-12-01 00:00:00").put("end_date", "2027-12-01 00:00:00"));
    source.http.post("/ruqi/job_add", job("interval", "interval", "1h30m").put("retries", 2)
        .put("retry_backoff", 1.5).put("max_instances", 3).put("coalesce", true));
    source.http.post("/ruqi/job_add", job("paused", "interval", "10s"));
    source.http.post("/ruqi/job_pause", new JsonObject().put("job_id", "paused"));
    source.http.post("/ruqi/job_add", job("once", "date", "now").put("keep_done", true));
    eventually(20, "the one-shot is done", () -> "done".equals(source.http.get("/ruqi/job_show?job_id=once").json()
        .getJsonObject("data").getString("state")));
    JsonArray jobs = exported(source);
    assertEquals(4, jobs.size());

    target = TestNode.start(NOW.plus(Duration.ofHours(1)), store().put("timezone", "Asia/Shanghai"));
    Reply imported = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs));
    assertEquals("OK", imported.stat(), imported.toString());
    assertEquals(4, imported.json().getJsonObject("data").getJsonArray("added").size());
    assertEquals(jobs, exported(target), "the same jobs, field for field");
    JsonObject paused = target.http.get("/ruqi/job_show?job_id=paused").json().getJsonObject("data");
    assertEquals("paused", paused.getString("state"));

    Reply again = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs));
    assertEquals(4, again.json().getJsonObject("data").getJsonArray("unchanged").size(), again.toString());
    assertEquals(0, again.json().getJsonObject("data").getJsonArray("modified").size());
  }

  @Test
  void a_dry_run_says_what_would_change_and_changes_nothing() {
    target = TestNode.start(NOW, store().put("timezone", "UTC"));
    target.http.post("/ruqi/job_add", job("a", "interval", "10s"));
    JsonArray jobs = new JsonArray()
        .add(job("a", "interval", "20s"))
        .add(job("b", "cron", "0 0 3 * * *"));
    Reply dry = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs).put("dry_run", true));
    JsonObject report = dry.json().getJsonObject("data");
    assertEquals(new JsonArray().add("b"), report.getJsonArray("added"));
    assertEquals(new JsonArray().add("a"), report.getJsonArray("modified"));
    assertTrue(report.getBoolean("dry_run"));
    assertEquals(1, target.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));
    assertEquals("10s", target.http.get("/ruqi/job_show?job_id=a").json().getJsonObject("data").getString("rule"));

    target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs));
    assertEquals("20s", target.http.get("/ruqi/job_show?job_id=a").json().getJsonObject("data").getString("rule"));
    assertEquals(2, target.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));
  }

  @Test
  void one_invalid_job_rejects_the_whole_import() {
    target = TestNode.start(NOW, store().put("timezone", "UTC"));
    JsonArray jobs = new JsonArray()
        .add(job("good", "interval", "10s"))
        .add(job("bad", "cron", "70 * * * * *"))
        .add(job("good", "interval", "5s"));
    Reply r = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs));
    assertEquals("ERR", r.stat(), r.toString());
    assertTrue(r.json().getString("msg").contains("jobs[1] (bad)"), r.json().getString("msg"));
    assertTrue(r.json().getString("msg").contains("twice"), r.json().getString("msg"));
    assertEquals(0, target.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"));
    assertEquals("ERR_BAD_PARAMS", target.http.post("/ruqi/job_import", new JsonObject().put("jobs", "nope")).stat());
  }

  @Test
  void an_import_checks_its_chains_as_job_add_does_over_the_jobs_it_brings_and_those_stored() {
    target = TestNode.start(NOW, store().put("timezone", "UTC"));
    assertEquals("OK", target.http.post("/ruqi/job_add", job("x", "interval", "10s")).stat());
    assertEquals("OK", target.http.post("/ruqi/job_add", job("stored", "interval", "10s")
        .put("on_success", new JsonArray().add("x"))).stat());
    JsonArray jobs = new JsonArray()
        .add(job("a", "interval", "10s").put("on_success", new JsonArray().add("b")))
        .add(job("b", "interval", "10s").put("on_failure", new JsonArray().add("stored")))
        .add(job("x", "interval", "10s").put("on_success", new JsonArray().add("a")))
        .add(job("lost", "interval", "10s").put("on_success", new JsonArray().add("nowhere")));
    for (boolean dryRun : new boolean[] {true, false}) {
      Reply r = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs).put("dry_run", dryRun));
      assertEquals("ERR", r.stat(), r.toString());
      String msg = r.json().getString("msg");
      // x -> a -> b -> stored -> x, through two imported jobs, one stored one and the one it brings again
      assertTrue(msg.contains("jobs[2] (x): job chain: a cycle, x -> a -> b -> stored -> x"), msg);
      assertTrue(msg.contains("jobs[3] (lost): job chain: no job 'nowhere' (named by lost)"), msg);
      assertTrue(msg.startsWith("4 of 4 jobs cannot be imported, so none was"), msg);
    }
    assertEquals("ERR", target.http.get("/ruqi/job_show?job_id=a").stat(), "nothing written");
    Object xChildren = target.http.get("/ruqi/job_show?job_id=x").json().getJsonObject("data")
        .getJsonObject("options").getValue("on_success");
    assertTrue(xChildren == null || ((JsonArray) xChildren).isEmpty(), "x as it was: " + xChildren);

    // without the stored job's edge back and the missing one, the same chains import
    jobs.getJsonObject(1).remove("on_failure");
    jobs.remove(3);
    Reply ok = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs));
    assertEquals("OK", ok.stat(), ok.toString());
    assertEquals(new JsonArray().add("b"), target.http.get("/ruqi/job_show?job_id=a").json().getJsonObject("data")
        .getJsonObject("options").getJsonArray("on_success"));
  }

  @Test
  void a_job_exported_with_a_chain_to_a_job_removed_since_imports_again_as_it_is() {
    target = TestNode.start(NOW, store().put("timezone", "UTC"));
    assertEquals("OK", target.http.post("/ruqi/job_add", job("child", "interval", "1h")).stat());
    assertEquals("OK", target.http.post("/ruqi/job_add", job("parent", "interval", "1h")
        .put("on_success", new JsonArray().add("child"))).stat());
    assertEquals("OK", target.http.post("/ruqi/job_remove", new JsonObject().put("job_id", "child")).stat());
    JsonArray jobs = exported(target);
    jobs.getJsonObject(0).put("rule", "2h");
    Reply again = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs));
    assertEquals("OK", again.stat(), "job_remove leaves the name, as job_modify would: " + again);
    // a name the import adds must exist, as job_add's must
    jobs.getJsonObject(0).put("on_success", new JsonArray().add("child").add("other"));
    Reply added = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs));
    assertEquals("ERR", added.stat(), added.toString());
    assertTrue(added.json().getString("msg").contains("no job 'other' (named by parent)"), added.toString());
  }

  @Test
  void a_chain_of_thousands_of_imported_jobs_is_checked_whole() {
    target = TestNode.start(NOW, store().put("timezone", "UTC")
        .put("http", new JsonObject().put("body_limit", 4 << 20)));
    int n = 3_000;
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < n; i++) {
      jobs.add(job("c" + i, "interval", "1h").put("on_success", new JsonArray().add("c" + ((i + 1) % n))));
    }
    Reply cycle = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs).put("dry_run", true));
    assertEquals("ERR", cycle.stat(), cycle.toString());
    assertTrue(cycle.json().getString("msg").startsWith(n + " of " + n + " jobs cannot be imported"),
        cycle.json().getString("msg").substring(0, 200));
    assertTrue(cycle.json().getString("msg").contains("jobs[0] (c0): job chain: a cycle, c0 -> c1 -> c2"),
        cycle.json().getString("msg").substring(0, 200));

    jobs.getJsonObject(n - 1).remove("on_success");
    Reply open = target.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs).put("dry_run", true));
    assertEquals("OK", open.stat(), open.toString().substring(0, 200));
    assertEquals(n, open.json().getJsonObject("data").getJsonArray("added").size());
  }

  @Test
  void a_long_import_logs_how_far_it_is() {
    // a node whose clock is 10 s further at every reading: each job written is worth a line
    source = TestNode.start(new TickingClock(NOW, Duration.ofSeconds(10)), store().put("timezone", "UTC"));
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < 30; i++) {
      jobs.add(job("p" + i, "interval", "1h").put("paused", true));
    }
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(JobTransfer.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      Reply r = source.http.post("/ruqi/job_import", new JsonObject().put("jobs", jobs));
      assertEquals(30, r.json().getJsonObject("data").getJsonArray("added").size(), r.toString());
    } finally {
      logger.detachAppender(lines);
    }
    List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(31, logged.size(), "a line per job and the last: " + logged);
    assertTrue(logged.get(0).startsWith("job_import: 1 of 30 jobs (3%), "), logged.get(0));
    assertTrue(logged.get(29).startsWith("job_import: 30 of 30 jobs (100%), "), logged.get(29));
    assertTrue(logged.get(30).startsWith("job_import: 30 jobs in "), logged.get(30));
  }
}
