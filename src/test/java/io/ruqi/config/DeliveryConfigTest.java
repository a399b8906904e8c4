package io.ruqi.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jobs.delivery: at most once unless set, from the file or the environment; a bad value names the key. */
class DeliveryConfigTest {

  @Test
  void at_most_once_by_default_at_least_once_when_set_and_a_bad_value_names_its_key() {
    assertEquals(Delivery.AT_MOST_ONCE, RuqiConfig.from(new JsonObject()).jobDefaults().delivery());
    assertEquals(Delivery.AT_LEAST_ONCE, RuqiConfig.from(ConfigLoader.fromEnv(
        Map.of("RUQI_JOBS_DELIVERY", "at_least_once"))).jobDefaults().delivery());
    ConfigException bad = assertThrows(ConfigException.class, () -> RuqiConfig.from(new JsonObject()
        .put("jobs", new JsonObject().put("delivery", "exactly_once"))));
    assertTrue(bad.getMessage().contains("jobs.delivery") && bad.getMessage().contains("at_least_once"),
        bad.getMessage());
  }

  @Test
  void a_policy_glob_or_port_that_cannot_work_is_refused_at_start_naming_its_key() {
    ConfigException glob = assertThrows(ConfigException.class, () -> RuqiConfig.from(new JsonObject()
        .put("policy", new JsonObject().put("programs", new JsonArray().add("/opt/{a,b")))));
    assertTrue(glob.getMessage().contains("policy.programs") && glob.getMessage().contains("/opt/{a,b"),
        glob.getMessage());
    ConfigException port = assertThrows(ConfigException.class, () -> RuqiConfig.from(new JsonObject()
        .put("policy", new JsonObject().put("http_hosts", new JsonArray().add("a.example:99999")))));
    assertTrue(port.getMessage().contains("policy.http_hosts"), port.getMessage());
    RuqiConfig.from(new JsonObject().put("policy", new JsonObject()
        .put("programs", new JsonArray().add("/opt/jobs/**").add("true"))
        .put("http_hosts", new JsonArray().add("*.example.com:8443").add("[::1]"))));
  }
}
