package io.ruqi.api;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.Scripts;
import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bash or python command whose script is not there is refused when it is added, as RuQi refused it, instead of
 * failing at every run. Scripts are looked up in exec.workdir, where the run looks for them.
 */
class MissingScriptTest implements StoreUnderTest {
  TestNode node;
  Path workdir;

  @BeforeEach
  void start() {
    workdir = Scripts.dir("scripts/ok.sh", "jobs/report.py");
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), store().put("timezone", "UTC")
        .put("exec", new JsonObject().put("workdir", workdir.toString())));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  Reply add(String id, String cmd) {
    return node.http.post("/ruqi/job_add", new JsonObject().put("job_id", id).put("job_name", "s")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", cmd));
  }

  long total() {
    return node.http.get("/ruqi/job_list").json().getJsonObject("data").getLong("total");
  }

  static void refusedNaming(Reply r, String script) {
    assertEquals("ERR", r.stat(), r.toString());
    String msg = r.json().getString("msg");
    assertTrue(msg.contains("cmd: the script " + script + " does not exist"), msg);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash scripts/missing.sh", "python jobs/missing.py --all", "python3 jobs/missing.py",
      "sh scripts/missing.sh", "/bin/bash scripts/missing.sh", "bash scripts"})
  void a_missing_script_is_refused_and_nothing_is_stored(String cmd) {
    Reply r = add("x", cmd);
    assertEquals("ERR", r.stat(), r.toString());
    assertTrue(r.json().getString("msg").startsWith("cmd: the script "), r.toString());
    assertEquals(0, total());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash scripts/ok.sh", "python jobs/report.py --day 1", "bash -c 'exit 0'",
      "python3 -m http.server", "bash", "echo scripts/missing.sh", "sh -x scripts/missing.sh"})
  void a_present_script_an_option_or_another_program_is_accepted(String cmd) {
    assertEquals("OK", add("x", cmd).stat(), cmd);
  }

  @Test
  void every_way_of_adding_and_changing_a_cmd_checks_it() {
    refusedNaming(node.http.post("/ruqi/job_add_by_line", new JsonObject().put("line", "1d python jobs/gone.py")),
        "jobs/gone.py");
    refusedNaming(node.http.post("/ruqi/add_job", new JsonObject().put("name", "legacy").put("rule", "0 0 1 * * *")
        .put("cmd", "bash gone.sh")), "gone.sh");
    assertEquals(0, total());

    assertEquals("OK", add("m", "bash scripts/ok.sh").stat());
    refusedNaming(node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "m")
        .put("cmd", "bash scripts/gone.sh")), "scripts/gone.sh");
    assertEquals("bash scripts/ok.sh", node.http.get("/ruqi/job_show?job_id=m").json().getJsonObject("data")
        .getString("cmd"), "a refused modify changes nothing");
  }

  @Test
  void a_modify_that_leaves_the_cmd_alone_is_not_refused_for_a_script_gone_since() throws Exception {
    assertEquals("OK", add("m", "bash scripts/ok.sh").stat());
    java.nio.file.Files.delete(workdir.resolve("scripts/ok.sh"));
    Reply r = node.http.post("/ruqi/job_modify", new JsonObject().put("job_id", "m").put("rule", "20s"));
    assertEquals("OK", r.stat(), r.toString());
  }

  @Test
  void a_directory_is_no_script() {
    Reply r = add("x", "bash scripts");
    assertTrue(r.json().getString("msg").contains("is a directory"), r.toString());
  }
}
