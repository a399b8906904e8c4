package io.ruqi.api;

import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RuQi's documented curl calls (reference/ruqi.md §3), run with the real curl, as written but for the port. */
class CurlExamplesTest implements StoreUnderTest {
  TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), store().put("timezone", "Asia/Shanghai"));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  JsonObject curl(String... args) throws IOException, InterruptedException {
    List<String> argv = new java.util.ArrayList<>(List.of("curl", "-s"));
    for (String a : args) {
      argv.add(a.replace("127.0.0.1:8585", "127.0.0.1:" + node.http.port()));
    }
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return new JsonObject(out);
  }

  @Test
  void the_readme_examples_work_as_written() throws Exception {
    JsonObject added = curl("-d", "{\"job_trigger\":\"interval\",\"job_id\":\"test3\",\"job_name\":\"platform\","
        + "\"rule\":\"10s\",\"cmd\":\"bash scripts/test.sh\"}", "http://127.0.0.1:8585/ruqi/add_job");
    assertEquals("OK", added.getString("stat"), added.encode());

    JsonObject jobs = curl("http://127.0.0.1:8585/ruqi/get_jobs?page_index=1&page_size=15");
    assertEquals(1, jobs.getJsonObject("data").getInteger("total"));
    assertEquals("10s", jobs.getJsonObject("data").getJsonArray("list").getJsonObject(0).getString("rule"));

    JsonObject one = curl("http://127.0.0.1:8585/ruqi/get_job?job_id=test3");
    assertEquals("2026-11-21 12:00:10", one.getJsonObject("data").getString("nexttime"));

    assertEquals("OK", curl("-d", "{\"job_id\":\"test3\"}", "http://127.0.0.1:8585/ruqi/pause_job").getString("stat"));
    assertEquals("OK", curl("-d", "{\"job_id\":\"test3\"}", "http://127.0.0.1:8585/ruqi/resume_job").getString("stat"));
    assertEquals("OK", curl("http://127.0.0.1:8585/ruqi/remove_job?job_id=test3").getString("stat"));
    assertEquals("ERR", curl("http://127.0.0.1:8585/ruqi/get_job?job_id=test3").getString("stat"));
  }
}
