package io.ruqi.http;

import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ruqi.testing.TestNode.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics in Prometheus' text format, with the scheduler's own meters moving as jobs fire. */
class MetricsTest {
  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), "UTC");
  }

  @AfterEach
  void stop() {
    node.close();
  }

  String scrape() {
    var r = node.http.get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.header("content-type").startsWith("text/plain"), r.header("content-type"));
    return r.text();
  }

  static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void the_lateness_histogram_and_fire_counters_move_after_fires() {
    String before = scrape();
    assertEquals(0.0, value(before, "ruqi_fire_lateness_seconds_count"));
    assertTrue(before.contains("ruqi_fire_lateness_seconds_bucket{le=\"0.01\"}"), "SLO buckets");
    for (int i = 0; i < 3; i++) {
      node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "m" + i).put("job_name", "m")
          .put("job_trigger", "interval").put("rule", "10s").put("cmd", i == 2 ? "false" : "true"));
    }
    node.advance(Duration.ofSeconds(11)); // a second late: shows up in the histogram
    eventually(20, "three fires counted", () -> value(scrape(), "ruqi_fire_lateness_seconds_count") == 3.0
        && value(scrape(), "ruqi_fires_total{status=\"failed\"}") == 1.0);
    String after = scrape();
    assertEquals(2.0, value(after, "ruqi_fires_total{status=\"success\"}"));
    assertEquals(3.0, value(after, "ruqi_claims_total{outcome=\"run\"}"));
    assertTrue(value(after, "ruqi_fire_lateness_seconds_sum") >= 3.0, "each fire started about 1 s late");
    assertEquals(0.0, value(after, "ruqi_fire_lateness_seconds_bucket{le=\"0.1\"}"));
    assertEquals(3.0, value(after, "ruqi_run_duration_seconds_count"));
    assertTrue(after.contains("ruqi_scheduler_heap_size"), "heap gauge");
    assertTrue(after.contains("ruqi_history_queue"), "history writer gauge");
    assertTrue(after.contains("vertx_http_server_requests_total"), "HTTP server metrics");
    assertTrue(after.contains("jvm_memory_used_bytes"), "JVM metrics");
  }

  @Test
  void failures_in_a_row_show_as_the_failing_jobs_and_the_longest_streak() {
    node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "bad").put("job_name", "m")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", "false"));
    node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "flaky").put("job_name", "m")
        .put("job_trigger", "interval").put("rule", "20s").put("cmd", "false"));
    assertEquals(0.0, value(scrape(), "ruqi_failure_streak_max"));
    node.advance(Duration.ofSeconds(10));
    eventually(20, "bad failed once", () -> value(scrape(), "ruqi_fires_total{status=\"failed\"}") == 1.0);
    node.advance(Duration.ofSeconds(10));
    eventually(20, "bad twice, flaky once", () -> value(scrape(), "ruqi_fires_total{status=\"failed\"}") == 3.0);
    node.advance(Duration.ofSeconds(10));
    eventually(20, "bad three times", () -> value(scrape(), "ruqi_fires_total{status=\"failed\"}") == 4.0);
    String failing = scrape();
    assertEquals(3.0, value(failing, "ruqi_failure_streak_max"));
    assertEquals(2.0, value(failing, "ruqi_jobs_failing"));

    node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "bad").put("cmd", "true"));
    node.advance(Duration.ofSeconds(10));
    eventually(20, "bad succeeded, flaky failed again", () -> value(scrape(), "ruqi_fires_total{status=\"success\"}")
        == 1.0 && value(scrape(), "ruqi_fires_total{status=\"failed\"}") == 5.0);
    String after = scrape();
    assertEquals(2.0, value(after, "ruqi_failure_streak_max"), "bad's streak ended; flaky's is 2");
    assertEquals(1.0, value(after, "ruqi_jobs_failing"));
  }

  @Test
  void a_failing_job_removed_by_name_is_failing_no_more() {
    node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "bad").put("job_name", "batch")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", "false"));
    node.advance(Duration.ofSeconds(10));
    eventually(20, "bad failed", () -> value(scrape(), "ruqi_jobs_failing") == 1.0);
    node.http.post("/ruqi/remove_job", new JsonObject().put("name", "batch"));
    eventually(10, "its streak ended with it", () -> value(scrape(), "ruqi_jobs_failing") == 0.0);
  }
}
