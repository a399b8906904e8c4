package io.ruqi.schedule;

import io.ruqi.config.JobDefaults;
import io.ruqi.config.RuqiConfig;
import io.ruqi.exec.CommandParser;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A job's timeout where it names none: the README's defaults, read from an empty configuration. */
class JobPolicyTest {
  static final JobDefaults DEFAULTS = RuqiConfig.from(new JsonObject()).jobDefaults();

  static Duration timeout(JsonObject options, String cmd) {
    return JobPolicy.of(options, CommandParser.parse(cmd), DEFAULTS).timeout();
  }

  @Test
  void a_process_gets_an_hour_and_http_path_and_event_bus_commands_ninety_seconds() {
    assertEquals(Duration.ofSeconds(3600), timeout(new JsonObject(), "bash scripts/report.sh"));
    assertEquals(Duration.ofSeconds(90), timeout(new JsonObject(), "http://127.0.0.1:9/hook"));
    assertEquals(Duration.ofSeconds(90), timeout(new JsonObject(), "GET https://example.com/x"));
    assertEquals(Duration.ofSeconds(90), timeout(new JsonObject(), "/local/path#{}"));
    assertEquals(Duration.ofSeconds(90), timeout(new JsonObject(), "eventbus:some.address"));
  }

  @Test
  void a_job_timeout_wins_over_either_default() {
    JsonObject fiveSeconds = new JsonObject().put("timeout", 5);
    assertEquals(Duration.ofSeconds(5), timeout(fiveSeconds, "bash scripts/report.sh"));
    assertEquals(Duration.ofSeconds(5), timeout(fiveSeconds, "eventbus:some.address"));
  }

  @Test
  void the_configured_defaults_replace_the_built_in_ones() {
    JobDefaults set = RuqiConfig.from(new JsonObject().put("jobs", new JsonObject().put("timeout", 60)
        .put("http_timeout", 7))).jobDefaults();
    assertEquals(Duration.ofSeconds(60), JobPolicy.of(new JsonObject(), CommandParser.parse("true"), set).timeout());
    assertEquals(Duration.ofSeconds(7), JobPolicy.of(new JsonObject(), CommandParser.parse("/p"), set).timeout());
  }
}
