package io.ruqi.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the client does, whichever way it reaches ruqi: each subclass runs these against a real node, one over the
 * event bus as a cluster member, one over HTTP.
 */
abstract class ClientContract {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** The Vert.x instance the client lives in (a cluster member, or any). */
  abstract Vertx vertx();

  /** A client on {@code vertx}, as a verticle would make one. */
  abstract RuqiClient client(Vertx vertx);

  /** Unique per test, and per transport: both share nothing but the node's kind. */
  String id(String what) {
    return getClass().getSimpleName() + "-" + what + "-" + IDS.incrementAndGet();
  }

  /** {@code <job_id>@<epoch ms>}, the millisecond of the fire time shown to the second (the node's zone is UTC). */
  static void assertFireId(String jobId, LocalDateTime fireTime, String fireId) {
    assertTrue(fireId.startsWith(jobId + "@"), fireId);
    long millis = Long.parseLong(fireId.substring(jobId.length() + 1));
    assertEquals(fireTime.toInstant(ZoneOffset.UTC).toEpochMilli(), millis - millis % 1000, fireId);
  }

  /** The issue's "done": a user's own verticle adds a job and watches it fire, in a few typed lines. */
  static final class Reporter extends VerticleBase {
    private final ClientContract transport;
    private final String jobId;
    final Promise<JobEvent> succeeded = Promise.promise();
    volatile Watch watch;

    Reporter(ClientContract transport, String jobId) {
      this.transport = transport;
      this.jobId = jobId;
    }

    @Override
    public Future<?> start() {
      RuqiClient ruqi = transport.client(vertx);
      return ruqi.watch(jobId, event -> {
        if (JobEvent.FIRE_SUCCEEDED.equals(event.event())) {
          succeeded.tryComplete(event);
        }
      }).compose(watch -> {
        this.watch = watch;
        return ruqi.add(JobSpec.interval(jobId, "1s", "true").name("reports"));
      });
    }
  }

  @Test
  void a_verticle_adds_a_job_and_watches_it_fire() {
    String id = id("reporter");
    Reporter reporter = new Reporter(this, id);
    String deployment = Await.result(vertx().deployVerticle(reporter));
    try {
      JobEvent fired = Await.result(reporter.succeeded.future());
      assertEquals(id, fired.jobId());
      assertEquals("success", fired.status());
      assertFireId(id, fired.fireTime(), fired.fireId());
      assertNotNull(fired.node());

      // the fire it saw is in the job's history
      Page<HistoryEntry> history = Await.result(client(vertx()).history(id, 1, 100));
      assertTrue(history.items().stream().anyMatch(h -> h.fireTime().equals(fired.fireTime())
          && "success".equals(h.status()) && h.success() && h.exitCode() == 0 && id.equals(h.jobId())),
          "history of " + id + ": " + history);

      Await.result(reporter.watch.close());
      Await.result(reporter.watch.ended());
    } finally {
      Await.result(vertx().undeploy(deployment));
      Await.result(client(vertx()).remove(id));
    }
  }

  @Test
  void every_typed_call_answers_the_job_as_stored() {
    RuqiClient ruqi = client(vertx());
    String id = id("typed");
    String name = id + "-name";
    Job added = Await.result(ruqi.add(JobSpec.cron(id, "0 0 3 * * *", "true").name(name)
        .timezone(ZoneId.of("Asia/Shanghai")).maxInstances(2).timeout(Duration.ofSeconds(90))
        .misfireGraceTime(Duration.ofMillis(1500))));
    assertEquals(id, added.jobId());
    assertEquals(name, added.jobName());
    assertEquals("cron", added.trigger());
    assertEquals("0 0 3 * * *", added.rule());
    assertEquals(ZoneId.of("Asia/Shanghai"), added.timezone());
    assertEquals(Job.SCHEDULED, added.state());
    assertEquals(3, added.nextRunTime().getHour(), "the next fire, in the job's zone: " + added);
    assertEquals(new JsonObject().put("max_instances", 2).put("timeout", 90).put("misfire_grace_time", 1.5),
        added.options());
    assertEquals(added, Await.result(ruqi.show(id)));

    Job modified = Await.result(ruqi.modify(JobSpec.of(id).cmd("echo changed")));
    assertEquals("echo changed", modified.cmd());
    assertEquals("0 0 3 * * *", modified.rule(), "only what the spec sets changes");
    assertEquals(added.version() + 1, modified.version());

    Job paused = Await.result(ruqi.pause(id));
    assertTrue(paused.paused());
    assertNull(paused.nextRunTime());
    Job resumed = Await.result(ruqi.resume(id));
    assertEquals(Job.SCHEDULED, resumed.state());
    assertNotNull(resumed.nextRunTime());

    Page<Job> listed = Await.result(ruqi.list(name, 1, 15));
    assertEquals(1, listed.total());
    assertEquals(resumed, listed.items().get(0));
    assertFalse(listed.truncated());

    Fire fire = Await.result(ruqi.run(id));
    assertEquals(id, fire.jobId());
    assertFireId(id, fire.fireTime(), fire.fireId());

    JsonObject next = Await.result(ruqi.call("job_next_times", new JsonObject().put("job_trigger", "interval")
        .put("rule", "1h30m").put("count", 2)));
    assertEquals(2, next.getJsonObject("data").getJsonArray("times").size(), next.encode());

    Await.result(ruqi.remove(id));
    RuqiException gone = Await.refusal(ruqi.show(id));
    assertEquals(Stat.ERR, gone.stat());
    assertTrue(gone.reason().contains(id), gone.reason());
  }

  @Test
  void a_refusal_carries_ruqis_stat_and_message_and_changes_nothing() {
    RuqiClient ruqi = client(vertx());
    String id = id("refused");
    Job added = Await.result(ruqi.add(JobSpec.interval(id, "1h", "true").name("refusals")));
    assertEquals("3600s", added.rule(), "ruqi's normalised rule");

    RuqiException taken = Await.refusal(ruqi.add(JobSpec.interval(id, "5m", "false").name("refusals")));
    assertEquals(Stat.ERR, taken.stat());
    assertTrue(taken.reason().contains(id), taken.reason());

    RuqiException nameless = Await.refusal(ruqi.add(JobSpec.interval(id("nameless"), "1h", "true")));
    assertEquals(Stat.ERR_BAD_PARAMS, nameless.stat());
    assertTrue(nameless.reason().contains("job_name"), nameless.reason());

    RuqiException stale = Await.refusal(ruqi.modify(JobSpec.of(id).cmd("false").version(added.version() + 7)));
    assertEquals(Stat.ERR_CONFLICT, stale.stat());

    RuqiException badRule = Await.refusal(ruqi.modify(JobSpec.of(id).trigger("cron", "61 * * * * *")));
    assertEquals(Stat.ERR, badRule.stat());

    assertEquals(added, Await.result(ruqi.show(id)), "nothing was changed");
    assertInstanceOf(IllegalArgumentException.class, Await.failure(ruqi.call("job_show/../x", new JsonObject())));
    Await.result(ruqi.remove(id));
  }
}
