package io.ruqi.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ruqi.api.ApiOp;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 random and malformed requests — broken JSON, wrong types, huge, deep and unicode values, SQL and shell
 * strings, unknown routes and methods — and then: no answer was a 5xx, nothing was logged as an error or an
 * unhandled exception, and the stored jobs are exactly as they were. Every request is invalid or names a job that
 * does not exist, so none of them may change anything.
 */
class FuzzTest {
  static final int REQUESTS = 10_000;
  static final String[] NASTY = {"' OR '1'='1", "'; DROP TABLE ruqi_jobs; --", "$(rm -rf /)", "`reboot`", "; ls",
      "&& curl evil", "\u0000", "\r\nX-Injected: yes", "如期\uD83D\uDE00", "\uFFFF\uFFFE", "%00%0d%0a", "../../etc/passwd",
      "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}", "NaN", "-1", "1e309", "", " ", "null", "[]", "{}"};
  static final String[] FIELDS = {"job_id", "job_name", "job_trigger", "rule", "cmd", "timezone", "start_date",
      "end_date", "page_index", "page_size", "count", "days", "before", "line", "jobs", "dry_run", "version",
      "misfire_grace_time", "max_instances", "timeout", "retries", "coalesce", "is_success", "status", "name",
      "alert_url", "alert_on", "from", "trigger"};

  final Random random = new Random(20261121);

  @Test
  void random_and_malformed_requests_never_break_the_service_nor_change_a_job() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    // REST codes: a fault of the service is found by its 5xx, which RuQi's 200 would hide
    try (TestNode node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject().put("timezone", "UTC")
        .put("api", new JsonObject().put("http_status", "rest")))) {
      for (int i = 0; i < 5; i++) {
        assertEquals("OK", node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "keep-" + i)
            .put("job_name", "keep").put("job_trigger", "cron").put("rule", "0 0 3 * * *")
            .put("cmd", "echo " + i)).stat());
      }
      JsonObject before = node.http.get("/ruqi/job_export").json();

      List<String> requests = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        requests.add(Integer.toString(i));
      }
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      AtomicInteger refusedUploads = new AtomicInteger();
      AtomicInteger retried = new AtomicInteger();
      List<String> serverErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        long seed = random.nextLong();
        done.add(pool.submit(() -> {
          HttpRequest request = request(new Random(seed), node.http.port());
          HttpResponse<String> r;
          long bodyLength = request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
          try {
            r = client.send(request, HttpResponse.BodyHandlers.ofString());
          } catch (java.io.IOException e) {
            if (bodyLength > 64 * 1024) {
              // refused mid-upload: the 413 may be lost to the reset of a connection closed while the client sends
              refusedUploads.incrementAndGet();
              return null;
            }
            // sent on a pooled connection the server had just closed (after an oversized upload): once more, fresh
            retried.incrementAndGet();
            try {
              r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                  .send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException again) {
              serverErrors.add(request.method() + " " + request.uri().toString().length() + " chars of URI, body "
                  + bodyLength + ": " + again);
              return null;
            }
          }
          statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
          if (r.statusCode() >= 500) {
            serverErrors.add(request.method() + " " + request.uri() + " -> " + r.statusCode() + " " + r.body());
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();

      System.out.println("fuzz: statuses " + statuses + ", oversized uploads cut off " + refusedUploads
          + ", retried on a fresh connection " + retried);
      assertTrue(serverErrors.isEmpty(), serverErrors.size() + " server errors, e.g. "
          + serverErrors.subList(0, Math.min(5, serverErrors.size())));
      List<String> errors = log.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getFormattedMessage().contains("Unhandled"))
          .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
      assertTrue(errors.isEmpty(), errors.size() + " error log lines, e.g. " + errors.subList(0,
          Math.min(5, errors.size())));
      assertEquals(before, node.http.get("/ruqi/job_export").json(), "the stored jobs are unchanged");
      assertTrue(statuses.keySet().stream().allMatch(s -> s < 500), statuses.toString());
      assertTrue(statuses.getOrDefault(400, new AtomicInteger()).get() > REQUESTS / 4, "mostly refused: " + statuses);
    } finally {
      root.detachAppender(log);
    }
  }

  private HttpRequest request(Random r, int port) {
    String op = pickOp(r);
    String query = r.nextInt(3) == 0 ? "?" + URLEncoder.encode(field(r), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(String.valueOf(value(r)),
        StandardCharsets.UTF_8) : "";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ruqi/" + op + query))
        .timeout(Duration.ofSeconds(30));
    String body = body(r);
    String method = new String[] {"GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH"}[r.nextInt(7)];
    String type = new String[] {"application/json", "application/json", "text/plain",
        "application/x-www-form-urlencoded", "text/xml", "multipart/form-data; boundary=x"}[r.nextInt(6)];
    if (body == null || method.equals("GET") || method.equals("DELETE")) {
      return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    return b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private String pickOp(Random r) {
    if (r.nextInt(10) == 0) {
      return new String[] {"nope", "JOB_ADD", "job_add/", "event", "exec", "%2e%2e", "a".repeat(300)}[r.nextInt(7)];
    }
    ApiOp op = ApiOp.values()[r.nextInt(ApiOp.values().length)];
    return op.names().get(r.nextInt(op.names().size()));
  }

  private String body(Random r) {
    switch (r.nextInt(8)) {
      case 0:
        return null;
      case 1:
        return "{\"job_id\": \"x\", \"rule\": ";
      case 2:
        return "[" + "[".repeat(r.nextInt(100)) + "]".repeat(0);
      case 3:
        return "{\"a\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41);
      case 4:
        return "{\"cmd\":\"" + "x".repeat(70_000) + "\"}";
      default:
        return params(r).encode();
    }
  }

  /** Parameters that can never define a valid job: the trigger is never a real one, ids never exist. */
  private JsonObject params(Random r) {
    JsonObject p = new JsonObject();
    int n = 1 + r.nextInt(8);
    for (int i = 0; i < n; i++) {
      p.put(field(r), value(r));
    }
    p.put("job_trigger", new Object[] {"crontab", "", 7, null, "INTERVALS", "date " + NASTY[r.nextInt(NASTY.length)]}
        [r.nextInt(6)]);
    p.put("job_id", "fuzz-" + r.nextInt(1_000_000) + NASTY[r.nextInt(NASTY.length)]);
    p.put("name", "fuzz-name-" + r.nextInt(1000));
    if (p.containsKey("jobs")) {
      p.put("jobs", new JsonArray().add(new JsonObject().put("job_id", "keep-1").put("job_trigger", "bogus")));
    }
    return p;
  }

  private String field(Random r) {
    return r.nextInt(12) == 0 ? NASTY[r.nextInt(NASTY.length)] : FIELDS[r.nextInt(FIELDS.length)];
  }

  private Object value(Random r) {
    switch (r.nextInt(9)) {
      case 0:
        return NASTY[r.nextInt(NASTY.length)];
      case 1:
        return r.nextLong();
      case 2:
        return r.nextDouble() * 1e12 - 5e11;
      case 3:
        return r.nextBoolean();
      case 4:
        return new JsonArray().add(NASTY[r.nextInt(NASTY.length)]).add(r.nextInt());
      case 5:
        return new JsonObject().put(NASTY[r.nextInt(NASTY.length)], r.nextInt());
      case 6:
        return "z".repeat(r.nextInt(20_000));
      case 7:
        return new String(Character.toChars(0x1F600 + r.nextInt(50))).repeat(r.nextInt(300));
      default:
        return null;
    }
  }
}
