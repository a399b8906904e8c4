package io.ruqi.exec;

import io.ruqi.config.PolicySettings;
import io.ruqi.store.FireRef;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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

/** HTTP and local-path commands against a real HTTP sink on 127.0.0.1. */
class HttpRunnerTest {

  /** One request as the sink saw it. */
  record Seen(String method, String path, MultiMap headers, String body) {
  }

  static Vertx vertx;
  static HttpServer sink;
  static WebClient client;
  static String base;
  static final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

  static final Instant FIRE_TIME = Instant.parse("2026-11-21T04:00:00Z");
  static final CommandPolicy OPEN = new CommandPolicy(new PolicySettings(List.of(), List.of()));
  /** Only the sink's own host: 127.0.0.2, where {@link #elsewhere} listens, is another host to the policy. */
  static final CommandPolicy SINK_ONLY = new CommandPolicy(
      new io.ruqi.config.PolicySettings(java.util.List.of(), java.util.List.of("127.0.0.1")));
  /** A second server on another loopback address, which the policy refuses. */
  static HttpServer elsewhere;
  static String elsewhereBase;
  /**
   * What the host outside the policy received. It records a request before it answers, and a run answers only
   * after the last request it sent was answered: once a run has its result, a request it sent here is in this
   * queue, so a test looks at once (no wait before a check that nothing came).
   */
  static final BlockingQueue<Seen> seenElsewhere = new LinkedBlockingQueue<>();

  @BeforeAll
  static void startSink() throws Exception {
    vertx = Vertx.vertx();
    sink = vertx.createHttpServer().requestHandler(HttpRunnerTest::answer);
    sink = await(sink.listen(0, "127.0.0.1"));
    base = "http://127.0.0.1:" + sink.actualPort();
    elsewhere = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seenElsewhere.add(new Seen(req.method().name(), req.path(),
          MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString(StandardCharsets.UTF_8)));
      req.response().putHeader("Content-Type", "application/json").end("{\"stat\":\"OK\"}");
    })).listen(0, "127.0.0.2"));
    elsewhereBase = "http://127.0.0.2:" + elsewhere.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    await(vertx.close());
  }

  @BeforeEach
  void forgetRequests() {
    seen.clear();
    seenElsewhere.clear();
  }

  private static void answer(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      seen.add(new Seen(req.method().name(), req.path(),
          MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString(StandardCharsets.UTF_8)));
      var res = req.response();
      if (req.path().startsWith("/redirect/")) {
        // /redirect/<status>?to=<location>: a server sending its client on
        res.setStatusCode(Integer.parseInt(req.path().substring("/redirect/".length())))
            .putHeader("Location", req.getParam("to")).end();
        return;
      }
      if (req.path().equals("/loop")) {
        res.setStatusCode(303).putHeader("Location", "/loop").end();
        return;
      }
      switch (req.path()) {
        case "/ok" -> res.putHeader("Content-Type", "application/json").end("{\"stat\":\"OK\"}");
        case "/plain" -> res.putHeader("Content-Type", "text/plain").end("all good");
        case "/err" -> res.putHeader("Content-Type", "application/json").end("{\"stat\":\"ERR\"}");
        case "/created" -> res.setStatusCode(201).end("{\"id\":7}");
        case "/500" -> res.setStatusCode(500).end("boom");
        case "/big" -> res.end(marked(1_000_000));
        case "/huge" -> res.end(marked(3_000_000));
        case "/slow" -> {
          // never answers
        }
        case "/drip" -> {
          // answers at once, then one byte every 100 ms for 4 s: no idle timeout fires, only a deadline ends the run
          res.setChunked(true).writeHead();
          int[] left = {40};
          vertx.setPeriodic(100, t -> {
            if (--left[0] > 0) {
              res.write(".");
            } else {
              vertx.cancelTimer(t);
              res.end();
            }
          });
        }
        default -> res.setStatusCode(404).end("no such path " + req.path());
      }
    });
  }

  /** {@code size} characters: BEGIN, filler, END. */
  private static String marked(int size) {
    return "BEGIN" + "x".repeat(size - 8) + "END";
  }

  static FireContext fire(String jobId, String jobName, Duration timeout) {
    return new FireContext(jobId, jobName, FIRE_TIME, new FireRef(jobId, FIRE_TIME).id(), 2, timeout);
  }

  static FireContext fire() {
    return fire("job-1", "reports", Duration.ofSeconds(5));
  }

  /**
   * Runs on a Vert.x context and waits for the result from the test thread; fails when the future fails or
   * completes on another context than the caller's.
   */
  static RunResult run(CommandRunner runner, Command command, FireContext fire) throws Exception {
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
    return run(new HttpRunner(client, OPEN, base), CommandParser.parse(cmd), fire());
  }

  static Seen lastRequest() throws InterruptedException {
    Seen s = seen.poll(5, TimeUnit.SECONDS);
    assertNotNull(s, "the sink got no request");
    return s;
  }

  static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void posts_the_exact_json_body_even_with_a_hash_inside() throws Exception {
    RunResult r = run(base + "/ok#{\"msg\":\"a#b\",\"n\":1,\"nested\":{\"k\":[true,null]}}");
    Seen s = lastRequest();
    assertEquals("POST", s.method());
    assertEquals("/ok", s.path());
    assertEquals("application/json", s.headers().get("Content-Type"));
    assertEquals("{\"msg\":\"a#b\",\"n\":1,\"nested\":{\"k\":[true,null]}}", s.body());
    assertEquals(new RunResult(true, 200, "{\"stat\":\"OK\"}", false), r);
  }

  @Test
  void a_get_command_sends_a_plain_get_of_its_url_as_schedule_servers_jobs_did() throws Exception {
    RunResult r = run("GET " + base + "/ok?day=1");
    Seen s = lastRequest();
    assertEquals("GET /ok", s.method() + " " + s.path());
    assertEquals("", s.body());
    assertNull(s.headers().get("Content-Type"), "no body, no content type");
    assertEquals("job-1@" + FIRE_TIME.toEpochMilli(), s.headers().get("Idempotency-Key"));
    assertEquals(new RunResult(true, 200, "{\"stat\":\"OK\"}", false), r);
    assertTrue(run("GET " + base + "/plain").success(), "any 2xx page is a success");
    lastRequest();
  }

  @Test
  void each_method_is_sent_as_named_with_a_body_where_it_takes_one() throws Exception {
    run("DELETE " + base + "/ok");
    Seen delete = lastRequest();
    assertEquals("DELETE", delete.method());
    assertEquals("", delete.body());
    run("PUT " + base + "/ok#{\"a\":1}");
    Seen put = lastRequest();
    assertEquals("PUT", put.method());
    assertEquals("{\"a\":1}", put.body());
    assertEquals("application/json", put.headers().get("Content-Type"));
    run("PATCH " + base + "/ok");
    Seen patch = lastRequest();
    assertEquals("PATCH", patch.method());
    assertEquals("{}", patch.body(), "a method that takes a body sends {} without one, as RuQi's POST");
    assertTrue(run("HEAD " + base + "/plain").success());
    assertEquals("HEAD", lastRequest().method());
    RunResult failed = run("GET " + base + "/500");
    assertEquals(new RunResult(false, 500, "HTTP 500: boom", false), failed);
    lastRequest();
  }

  @Test
  void a_get_follows_its_redirects_as_a_get_and_a_put_is_not_sent_again() throws Exception {
    for (int status : new int[] {301, 302, 307, 308}) {
      RunResult r = run("GET " + redirect(status, "/ok"));
      assertEquals(new RunResult(true, 200, "{\"stat\":\"OK\"}", false), r, "GET " + status);
      lastRequest();
      Seen followed = lastRequest();
      assertEquals("GET /ok", followed.method() + " " + followed.path());
    }
    RunResult put = run("PUT " + redirect(307, elsewhereBase + "/ok"));
    assertEquals(new RunResult(false, 307, "HTTP 307: ", false), put);
    assertNull(seenElsewhere.poll(), "a PUT is not sent twice by a redirect");
  }

  @Test
  void posts_a_json_array_body() throws Exception {
    run(base + "/ok#[1,\"two\",{\"three\":3}]");
    Seen s = lastRequest();
    assertEquals(new JsonArray("[1,\"two\",{\"three\":3}]"), new JsonArray(s.body()));
    assertEquals("application/json", s.headers().get("Content-Type"));
  }

  @Test
  void posts_an_empty_object_when_the_command_has_no_body() throws Exception {
    run(base + "/ok");
    assertEquals("{}", lastRequest().body());
    run(base + "/ok#");
    assertEquals("{}", lastRequest().body());
  }

  @Test
  void names_the_job_and_the_fire_in_headers() throws Exception {
    run(base + "/ok");
    MultiMap h = lastRequest().headers();
    assertEquals("job-1", h.get("X-Ruqi-Job-Id"));
    assertEquals("reports", h.get("X-Ruqi-Job-Name"));
    assertEquals("2026-11-21T04:00:00Z", h.get("X-Ruqi-Fire-Time"));
    assertEquals("2", h.get("X-Ruqi-Attempt"));
    assertEquals("job-1@" + FIRE_TIME.toEpochMilli(), h.get("Idempotency-Key"));
    assertEquals(h.get("Idempotency-Key"), h.get("X-Ruqi-Fire-Id"));
  }

  @Test
  void encodes_non_ascii_and_line_breaks_in_header_values() throws Exception {
    String jobId = "日报 100%+1";
    String jobName = "evil\r\nX-Injected: yes";
    FireContext fire = fire(jobId, jobName, Duration.ofSeconds(5));
    run(new HttpRunner(client, OPEN, base), CommandParser.parse(base + "/ok"), fire);
    MultiMap h = lastRequest().headers();
    assertNull(h.get("X-Injected"));
    for (String name : new String[] {"X-Ruqi-Job-Id", "X-Ruqi-Job-Name", "Idempotency-Key"}) {
      assertTrue(h.get(name).chars().allMatch(c -> c > 0x20 && c < 0x7F), name + " = " + h.get(name));
    }
    assertEquals(jobId, URLDecoder.decode(h.get("X-Ruqi-Job-Id"), StandardCharsets.UTF_8));
    assertEquals(jobName, URLDecoder.decode(h.get("X-Ruqi-Job-Name"), StandardCharsets.UTF_8));
    assertEquals(fire.fireId(), URLDecoder.decode(h.get("Idempotency-Key"), StandardCharsets.UTF_8));
  }

  @Test
  void a_non_json_2xx_reply_is_a_success() throws Exception {
    assertEquals(new RunResult(true, 200, "all good", false), run(base + "/plain"));
  }

  @Test
  void a_json_2xx_reply_without_stat_is_a_success() throws Exception {
    assertEquals(new RunResult(true, 201, "{\"id\":7}", false), run(base + "/created"));
  }

  @Test
  void a_200_with_stat_err_is_a_failure() throws Exception {
    assertEquals(new RunResult(false, 200, "stat ERR in reply: {\"stat\":\"ERR\"}", false), run(base + "/err"));
  }

  @Test
  void a_non_2xx_status_is_a_failure_with_the_status_and_body() throws Exception {
    assertEquals(new RunResult(false, 500, "HTTP 500: boom", false), run(base + "/500"));
    RunResult missing = run(base + "/nowhere");
    assertFalse(missing.success());
    assertEquals(404, missing.exitCode());
    assertEquals("HTTP 404: no such path /nowhere", missing.output());
  }

  @Test
  void a_closed_port_is_connection_refused() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RunResult r = run("http://127.0.0.1:" + closedPort + "/ok");
    assertEquals(RunResult.failed("connection refused: 127.0.0.1:" + closedPort), r);
  }

  @Test
  void a_server_that_never_answers_times_out_after_the_fire_timeout() throws Exception {
    long start = System.nanoTime();
    RunResult r = run(new HttpRunner(client, OPEN, base), CommandParser.parse(base + "/slow"),
        fire("job-1", "reports", Duration.ofSeconds(1)));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(r.timedOut());
    assertFalse(r.success());
    assertNull(r.exitCode());
    assertTrue(r.output().startsWith("timed out after 1 s"), r.output());
    assertTrue(tookMs >= 900 && tookMs < 3000, "took " + tookMs + " ms");
    assertEquals("/slow", lastRequest().path());
  }

  @Test
  void a_server_trickling_bytes_times_out_at_the_deadline() throws Exception {
    long start = System.nanoTime();
    RunResult r = run(new HttpRunner(client, OPEN, base), CommandParser.parse(base + "/drip"),
        fire("job-1", "reports", Duration.ofSeconds(1)));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(r.timedOut(), r.toString());
    assertTrue(r.output().startsWith("timed out after 1 s"), r.output());
    assertTrue(tookMs >= 900 && tookMs < 3000, "took " + tookMs + " ms");
  }

  @Test
  void a_local_path_posts_to_the_local_base_url_plus_the_path() throws Exception {
    HttpRunner runner = new HttpRunner(client, OPEN, base + "/");
    RunResult r = run(runner, CommandParser.parse("/ok#{\"x\":\"#1\"}"), fire());
    Seen s = lastRequest();
    assertEquals("POST", s.method());
    assertEquals("/ok", s.path());
    assertEquals("{\"x\":\"#1\"}", s.body());
    assertEquals("job-1@" + FIRE_TIME.toEpochMilli(), s.headers().get("Idempotency-Key"));
    assertEquals(new RunResult(true, 200, "{\"stat\":\"OK\"}", false), r);

    RunResult err = run(runner, new Command.LocalPath("/err", null), fire());
    assertEquals("{}", lastRequest().body());
    assertFalse(err.success());
  }

  static String redirect(int status, String to) {
    return base + "/redirect/" + status + "?to=" + java.net.URLEncoder.encode(to, StandardCharsets.UTF_8);
  }

  @Test
  void a_redirect_to_a_host_the_policy_refuses_is_not_followed() throws Exception {
    HttpRunner runner = new HttpRunner(client, SINK_ONLY, base);
    RunResult r = run(runner, CommandParser.parse(redirect(303, elsewhereBase + "/ok")), fire());
    assertFalse(r.success(), r.toString());
    assertTrue(r.output().contains("redirect to " + elsewhereBase + "/ok not followed: denied by policy: host"
        + " '127.0.0.2' is not in policy.http_hosts"), r.output());
    assertEquals("/redirect/303", lastRequest().path());
    assertNull(seenElsewhere.poll(), "the refused host got a request");
  }

  @Test
  void a_redirect_the_policy_allows_is_followed_as_before_a_303_as_a_get() throws Exception {
    RunResult r = run(new HttpRunner(client, SINK_ONLY, base), CommandParser.parse(redirect(303, "/ok")), fire());
    assertEquals(new RunResult(true, 200, "{\"stat\":\"OK\"}", false), r);
    assertEquals("/redirect/303", lastRequest().path());
    Seen followed = lastRequest();
    assertEquals("GET /ok", followed.method() + " " + followed.path());
    assertEquals("job-1@" + FIRE_TIME.toEpochMilli(), followed.headers().get("Idempotency-Key"));

    RunResult open = run(new HttpRunner(client, OPEN, base), CommandParser.parse(redirect(303, elsewhereBase + "/x")),
        fire());
    assertTrue(open.success(), open.toString());
    Seen there = seenElsewhere.poll(5, TimeUnit.SECONDS);
    assertNotNull(there, "an open policy follows a 303 anywhere, as before");
    assertEquals("GET /x", there.method() + " " + there.path());
  }

  @Test
  void a_post_is_not_sent_again_by_a_307_or_308() throws Exception {
    for (int status : new int[] {301, 302, 307, 308}) {
      RunResult r = run(new HttpRunner(client, OPEN, base), CommandParser.parse(redirect(status, elsewhereBase)),
          fire());
      assertEquals(new RunResult(false, status, "HTTP " + status + ": ", false), r);
    }
    assertNull(seenElsewhere.poll());
  }

  @Test
  void redirects_are_bounded() throws Exception {
    RunResult r = run(new HttpRunner(client, OPEN, base), CommandParser.parse(base + "/loop"), fire());
    assertFalse(r.success());
    assertTrue(r.output().contains("more than " + GuardedRequest.MAX_REDIRECTS + " redirects"), r.output());
    assertEquals(GuardedRequest.MAX_REDIRECTS + 1, seen.size(), "the first request and "
        + GuardedRequest.MAX_REDIRECTS + " redirects");
  }

  @Test
  void a_local_path_may_redirect_within_this_service_but_not_to_a_refused_host() throws Exception {
    CommandPolicy none = new CommandPolicy(new io.ruqi.config.PolicySettings(java.util.List.of(),
        java.util.List.of("api.example.com")));
    HttpRunner runner = new HttpRunner(client, none, base);
    RunResult own = run(runner, CommandParser.parse("/redirect/303?to=/ok"), fire());
    assertTrue(own.success(), "this service's own origin needs no policy entry: " + own);
    RunResult away = run(runner, CommandParser.parse("/redirect/303?to=" + elsewhereBase + "/ok"), fire());
    assertFalse(away.success());
    assertTrue(away.output().contains("denied by policy"), away.output());
    assertNull(seenElsewhere.poll());
  }

  @Test
  void a_local_path_is_sent_as_written_even_with_characters_a_strict_uri_refuses() throws Exception {
    HttpRunner runner = new HttpRunner(client, SINK_ONLY, base);
    RunResult r = run(runner, new Command.LocalPath("/ok?x={a}|b^c", null), fire());
    assertEquals(new RunResult(true, 200, "{\"stat\":\"OK\"}", false), r);
    assertEquals("/ok", lastRequest().path());
  }

  @Test
  void a_command_the_policy_refuses_is_not_sent_even_when_the_runner_is_called_directly() throws Exception {
    RunResult r = run(new HttpRunner(client, SINK_ONLY, base), CommandParser.parse(elsewhereBase + "/ok"), fire());
    assertFalse(r.success());
    assertTrue(r.output().contains("denied by policy"), r.output());
    assertNull(seenElsewhere.poll());
  }

  @Test
  void a_large_reply_is_capped_keeping_head_and_tail() throws Exception {
    for (String path : new String[] {"/big", "/huge"}) {
      RunResult r = run(base + path);
      assertTrue(r.success(), path);
      assertTrue(r.output().length() <= OutputCap.MAX_CHARS, path + ": " + r.output().length());
      assertTrue(r.output().startsWith("BEGIN"), path);
      assertTrue(r.output().endsWith("END"), path);
      assertTrue(r.output().contains("omitted"), path);
    }
  }

  @Test
  void a_reply_past_one_mebibyte_keeps_only_head_and_tail_in_memory() throws Exception {
    var body = BoundedBody.codec().stream();
    body.write(Buffer.buffer("HEAD"));
    for (int i = 0; i < 300; i++) {
      body.write(Buffer.buffer("z".repeat(10_000)));
    }
    body.write(Buffer.buffer("TAIL"));
    body.end();
    BoundedBody read = await(body.result());
    assertFalse(read.complete());
    assertEquals(3_000_008, read.totalBytes());
    assertTrue(read.text().length() <= OutputCap.MAX_CHARS);
    assertTrue(read.text().startsWith("HEAD") && read.text().endsWith("TAIL"));

    var small = BoundedBody.codec().stream();
    small.write(Buffer.buffer("{\"stat\":\"OK\"}"));
    small.end();
    assertEquals(new BoundedBody("{\"stat\":\"OK\"}", true, 13), await(small.result()));
  }

  @Test
  void other_commands_are_a_failed_result_not_a_failed_future() throws Exception {
    RunResult r = run(new HttpRunner(client, OPEN, base), new Command.EventBus("a.b", null), fire());
    assertFalse(r.success());
    assertTrue(r.output().contains("cannot run"), r.output());
  }

  @Test
  void safe_header_text_keeps_plain_ids_readable() {
    assertEquals("job-1@1700000000000", FireHeaders.safe("job-1@1700000000000"));
    assertEquals("a%20b%0D%0Ac%25%2B%C3%A9", FireHeaders.safe("a b\r\nc%+é"));
    assertEquals("", FireHeaders.safe(null));
  }
}
