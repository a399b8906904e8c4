package io.ruqi.api;

import io.ruqi.store.HistoryRecord;
import io.ruqi.store.RunStatus;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code history_stats} and {@code fire_output} over history rows written with known fire and start times, on the
 * embedded store (and on MariaDB in the subclass): counts per bucket and status, lateness percentiles, window edges.
 */
class HistoryStatsTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:30:20Z");
  static final Instant MINUTE = Instant.parse("2026-12-02T10:29:00Z");

  TestNode node;

  JsonObject store() {
    return new JsonObject();
  }

  @BeforeEach
  void start() {
    node = TestNode.start(NOW, store().put("timezone", "UTC"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  static HistoryRecord row(String job, RunStatus status, Instant fire, Long lateMs, int attempt) {
    Instant start = lateMs == null ? null : fire.plusMillis(lateMs);
    return new HistoryRecord(job, "charts", "echo " + job, status, "out of " + job, 0.5, "test-node",
        fire.plusSeconds(1), fire, start, attempt, status == RunStatus.SUCCESS ? 0 : 1, true);
  }

  void write(List<HistoryRecord> rows) {
    TestNode.await(node.node.stores().history().write(rows));
  }

  @Test
  void an_hour_is_sixty_minutes_of_rows_by_status_with_lateness_percentiles_of_first_attempts() {
    List<HistoryRecord> rows = new ArrayList<>();
    rows.add(row("a", RunStatus.SUCCESS, MINUTE.plusSeconds(1), 3L, 1));
    rows.add(row("b", RunStatus.SUCCESS, MINUTE.plusSeconds(2), 3L, 1));
    rows.add(row("c", RunStatus.SUCCESS, MINUTE.plusSeconds(3), 40L, 1));
    rows.add(row("d", RunStatus.FAILED, MINUTE.plusSeconds(4), 8_000L, 1));
    rows.add(row("d", RunStatus.FAILED, MINUTE.plusSeconds(4), 60_000L, 2)); // a retry: counted, not late
    rows.add(row("e", RunStatus.MISSED, MINUTE.plusSeconds(5), null, 1));
    rows.add(row("f", RunStatus.SUCCESS, Instant.parse("2026-12-02T09:30:59Z"), 1L, 1)); // before the hour
    rows.add(row("g", RunStatus.SKIPPED, Instant.parse("2026-12-02T10:30:10Z"), null, 1)); // the current minute
    write(rows);

    JsonObject stats = ok(node.http.get("/ruqi/history_stats"));
    assertEquals("1h", stats.getString("window"));
    assertEquals(60, stats.getInteger("bucket_seconds"));
    assertEquals("2026-12-02 09:31:00", stats.getString("from"));
    assertEquals("2026-12-02 10:31:00", stats.getString("to"));
    JsonArray buckets = stats.getJsonArray("buckets");
    assertEquals(60, buckets.size());

    JsonObject minute = buckets.getJsonObject(58);
    assertEquals("2026-12-02 10:29:00", minute.getString("start"));
    assertEquals(MINUTE.getEpochSecond(), minute.getLong("time"));
    assertEquals(new JsonObject().put("success", 3L).put("failed", 2L).put("missed", 1L),
        minute.getJsonObject("counts"));
    assertEquals(6L, minute.getLong("runs"));
    // lateness 3, 3, 40 and 8,000 ms: the median's rank ends the (2, 5] ms class, the 99th falls in (5, 10] s
    assertEquals(5.0, minute.getDouble("lateness_p50_ms"));
    assertEquals(9_800.0, minute.getDouble("lateness_p99_ms"));

    JsonObject current = buckets.getJsonObject(59);
    assertEquals(new JsonObject().put("skipped", 1L), current.getJsonObject("counts"));
    assertNull(current.getValue("lateness_p50_ms"), "nothing started in it");
    long total = buckets.stream().mapToLong(b -> ((JsonObject) b).getLong("runs")).sum();
    assertEquals(7, total, "the row before the hour is left out");
  }

  @Test
  void a_day_is_ninety_six_quarters_and_holds_the_earlier_row_too() {
    write(List.of(row("a", RunStatus.SUCCESS, MINUTE, 3L, 1),
        row("f", RunStatus.SUCCESS, Instant.parse("2026-12-02T09:30:59Z"), 1L, 1),
        row("old", RunStatus.SUCCESS, Instant.parse("2026-12-01T10:44:59Z"), 1L, 1)));
    JsonObject stats = ok(node.http.get("/ruqi/history_stats?window=24h"));
    assertEquals(900, stats.getInteger("bucket_seconds"));
    assertEquals("2026-12-01 10:45:00", stats.getString("from"));
    JsonArray buckets = stats.getJsonArray("buckets");
    assertEquals(96, buckets.size());
    assertEquals(2, buckets.stream().mapToLong(b -> ((JsonObject) b).getLong("runs")).sum());
    assertEquals(1L, buckets.getJsonObject(94).getLong("runs"), "10:29 is in the quarter from 10:15");
    assertEquals(1L, buckets.getJsonObject(91).getLong("runs"), "09:30:59 is in the quarter from 09:30");
  }

  @Test
  void a_bad_window_is_refused_with_a_reason() {
    HttpReply r = new HttpReply(node.http.get("/ruqi/history_stats?window=7d").json());
    assertEquals("ERR_BAD_PARAMS", r.stat);
    assertEquals("window must be 1h or 24h (got '7d')", r.msg);
  }

  @Test
  void fire_output_gives_a_fire_s_runs_once_it_is_over_and_refuses_an_unknown_one() {
    Instant fire = MINUTE.plusMillis(250);
    write(List.of(row("job@x", RunStatus.FAILED, fire, 5L, 1), row("job@x", RunStatus.SUCCESS, fire, 10_005L, 2)));
    JsonObject out = ok(node.http.get("/ruqi/fire_output?fire_id=job%40x%40" + fire.toEpochMilli()));
    assertEquals("job@x", out.getString("job_id"));
    assertFalse(out.getBoolean("running"));
    JsonArray runs = out.getJsonArray("runs");
    assertEquals(2, runs.size());
    assertEquals("failed", runs.getJsonObject(0).getString("status"));
    assertEquals("out of job@x", runs.getJsonObject(1).getString("cmd_output"));

    HttpReply unknown = new HttpReply(node.http.get("/ruqi/fire_output?fire_id=job%40x%40" + (fire.toEpochMilli() + 1))
        .json());
    assertEquals("ERR", unknown.stat);
    HttpReply bad = new HttpReply(node.http.get("/ruqi/fire_output?fire_id=job").json());
    assertEquals("ERR_BAD_PARAMS", bad.stat);
  }

  record HttpReply(String stat, String msg) {
    HttpReply(JsonObject body) {
      this(body.getString("stat"), body.getString("msg"));
    }
  }

  static JsonObject ok(io.ruqi.testing.HttpTestClient.Reply reply) {
    JsonObject body = reply.json();
    assertEquals("OK", body.getString("stat"), body.encode());
    return body.getJsonObject("data");
  }
}
