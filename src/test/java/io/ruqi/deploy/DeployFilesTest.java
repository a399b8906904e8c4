package io.ruqi.deploy;

import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The files under deploy/, checked by the operators' own tools (promtool, systemd-analyze) and against the
 * /metrics of a running node: a dashboard or a rule that names a metric ruqi does not have would show nothing, or
 * never fire.
 */
class DeployFilesTest {
  static final Path RULES = Path.of("deploy/prometheus/ruqi-rules.yml");
  static final Path RULE_TESTS = Path.of("deploy/prometheus/ruqi-rules.test.yml");
  static final Path DASHBOARD = Path.of("deploy/grafana/ruqi-dashboard.json");
  static final Path UNIT = Path.of("deploy/systemd/ruqi.service");
  /** Series that Prometheus makes itself for every target it scrapes. */
  static final Set<String> PROMETHEUS_OWN = Set.of("up");

  static TestNode node;
  static Set<String> scraped;

  @BeforeAll
  static void scrape() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), "UTC");
    node.http.get("/ruqi/job_list"); // the HTTP server's meters appear with the first request
    var r = node.http.get("/metrics");
    assertEquals(200, r.status());
    scraped = new HashSet<>();
    for (String line : r.text().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        scraped.add(line.split("[{ ]", 2)[0]);
      }
    }
    scraped.addAll(PROMETHEUS_OWN);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void promtool_finds_the_rules_valid() {
    Run run = run("promtool", "check", "rules", RULES.toString());
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("SUCCESS: 8 rules found"), run.output());
  }

  @Test
  void the_rules_fire_and_stay_quiet_as_their_promtool_unit_tests_say() {
    Run run = run("promtool", "test", "rules", RULE_TESTS.toString());
    assertEquals(0, run.exit(), run.output());
  }

  @Test
  void every_metric_the_rules_and_their_tests_read_is_on_a_running_nodes_metrics() throws IOException {
    Set<String> used = new TreeSet<>();
    Map<String, Object> rules = yaml(RULES);
    for (Object group : (List<?>) rules.get("groups")) {
      for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
        used.addAll(PromQlNames.of((String) ((Map<?, ?>) rule).get("expr")));
      }
    }
    for (Object test : (List<?>) yaml(RULE_TESTS).get("tests")) {
      for (Object series : (List<?>) ((Map<?, ?>) test).get("input_series")) {
        used.add(((String) ((Map<?, ?>) series).get("series")).split("\\{", 2)[0].strip());
      }
    }
    assertTrue(used.containsAll(Set.of("ruqi_fires_total", "ruqi_failure_streak_max", "ruqi_history_queue",
        "ruqi_fire_lateness_seconds_bucket", "up")), "the names were read: " + used);
    assertEquals(List.of(), missing(used, scraped), "named in " + RULES + " or its tests, not on /metrics");
  }

  @Test
  void every_metric_the_dashboard_reads_is_on_a_running_nodes_metrics() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    Set<String> used = dashboardNames(dashboard);
    assertTrue(used.size() >= 15, "the names were read: " + used);
    assertEquals(List.of(), missing(used, scraped), "named in " + DASHBOARD + ", not on /metrics");
  }

  @Test
  void the_dashboard_imports_into_any_prometheus_data_source() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    assertEquals("ruqi", dashboard.getString("uid"));
    Set<Integer> ids = new HashSet<>();
    Set<String> cells = new HashSet<>();
    for (JsonObject panel : panels(dashboard)) {
      assertTrue(ids.add(panel.getInteger("id")), "panel ids are unique: " + panel.getInteger("id"));
      JsonObject at = panel.getJsonObject("gridPos");
      assertTrue(at.getInteger("x") + at.getInteger("w") <= 24, panel.getString("title") + " fits the 24 columns");
      for (int x = at.getInteger("x"); x < at.getInteger("x") + at.getInteger("w"); x++) {
        for (int y = at.getInteger("y"); y < at.getInteger("y") + at.getInteger("h"); y++) {
          assertTrue(cells.add(x + "," + y), panel.getString("title") + " overlaps another panel at " + x + "," + y);
        }
      }
      if (!panel.getString("type").equals("row")) {
        assertEquals("${datasource}", panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
        assertFalse(panel.getJsonArray("targets").isEmpty(), panel.getString("title"));
      }
    }
  }

  @Test
  void systemd_analyze_verifies_the_unit() {
    assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed here");
    Run verify = run("systemd-analyze", "verify", UNIT.toString());
    // verify answers 0 for unknown keys and values it ignores, printing a warning: any output is a fault
    assertEquals(0, verify.exit(), verify.output());
    assertEquals("", verify.output().strip());
    // the exposure systemd reports from 0 (locked down) to 10 (none); --threshold counts in tenths of it
    Run security = run("systemd-analyze", "security", "--offline=true", "--threshold=20", UNIT.toString());
    assertEquals(0, security.exit(), security.output());
    assertFalse(security.output().contains("ignoring"), security.output());
  }

  @Test
  void the_unit_runs_as_its_own_user_restarts_and_stops_gracefully() throws IOException {
    String unit = Files.readString(UNIT);
    for (String line : List.of("User=ruqi", "Restart=on-failure", "RestartPreventExitStatus=2", "KillMode=mixed",
        "NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectory=ruqi ruqi/work",
        "Environment=RUQI_EXEC_WORKDIR=/var/lib/ruqi/work")) {
      assertTrue(unit.lines().anyMatch(line::equals), line);
    }
    assertTrue(Files.readString(Path.of("deploy/systemd/ruqi.sysusers")).startsWith("#"));
  }

  @Test
  void the_logs_are_plain_lines_on_stdout_for_the_journal_and_no_file() throws Exception {
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("conf/logback.xml").toFile());
    NodeList appenders = doc.getElementsByTagName("appender");
    assertTrue(appenders.getLength() > 0);
    for (int i = 0; i < appenders.getLength(); i++) {
      Element appender = (Element) appenders.item(i);
      assertEquals("ch.qos.logback.core.ConsoleAppender", appender.getAttribute("class"),
          appender.getAttribute("name") + ": only the console (stdout), nothing to rotate");
      assertEquals(0, appender.getElementsByTagName("target").getLength(), "stdout, Logback's default");
    }
  }

  static Set<String> dashboardNames(JsonObject dashboard) {
    Set<String> names = new TreeSet<>();
    for (JsonObject panel : panels(dashboard)) {
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        names.addAll(PromQlNames.of(((JsonObject) target).getString("expr")));
      }
    }
    JsonObject templating = dashboard.getJsonObject("templating", new JsonObject());
    for (Object variable : templating.getJsonArray("list", new JsonArray())) {
      if (((JsonObject) variable).getValue("query") instanceof JsonObject query) {
        names.addAll(PromQlNames.ofGrafanaQuery(query.getString("query")));
      }
    }
    return names;
  }

  /** Panels, and the panels of rows (a collapsed row holds its own). */
  static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> out = new ArrayList<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      out.add((JsonObject) p);
      for (Object inner : ((JsonObject) p).getJsonArray("panels", new JsonArray())) {
        out.add((JsonObject) inner);
      }
    }
    return out;
  }

  static List<String> missing(Set<String> used, Set<String> scraped) {
    return used.stream().filter(n -> !scraped.contains(n)).sorted().toList();
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    return new Yaml().load(Files.readString(file));
  }

  record Run(int exit, String output) {
  }

  private static Run run(String... command) {
    assertTrue(onPath(command[0]), command[0] + " is not installed: bash scripts/setup.sh installs it");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
      return new Run(p.exitValue(), out);
    } catch (IOException e) {
      throw new AssertionError(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
