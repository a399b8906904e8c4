package io.ruqi.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** exec.env: what every process gets on top of the few inherited variables; from a file or RUQI_EXEC_ENV. */
class ExecEnvConfigTest {

  static RuqiConfig withEnv(Object env) {
    return RuqiConfig.from(new JsonObject().put("exec", new JsonObject().put("env", env)));
  }

  @Test
  void none_by_default() {
    assertEquals(Map.of(), RuqiConfig.from(new JsonObject()).execEnv());
  }

  @Test
  void a_map_from_the_file_with_numbers_as_text() {
    RuqiConfig config = withEnv(new JsonObject().put("PYTHONPATH", "/opt/lib").put("OMP_NUM_THREADS", 4)
        .put("EMPTY", ""));
    assertEquals(Map.of("PYTHONPATH", "/opt/lib", "OMP_NUM_THREADS", "4", "EMPTY", ""), config.execEnv());
  }

  @Test
  void a_json_object_from_the_environment() {
    JsonObject fromEnv = ConfigLoader.fromEnv(Map.of("RUQI_EXEC_ENV",
        "{\"NO_PROXY\":\"localhost,127.0.0.1\",\"A\":\"b\"}", "RUQI_EXEC_ALIASES", "{\"py\":\"python3\"}"));
    RuqiConfig config = RuqiConfig.from(fromEnv);
    assertEquals(Map.of("NO_PROXY", "localhost,127.0.0.1", "A", "b"), config.execEnv());
    assertEquals(Map.of("py", "python3"), config.execAliases());
  }

  @Test
  void ruqi_names_bad_names_and_bad_json_stop_the_start() {
    ConfigException ruqi = assertThrows(ConfigException.class,
        () -> withEnv(new JsonObject().put("RUQI_AUTH_TOKENS", "x")));
    assertEquals("exec.env.RUQI_AUTH_TOKENS", ruqi.key());
    assertThrows(ConfigException.class, () -> withEnv(new JsonObject().put("ruqi_job_id", "x")));
    ConfigException name = assertThrows(ConfigException.class, () -> withEnv(new JsonObject().put("A=B", "x")));
    assertEquals("exec.env", name.key());
    assertThrows(ConfigException.class, () -> withEnv(new JsonObject().put("1X", "x")));
    assertThrows(ConfigException.class, () -> withEnv(new JsonObject().put("NUL", "a\0b")));
    assertThrows(ConfigException.class, () -> withEnv(new JsonObject().put("NESTED", new JsonObject())));
    ConfigException json = assertThrows(ConfigException.class, () -> withEnv("{not json"));
    assertTrue(json.getMessage().contains("JSON object"), json.getMessage());
    assertThrows(ConfigException.class, () -> withEnv("A=b"));
  }
}
