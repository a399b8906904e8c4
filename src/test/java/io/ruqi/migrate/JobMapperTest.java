package io.ruqi.migrate;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A RuQi job's state as ruqi's job_add parameters; anything not RuQi's own reported with its reason. */
class JobMapperTest {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final ApsTrigger INTERVAL = new ApsTrigger.Interval(Duration.ofSeconds(90), SHANGHAI,
      Instant.parse("2024-03-01T00:00:30.123456Z"), null, null);

  static ApsJob job(String func, ApsTrigger trigger, Map<String, Object> kwargs, Duration grace, Instant next) {
    return new ApsJob("j1", func, List.of(), kwargs, "j1", trigger, grace, false, 1, next);
  }

  static Map<String, Object> ruqi(String cmd) {
    return Map.of("job_id", "j1", "job_name", "rdb", "cmd", cmd);
  }

  @Test
  void a_ruqi_job_becomes_the_job_add_parameters_of_the_same_job() {
    MappedJob m = JobMapper.map("j1", "rdb", job("xlib.apscheduler.manager:run_cmd", INTERVAL,
        ruqi("bash scripts/a.sh x"), Duration.ofSeconds(30), Instant.now()));
    assertEquals(new JsonObject().put("job_id", "j1").put("job_name", "rdb").put("cmd", "bash scripts/a.sh x")
        .put("job_trigger", "interval").put("rule", "90s").put("timezone", "Asia/Shanghai")
        .put("start_date", "2024-03-01 08:00:30.123").put("misfire_grace_time", 30L).put("coalesce", false)
        .put("max_instances", 1).put("paused", false), m.params());
    assertTrue(m.notes().isEmpty(), m.notes().toString());
  }

  @Test
  void a_date_keeps_its_wall_time_and_zone_and_no_next_run_means_paused() {
    ApsTrigger date = new ApsTrigger.Date(Instant.EPOCH, LocalDateTime.of(2040, 2, 29, 13, 45, 7),
        ZoneId.of("America/Los_Angeles"));
    JsonObject p = JobMapper.map("j1", null, job("xlib.apscheduler.manager:run_http", date,
        ruqi("https://h.example/x#{\"a\":1}"), Duration.ofSeconds(30), null)).params();
    assertEquals("2040-02-29 13:45:07", p.getString("rule"));
    assertEquals("America/Los_Angeles", p.getString("timezone"));
    assertEquals(true, p.getBoolean("paused"));
  }

  @Test
  void no_misfire_limit_becomes_ruqis_longest_and_says_so() {
    MappedJob m = JobMapper.map("j1", null, job("xlib.apscheduler.manager:run_cmd", INTERVAL, ruqi("bash a.sh"),
        null, Instant.now()));
    assertEquals(JobMapper.LONGEST_GRACE_SECONDS, m.params().getLong("misfire_grace_time"));
    assertTrue(m.notes().get(0).contains("None"), m.notes().toString());
  }

  @Test
  void other_functions_and_commands_of_the_wrong_kind_are_reported() {
    assertTrue(assertThrows(NotMigratable.class, () -> JobMapper.map("j1", null, job("tasks:requests_url", INTERVAL,
        Map.of(), Duration.ofSeconds(1), null))).getMessage().contains("tasks:requests_url"));
    assertTrue(assertThrows(NotMigratable.class, () -> JobMapper.map("j1", null, job(
        "xlib.apscheduler.manager:run_http", INTERVAL, ruqi("httpfoo"), Duration.ofSeconds(1), null)))
        .getMessage().contains("httpfoo"));
    assertTrue(assertThrows(NotMigratable.class, () -> JobMapper.map("other", null, job(
        "xlib.apscheduler.manager:run_cmd", INTERVAL, ruqi("bash a.sh"), Duration.ofSeconds(1), null)))
        .getMessage().contains("row id"));
    assertTrue(assertThrows(NotMigratable.class, () -> JobMapper.map("j1", null, job(
        "xlib.apscheduler.manager:run_cmd", new ApsTrigger.Interval(Duration.ofMillis(1500), SHANGHAI, null, null,
            null), ruqi("bash a.sh"), Duration.ofSeconds(1), null))).getMessage().contains("whole number"));
  }

  @Test
  void a_queued_message_says_how_ruqi_sends_it() {
    MappedJob m = JobMapper.map("j1", null, job("xlib.apscheduler.manager:run_mq", INTERVAL,
        ruqi("/demo_api/hello#{\"x\":1}"), Duration.ofSeconds(30), Instant.now()));
    assertTrue(m.notes().get(0).contains("/demo_api/hello"), m.notes().toString());
  }
}
