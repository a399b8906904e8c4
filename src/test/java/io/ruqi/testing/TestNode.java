package io.ruqi.testing;

import io.ruqi.NodeVertx;
import io.ruqi.RuqiNode;
import io.ruqi.config.RuqiConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A real ruqi node in this JVM, on a free port and a fresh in-memory store, driven from the test thread. */
public final class TestNode implements AutoCloseable {
  public final Vertx vertx;
  public final RuqiNode node;
  /** The node's clock: a {@link SettableClock} unless started in real time. */
  public final SettableClock clock;
  public final HttpTestClient http;

  private TestNode(Vertx vertx, RuqiNode node, SettableClock clock) {
    this.vertx = vertx;
    this.node = node;
    this.clock = clock;
    this.http = new HttpTestClient(node.port());
  }

  /** A node whose clock starts at {@code now} in the given service time zone. */
  public static TestNode start(Instant now, String timezone) {
    return start(now, new JsonObject().put("timezone", timezone));
  }

  public static TestNode start(Instant now, JsonObject conf) {
    return start(new SettableClock(now), conf);
  }

  /** A node on the system clock, for tests that watch real fires happen. */
  public static TestNode startRealTime(JsonObject conf) {
    return start((SettableClock) null, conf);
  }

  /** A node on any clock (e.g. one running ahead of the database's, {@link Clock#offset}); not settable. */
  public static TestNode start(Clock clock, JsonObject conf) {
    return start(clock, null, conf);
  }

  private static TestNode start(SettableClock clock, JsonObject conf) {
    return start(clock != null ? clock : Clock.systemUTC(), clock, conf);
  }

  private static TestNode start(Clock clock, SettableClock settable, JsonObject conf) {
    JsonObject base = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("store", new JsonObject().put("url", "sqlite:mem:" + UUID.randomUUID()))
        .put("node", new JsonObject().put("name", "test-node"));
    RuqiConfig config = RuqiConfig.from(base.mergeIn(conf, true));
    NodeVertx nodeVertx = await(NodeVertx.create(config));
    Vertx vertx = nodeVertx.vertx();
    RuqiNode node = await(RuqiNode.start(nodeVertx, config, clock, "localhost"));
    return new TestNode(vertx, node, settable);
  }

  /** Moves the settable clock and makes the scheduler look at the store again, as its timer would have. */
  public void advance(java.time.Duration d) {
    clock.advance(d);
    wakeup();
  }

  /**
   * Moves the settable clock by {@code step} every 100 ms of real time, waking the scheduler each time, until
   * {@code done} holds (for tests where real work, such as a running process, and scheduled time both pass).
   */
  public void tickUntil(java.time.Duration step, int seconds, String what, java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      advance(step);
      sleep(100);
    }
  }

  public void wakeup() {
    http.get("/ruqi/scheduler_wakeup");
  }

  /** History rows of a job, newest first. */
  public io.vertx.core.json.JsonArray history(String jobId) {
    return http.get("/ruqi/job_history_list?job_id=" + jobId).json().getJsonObject("data").getJsonArray("list");
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Polls until {@code check} holds, up to {@code seconds}; fails with {@code what} otherwise. */
  public static void eventually(int seconds, String what, java.util.function.BooleanSupplier check) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (check.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        // An interrupt (a test's timeout) is not a pass: the condition was never seen.
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted before " + what, e);
      }
    }
    throw new AssertionError("not within " + seconds + " s: " + what);
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    await(node.stop());
    await(vertx.close());
  }
}
