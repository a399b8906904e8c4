package io.ruqi.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code node.role} and {@code node.labels}: a worker needs the cluster and a label; a label is a simple name. */
class NodeRoleConfigTest {
  static final JsonObject CLUSTER = new JsonObject().put("enabled", true).put("secret", "a-secret-of-16-chars+");

  static JsonObject node(Object role, Object labels) {
    return new JsonObject().put("node", new JsonObject().put("role", role).put("labels", labels));
  }

  @Test
  void a_node_is_a_scheduler_unless_it_says_otherwise() {
    NodeRole role = RuqiConfig.from(new JsonObject()).role();
    assertFalse(role.worker());
    assertEquals(List.of(), role.labels());
  }

  @Test
  void a_worker_carries_its_labels_from_yaml_or_from_the_environment_s_comma_list() {
    NodeRole yaml = RuqiConfig.from(node("worker", new JsonArray().add("gpu").add("eu").add("gpu"))
        .put("cluster", CLUSTER)).role();
    assertTrue(yaml.worker());
    assertEquals(List.of("gpu", "eu"), yaml.labels());
    assertEquals(List.of("host-a", "eu"), RuqiConfig.from(node("Worker", "host-a, eu").put("cluster", CLUSTER))
        .role().labels());
  }

  @Test
  void a_worker_outside_a_cluster_or_without_a_label_does_not_start() {
    ConfigException alone = assertThrows(ConfigException.class,
        () -> RuqiConfig.from(node("worker", new JsonArray().add("gpu"))));
    assertTrue(alone.getMessage().startsWith("node.role: a worker takes its runs from the cluster"),
        alone.getMessage());
    ConfigException bare = assertThrows(ConfigException.class,
        () -> RuqiConfig.from(node("worker", new JsonArray()).put("cluster", CLUSTER)));
    assertTrue(bare.getMessage().startsWith("node.labels: a worker needs at least one label"), bare.getMessage());
  }

  @Test
  void an_unknown_role_and_a_label_that_is_not_a_simple_name_are_refused() {
    ConfigException role = assertThrows(ConfigException.class,
        () -> RuqiConfig.from(node("executor", new JsonArray())));
    assertTrue(role.getMessage().startsWith("node.role: expected scheduler or worker"), role.getMessage());
    for (String bad : List.of("a b", "-gpu", "gpu/1", "x".repeat(65), "ruqi.api.*")) {
      assertThrows(ConfigException.class, () -> RuqiConfig.from(node("worker", new JsonArray().add(bad))
          .put("cluster", CLUSTER)), bad);
    }
  }

  @Test
  void a_worker_serves_no_api_so_a_public_http_host_without_tokens_is_no_exposure() {
    JsonObject open = node("worker", new JsonArray().add("gpu")).put("cluster", CLUSTER)
        .put("http", new JsonObject().put("host", "0.0.0.0"));
    assertTrue(RuqiConfig.from(open).role().worker());
    assertThrows(ConfigException.class, () -> RuqiConfig.from(open.copy().put("node", new JsonObject())),
        "a scheduler on 0.0.0.0 without tokens still does not start");
  }
}
