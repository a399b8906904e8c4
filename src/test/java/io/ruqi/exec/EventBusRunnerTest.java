package io.ruqi.exec;

import io.ruqi.store.FireRef;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event-bus commands against real consumers. */
class EventBusRunnerTest {

  /** One message as a consumer saw it. */
  record Seen(Object body, MultiMap headers) {
  }

  static Vertx vertx;
  static EventBusRunner runner;
  final List<MessageConsumer<?>> consumers = new ArrayList<>();
  final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

  static final Instant FIRE_TIME = Instant.parse("2026-11-21T04:00:00Z");

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    runner = new EventBusRunner(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void unregister() throws Exception {
    for (MessageConsumer<?> c : consumers) {
      c.unregister().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  /** A consumer that records each message, then answers it with {@code answer}. */
  void consumer(String address, java.util.function.Consumer<io.vertx.core.eventbus.Message<Object>> answer)
      throws Exception {
    MessageConsumer<Object> c = vertx.eventBus().consumer(address, msg -> {
      seen.add(new Seen(msg.body(), MultiMap.caseInsensitiveMultiMap().addAll(msg.headers())));
      answer.accept(msg);
    });
    c.completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    consumers.add(c);
  }

  static FireContext fire(Duration timeout) {
    return new FireContext("job-7", "nightly", FIRE_TIME, new FireRef("job-7", FIRE_TIME).id(), 1, timeout);
  }

  /** Runs on a Vert.x context; fails when the future fails or completes on another context. */
  static RunResult run(Command command, FireContext fire) throws Exception {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<RunResult> out = new CompletableFuture<>();
    caller.runOnContext(v -> runner.run(command, fire).onComplete(done -> {
      if (Vertx.currentContext() != caller) {
        out.completeExceptionally(new AssertionError("completed on another context"));
      } else if (done.failed()) {
        out.completeExceptionally(new AssertionError("the future failed", done.cause()));
      } else {
        out.complete(done.result());
      }
    }));
    return out.get(10, TimeUnit.SECONDS);
  }

  static RunResult run(String cmd) throws Exception {
    return run(CommandParser.parse(cmd), fire(Duration.ofSeconds(5)));
  }

  Seen lastMessage() throws InterruptedException {
    Seen s = seen.poll(5, TimeUnit.SECONDS);
    assertNotNull(s, "the consumer got no message");
    return s;
  }

  @Test
  void a_reply_is_a_success_and_its_body_the_output() throws Exception {
    consumer("reports.daily", msg -> msg.reply(new JsonObject().put("done", true)));
    RunResult r = run("eventbus:reports.daily#{\"day\":\"2026-11-21\",\"tag\":\"#1\"}");
    assertEquals(new RunResult(true, null, "{\"done\":true}", false), r);
    assertEquals(new JsonObject().put("day", "2026-11-21").put("tag", "#1"), lastMessage().body());
  }

  @Test
  void a_text_reply_is_kept_as_text_and_a_big_one_is_capped() throws Exception {
    consumer("echo.text", msg -> msg.reply("plain words"));
    assertEquals("plain words", run("eventbus:echo.text").output());
    consumer("echo.big", msg -> msg.reply("BEGIN" + "y".repeat(100_000) + "END"));
    String big = run("eventbus:echo.big").output();
    assertTrue(big.length() <= OutputCap.MAX_CHARS && big.startsWith("BEGIN") && big.endsWith("END"));
  }

  @Test
  void bodies_are_sent_as_their_json_type() throws Exception {
    consumer("bodies", msg -> msg.reply("ok"));
    run("eventbus:bodies#[1,2]");
    assertEquals(new JsonArray().add(1).add(2), lastMessage().body());
    run("eventbus:bodies#\"hello\"");
    assertEquals("hello", lastMessage().body());
    run("eventbus:bodies#42");
    assertEquals(42, lastMessage().body());
    run("eventbus:bodies#true");
    assertEquals(true, lastMessage().body());
    run("eventbus:bodies");
    assertEquals(new JsonObject(), lastMessage().body());
    run(new Command.EventBus("bodies", null), fire(Duration.ofSeconds(5)));
    assertEquals(new JsonObject(), lastMessage().body());
  }

  @Test
  void the_job_and_fire_travel_as_headers() throws Exception {
    consumer("with.headers", msg -> msg.reply("ok"));
    run("eventbus:with.headers");
    MultiMap h = lastMessage().headers();
    assertEquals("job-7", h.get("X-Ruqi-Job-Id"));
    assertEquals("nightly", h.get("X-Ruqi-Job-Name"));
    assertEquals("2026-11-21T04:00:00Z", h.get("X-Ruqi-Fire-Time"));
    assertEquals("job-7@" + FIRE_TIME.toEpochMilli(), h.get("X-Ruqi-Fire-Id"));
    assertEquals("1", h.get("X-Ruqi-Attempt"));
  }

  @Test
  void a_consumer_failure_is_a_failure_with_its_code_and_message() throws Exception {
    consumer("fails", msg -> msg.fail(42, "boom"));
    RunResult r = run("eventbus:fails");
    assertFalse(r.success());
    assertFalse(r.timedOut());
    assertTrue(r.output().contains("42") && r.output().contains("boom"), r.output());
  }

  @Test
  void no_consumer_is_a_failure_naming_the_address() throws Exception {
    assertEquals(RunResult.failed("no handler for address nobody.home"), run("eventbus:nobody.home"));
  }

  @Test
  void a_consumer_that_never_replies_times_out() throws Exception {
    consumer("silent", msg -> {
    });
    long start = System.nanoTime();
    RunResult r = run(CommandParser.parse("eventbus:silent"), fire(Duration.ofSeconds(1)));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(r.timedOut());
    assertFalse(r.success());
    assertNull(r.exitCode());
    assertTrue(r.output().startsWith("timed out after 1 s"), r.output());
    assertTrue(tookMs >= 900 && tookMs < 3000, "took " + tookMs + " ms");
  }

  @Test
  void other_commands_are_a_failed_result_not_a_failed_future() throws Exception {
    RunResult r = run(new Command.Http("http://127.0.0.1:1/", null), fire(Duration.ofSeconds(1)));
    assertFalse(r.success());
    assertTrue(r.output().contains("cannot run"), r.output());
  }
}
