package io.ruqi.alert;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ruqi.cluster.ClusteredVertx;
import io.ruqi.config.ClusterSettings;
import io.ruqi.events.RuqiEvents;
import io.ruqi.testing.TestNode;
import io.ruqi.testing.TestPorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clustered nodes count one streak per job, whichever node runs its fires, and tell each other only the events
 * that change a streak: a success, or a one-shot's removal once done, of a job that is not failing stays on its node.
 */
class FailureStreaksClusterTest {
  private static Vertx a;
  private static Vertx b;
  private static List<String> members;
  private static final SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
  private static final SimpleMeterRegistry metricsB = new SimpleMeterRegistry();
  /** What each hears on the shared address, from either node. */
  private static final List<String> heardByA = new CopyOnWriteArrayList<>();
  private static final List<String> heardByB = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void cluster() {
    int portA = TestPorts.free();
    int portB = TestPorts.free();
    members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    a = TestNode.await(ClusteredVertx.start(new ClusterSettings(true, "ruqi", "127.0.0.1", portA, members, "s3cret")));
    b = TestNode.await(ClusteredVertx.start(new ClusterSettings(true, "ruqi", "127.0.0.1", portB, members, "s3cret")));
    TestNode.await(new FailureStreaks(a, metricsA).start());
    TestNode.await(new FailureStreaks(b, metricsB).start());
    TestNode.await(a.eventBus().<JsonObject>consumer(FailureStreaks.SHARED, m -> heardByA.add(heard(m.body())))
        .completion());
    TestNode.await(b.eventBus().<JsonObject>consumer(FailureStreaks.SHARED, m -> heardByB.add(heard(m.body())))
        .completion());
    // a node learns of the other's consumers a moment after they register: until then its publishes reach no one
    linked(a, heardByB);
    linked(b, heardByA);
  }

  private static String heard(JsonObject event) {
    return event.getString("event") + " " + event.getString("job_id");
  }

  /** Publishes a probe (no job: streaks ignore it) from {@code from} until the other node hears it. */
  private static void linked(Vertx from, List<String> heardThere) {
    await(() -> {
      from.eventBus().publish(FailureStreaks.SHARED, new JsonObject().put("event", "probe"));
      return heardThere.contains("probe null");
    });
  }

  @AfterAll
  static void stop() {
    for (Vertx v : new Vertx[] {a, b}) {
      if (v != null) {
        TestNode.await(v.close());
      }
    }
  }

  @Test
  void a_streak_spans_both_nodes_and_only_the_events_that_change_it_cross() {
    fire(a, "fire_succeeded", "steady"); // never failing: its success stays on a
    fire(a, "fire_failed", "flaky");
    fire(b, "fire_timeout", "flaky");
    awaitGauge(metricsA, "ruqi.failure.streak.max", 2);
    awaitGauge(metricsB, "ruqi.failure.streak.max", 2);
    assertEquals(1.0, gauge(metricsB, "ruqi.jobs.failing"));

    fire(a, "fire_succeeded", "flaky"); // ends the streak on both
    awaitGauge(metricsB, "ruqi.jobs.failing", 0);
    awaitGauge(metricsA, "ruqi.jobs.failing", 0);
    fire(b, "fire_failed", "gone");
    awaitGauge(metricsA, "ruqi.jobs.failing", 1);
    removedDone(a, "gone"); // a one-shot done while failing: its removal crosses and ends the streak on both
    removedDone(a, "steady"); // a one-shot done, never failing: its removal stays on a
    fire(a, "job_removed", "by-api"); // a removal through the API crosses whatever the job
    awaitGauge(metricsB, "ruqi.jobs.failing", 0);
    fire(b, "fire_succeeded", "flaky"); // no streak any more: stays on b
    fire(a, "fire_missed", "flaky");
    fire(a, "fire_failed", "quick");
    fire(a, "fire_succeeded", "quick"); // a's own events count in their order, before they go out
    fire(a, "fire_failed", "last"); // a marker: everything a sent before it has arrived once b hears it
    await(() -> heardByB.contains("fire_failed last"));
    // a's events and b's own arrive in either order; the probes of the start are not the test's
    assertEquals(List.of("fire_failed flaky", "fire_failed gone", "fire_failed last", "fire_failed quick",
        "fire_succeeded flaky", "fire_succeeded quick", "fire_timeout flaky", "job_removed by-api", "job_removed gone"),
        heardByB.stream().filter(e -> !e.startsWith("probe")).sorted().toList());
    awaitGauge(metricsB, "ruqi.jobs.failing", 1);
    for (SimpleMeterRegistry metrics : List.of(metricsA, metricsB)) {
      assertEquals(1.0, gauge(metrics, "ruqi.jobs.failing"), "only 'last' fails");
      assertEquals(1.0, gauge(metrics, "ruqi.failure.streak.max"));
    }

    // a node that starts now takes the streaks counted so far, so that its success of 'last' reaches the others
    fire(a, "fire_failed", "last");
    awaitGauge(metricsB, "ruqi.failure.streak.max", 2);
    SimpleMeterRegistry metricsC = new SimpleMeterRegistry();
    int portC = TestPorts.free();
    Vertx c = TestNode.await(ClusteredVertx.start(new ClusterSettings(true, "ruqi", "127.0.0.1", portC,
        List.of(members.get(0), members.get(1), "127.0.0.1:" + portC), "s3cret")));
    try {
      TestNode.await(new FailureStreaks(c, metricsC).start());
      awaitGauge(metricsC, "ruqi.failure.streak.max", 2);
      assertEquals(1.0, gauge(metricsC, "ruqi.jobs.failing"));
      fire(c, "fire_succeeded", "last");
      awaitGauge(metricsB, "ruqi.jobs.failing", 0);
      awaitGauge(metricsA, "ruqi.jobs.failing", 0);
      assertEquals(0.0, gauge(metricsC, "ruqi.jobs.failing"));
    } finally {
      TestNode.await(c.close());
    }
  }

  /** As the scheduler tells a one-shot removed once its last fire is recorded. */
  private static void removedDone(Vertx node, String job) {
    new RuqiEvents(node.eventBus(), Clock.systemUTC(), ZoneOffset.UTC).removedDone(job, null);
  }

  private static void fire(Vertx node, String event, String job) {
    node.eventBus().publish(RuqiEvents.ADDRESS,
        new JsonObject().put("event", event).put("job_id", job).put("final", true));
  }

  private static double gauge(SimpleMeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }

  private static void awaitGauge(SimpleMeterRegistry registry, String name, double value) {
    await(() -> gauge(registry, name) == value);
    assertEquals(value, gauge(registry, name), name);
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    assertTrue(condition.getAsBoolean(), "not reached in 10 s");
  }
}
