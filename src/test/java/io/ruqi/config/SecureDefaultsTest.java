package io.ruqi.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listening beyond this machine needs tokens, or an explicit auth.anonymous. */
class SecureDefaultsTest {

  static JsonObject on(String host) {
    return new JsonObject().put("http", new JsonObject().put("host", host));
  }

  @Test
  void loopback_without_tokens_is_fine() {
    assertEquals(0, RuqiConfig.from(on("127.0.0.1")).auth().tokens().size());
    RuqiConfig.from(on("localhost"));
    RuqiConfig.from(on("::1"));
  }

  @Test
  void any_other_address_without_tokens_stops_the_start() {
    ConfigException e = assertThrows(ConfigException.class, () -> RuqiConfig.from(on("0.0.0.0")));
    assertEquals("auth.tokens", e.key());
    assertTrue(e.getMessage().contains("auth.anonymous"), e.getMessage());
    assertThrows(ConfigException.class, () -> RuqiConfig.from(on("192.168.1.5")));
  }

  @Test
  void tokens_or_an_explicit_anonymous_allow_it() {
    JsonObject withToken = on("0.0.0.0").put("auth", new JsonObject().put("tokens", new JsonArray()
        .add(new JsonObject().put("name", "ops").put("role", "admin").put("token", "a-long-enough-secret"))));
    assertEquals(1, RuqiConfig.from(withToken).auth().tokens().size());
    JsonObject anonymous = on("0.0.0.0").put("auth", new JsonObject().put("anonymous", true));
    assertTrue(RuqiConfig.from(anonymous).auth().anonymous());
  }

  @Test
  void tokens_from_the_environment_and_bad_tokens() {
    JsonObject env = ConfigLoader.fromEnv(Map.of("RUQI_AUTH_TOKENS",
        "ops:admin:a-long-enough-secret,ci:viewer:sha256:" + "ab".repeat(32)));
    assertEquals(2, RuqiConfig.from(env).auth().tokens().size());
    ConfigException shortToken = assertThrows(ConfigException.class, () -> RuqiConfig.from(ConfigLoader.fromEnv(
        Map.of("RUQI_AUTH_TOKENS", "ops:admin:short"))));
    assertTrue(shortToken.getMessage().contains("16"), shortToken.getMessage());
    ConfigException badRole = assertThrows(ConfigException.class, () -> RuqiConfig.from(ConfigLoader.fromEnv(
        Map.of("RUQI_AUTH_TOKENS", "ops:root:a-long-enough-secret"))));
    assertTrue(badRole.getMessage().contains("viewer, operator or admin"), badRole.getMessage());
    assertEquals("auth.tokens[0].role", badRole.key(), "the key names the entry and its field");
  }

  @Test
  void allowed_hosts_are_names_without_scheme_or_port() {
    JsonObject ok = new JsonObject().put("http", new JsonObject().put("allowed_hosts",
        new JsonArray().add("Ruqi.Example.com").add("*.corp.example").add("*")));
    assertEquals(java.util.List.of("ruqi.example.com", "*.corp.example", "*"),
        RuqiConfig.from(ok).http().allowedHosts());
    assertEquals(java.util.List.of("a.example", "b.example"), RuqiConfig.from(ConfigLoader.fromEnv(
        Map.of("RUQI_HTTP_ALLOWED_HOSTS", "a.example,b.example"))).http().allowedHosts());
    for (String bad : new String[] {"ruqi.example.com:8585", "http://ruqi.example.com", "a b", "ruqi/x"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> RuqiConfig.from(new JsonObject()
          .put("http", new JsonObject().put("allowed_hosts", new JsonArray().add(bad)))));
      assertEquals("http.allowed_hosts", e.key(), bad);
      assertTrue(e.getMessage().contains("without scheme or port"), e.getMessage());
    }
  }

  @Test
  void a_cluster_needs_a_secret_of_16_characters_or_more() {
    JsonObject cluster = new JsonObject().put("cluster", new JsonObject().put("enabled", true));
    ConfigException none = assertThrows(ConfigException.class, () -> RuqiConfig.from(cluster));
    assertEquals("cluster.secret", none.key());
    assertTrue(none.getMessage().contains("RUQI_CLUSTER_SECRET"), none.getMessage());
    ConfigException shortOne = assertThrows(ConfigException.class, () -> RuqiConfig.from(ConfigLoader.fromEnv(
        Map.of("RUQI_CLUSTER_ENABLED", "true", "RUQI_CLUSTER_SECRET", "too-short"))));
    assertTrue(shortOne.getMessage().contains("16"), shortOne.getMessage());
    RuqiConfig ok = RuqiConfig.from(ConfigLoader.fromEnv(
        Map.of("RUQI_CLUSTER_ENABLED", "true", "RUQI_CLUSTER_SECRET", "a-secret-long-enough")));
    assertEquals("a-secret-long-enough", ok.cluster().secret());
    assertFalse(ok.toString().contains("a-secret-long-enough"), "the secret stays out of logs: " + ok);
    // a node that is not clustered needs none
    assertFalse(RuqiConfig.from(new JsonObject()).cluster().enabled());
  }
}
