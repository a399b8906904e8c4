package io.ruqi.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar started with its secrets in its environment, as a service manager starts it: a job that prints its
 * environment into the history (which every viewer reads) must find none of them there.
 */
class JobEnvironmentIT {
  private static final String ADMIN = "an-admin-token-that-is-long-enough";
  private static final String PROXY = "http://proxyuser:proxy-password@127.0.0.1:3128";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void a_job_sees_none_of_the_services_settings_and_secrets(@TempDir Path dir) throws Exception {
    int port = RuqiProcess.freePort();
    Map<String, String> env = Map.of(
        "RUQI_HTTP_PORT", Integer.toString(port),
        "RUQI_STORE_URL", "sqlite:" + dir.resolve("ruqi.db"),
        "RUQI_AUTH_TOKENS", "ops:admin:" + ADMIN,
        "RUQI_EXEC_ENV", "{\"GREETING\":\"hello from exec.env\"}",
        "JAVA_TOOL_OPTIONS", "-Druqi.marker=jvm-knob",
        "http_proxy", PROXY,
        "LC_TIME", "C.UTF-8");
    Path log = dir.resolve("ruqi.log");
    Process ruqi = RuqiProcess.launch(dir, env, log);
    try {
      awaitReady(ruqi, port, log);
      JsonObject job = new JsonObject().put("job_id", "env").put("job_name", "leak")
          .put("job_trigger", "date").put("rule", "now").put("cmd", "env");
      assertEquals("OK", call(port, "job_add", job).getString("stat"));
      JsonObject row = awaitHistoryRow(port, "env");
      assertEquals("success", row.getString("status"), row.encodePrettily());
      String output = row.getString("cmd_output");

      assertFalse(output.contains(ADMIN), output);
      assertFalse(output.contains("proxy-password"), output);
      assertFalse(output.contains("jvm-knob"), output);
      Set<String> names = Arrays.stream(output.split("\n")).map(line -> line.split("=", 2)[0])
          .collect(Collectors.toCollection(TreeSet::new));
      Set<String> ruqiNames = names.stream().filter(n -> n.startsWith("RUQI_")).collect(Collectors.toSet());
      assertEquals(Set.of("RUQI_JOB_ID", "RUQI_JOB_NAME", "RUQI_FIRE_TIME", "RUQI_FIRE_ID", "RUQI_ATTEMPT"),
          ruqiNames, "only the fire's own RUQI_ variables: " + names);
      assertTrue(output.contains("\nGREETING=hello from exec.env\n") || output.startsWith("GREETING="), output);
      assertTrue(output.contains("LC_TIME=C.UTF-8"), "the locale is kept: " + output);
      assertTrue(names.contains("PATH"), "PATH is kept: " + names);
      assertTrue(output.contains("RUQI_JOB_ID=env"), output);
    } finally {
      ruqi.destroy();
      if (!ruqi.waitFor(30, TimeUnit.SECONDS)) {
        ruqi.destroyForcibly();
      }
    }
  }

  /** /ready, not /health: the process answers /health before the store and the API are up (a call then is a 503). */
  private void awaitReady(Process ruqi, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!ruqi.isAlive()) {
        throw new IllegalStateException("ruqi exited with " + ruqi.exitValue() + ": " + Files.readString(log));
      }
      try {
        if (send(port, "/ready", null).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("ruqi did not answer within 60 s: " + Files.readString(log));
  }

  private JsonObject awaitHistoryRow(int port, String jobId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonArray rows = call(port, "job_history_list", new JsonObject().put("job_id", jobId))
          .getJsonObject("data").getJsonArray("list");
      if (!rows.isEmpty()) {
        return rows.getJsonObject(0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no history row of " + jobId + " within 60 s");
  }

  private JsonObject call(int port, String op, JsonObject params) throws Exception {
    HttpResponse<String> reply = send(port, "/ruqi/" + op, params.encode());
    return new JsonObject(reply.body());
  }

  private HttpResponse<String> send(int port, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + ADMIN);
    if (json != null) {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
