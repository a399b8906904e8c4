package io.ruqi.console;

import io.ruqi.store.HistoryRecord;
import io.ruqi.store.RunStatus;
import io.ruqi.testing.Chromium;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status view's charts and a running process's live output, in a real headless Chromium against a real node:
 * history rows of the last hour plus real fires are drawn (checked on the data the page plotted and on the canvas's
 * pixels, in the outcomes' colours), one job's runs on a timeline, and a process printing a line every 200 ms is
 * watched while it runs, then shows the output the history kept; a fire already over shows that at once. PNGs in
 * {@code target/screenshots}.
 */
@Tag("browser")
class ChartsBrowserTest {
  static final Path SHOTS = ConsoleBrowserTest.SHOTS;
  static final String SUCCESS_RGB = "31,138,76";
  static final String FAILED_RGB = "200,55,45";
  static final String P50_RGB = "47,111,223";

  TestNode node;
  WebDriver driver;
  WebDriverWait wait;
  Path profile;

  @RegisterExtension
  final AfterTestExecutionCallback shotOnFailure = context -> {
    if (context.getExecutionException().isPresent() && driver != null) {
      shot("FAILED-charts-" + context.getRequiredTestMethod().getName());
    }
  };

  @BeforeEach
  void start() throws IOException {
    Chromium.requireInstalled();
    Files.createDirectories(SHOTS);
    node = TestNode.startRealTime(new JsonObject().put("timezone", "UTC"));
    profile = Files.createTempDirectory("ruqi-chromium");
    driver = Chromium.start(profile, "en-US");
    wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
  }

  @AfterEach
  void stop() throws IOException {
    try {
      Chromium.quit(driver, profile);
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void charts_draw_the_history_of_the_last_hour_and_day_and_one_job_s_runs() {
    // an hour of history as another node of the pair would have left it, and real fires of a job on this one
    Instant now = Instant.now();
    List<HistoryRecord> rows = new ArrayList<>();
    for (int m = 5; m < 55; m += 5) {
      Instant minute = now.minus(m, ChronoUnit.MINUTES);
      for (int i = 0; i < m / 5; i++) {
        rows.add(row("seeded", RunStatus.SUCCESS, minute.plusSeconds(i), 3 + i * 20L));
      }
      rows.add(row("seeded", RunStatus.FAILED, minute.plusSeconds(30), 900L));
    }
    TestNode.await(node.node.stores().history().write(rows));
    ok(node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "ticker").put("job_name", "charts")
        .put("job_trigger", "interval").put("rule", "1s").put("cmd", "echo tick")));
    TestNode.eventually(20, "three fires of ticker are in the history", () -> runsOf("ticker").size() >= 3);
    JsonObject stats = ok(node.http.get("/ruqi/history_stats"));
    long apiRuns = stats.getJsonArray("buckets").stream().mapToLong(b -> ((JsonObject) b).getLong("runs")).sum();

    driver.get(base() + "/#/status");
    By fires = By.id("chart-fires");
    until("the fires chart is drawn with every row of the hour", 20)
        .until(d -> d.findElements(By.cssSelector("#chart-fires canvas")).size() == 1
            && Long.parseLong(attr(fires, "data-runs", "0")) >= apiRuns);
    assertEquals("60", attr(fires, "data-buckets", null));
    assertEquals("1h", attr(fires, "data-window", null));
    assertTrue(Long.parseLong(attr(fires, "data-success", "0")) >= 3 + 45, "seeded successes and ticker's");
    assertTrue(pixels("#chart-fires canvas", SUCCESS_RGB) > 50, "green bars are on the canvas");
    assertTrue(pixels("#chart-fires canvas", FAILED_RGB) > 20, "red bars are on the canvas");
    By lateness = By.id("chart-lateness");
    assertTrue(Integer.parseInt(attr(lateness, "data-measured", "0")) >= 10, "a p50 in each seeded minute");
    assertTrue(Double.parseDouble(attr(lateness, "data-max-p99", "0")) >= 500, "the 900 ms failures show in p99");
    assertTrue(pixels("#chart-lateness canvas", P50_RGB) > 20, "the p50 line is drawn");
    shot("charts-01-last-hour");

    driver.findElement(By.id("charts-24h")).click();
    until("the day's chart", 20).until(d -> "24h".equals(attr(fires, "data-window", null)));
    assertEquals("96", attr(fires, "data-buckets", null));
    assertTrue(pixels("#chart-fires canvas", SUCCESS_RGB) > 20);
    shot("charts-02-last-day");

    // the jobs list links each job to its runs' timeline
    driver.get(base() + "/#/jobs");
    By chartLink = By.cssSelector("#jobs-tbody tr[data-job-id='ticker'] [data-testid=job-chart]");
    until("the job's chart link", 20).until(d -> !d.findElements(chartLink).isEmpty());
    String href = attr(chartLink, "href", "");
    assertTrue(href.endsWith("#/status?job=ticker"), href);
    driver.get(href);
    By timeline = By.id("chart-timeline");
    until("ticker's runs on the timeline", 20).until(d -> "ticker".equals(attr(timeline, "data-job", null))
        && Integer.parseInt(attr(timeline, "data-runs", "0")) >= 3);
    assertEquals("success", attr(timeline, "data-outcomes", null));
    assertTrue(pixels("#chart-timeline canvas", SUCCESS_RGB) > 10, "a green point per run");
    js("document.getElementById('chart-timeline').scrollIntoView()");
    shot("charts-03-job-timeline");

    driver.findElement(By.id("lang-select")).sendKeys("简体中文");
    wait.until(d -> "每分钟触发次数（按结果）".equals(d.findElement(By.cssSelector("[data-i18n='charts.fires']")).getText()));
    assertTrue(pixels("#chart-fires canvas", SUCCESS_RGB) > 20, "redrawn in the new language");
    js("window.scrollTo(0, 0)");
    shot("charts-04-zh");
    assertNoScriptErrors();
  }

  @Test
  void a_running_process_s_lines_are_watched_live_then_its_stored_output_is_shown() {
    ok(node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "chatty").put("job_name", "live")
        .put("job_trigger", "interval").put("rule", "1h")
        .put("cmd", "bash -c 'for i in $(seq 1 25); do echo line $i; sleep 0.2; done'")));
    driver.get(base() + "/#/history");
    wait.until(d -> "sse".equals(d.findElement(By.id("live-state")).getAttribute("data-mode")));

    JsonObject run = ok(node.http.post("/ruqi/job_run", new JsonObject().put("job_id", "chatty")));
    String fireId = run.getString("fire_id");
    By watch = By.cssSelector("[data-testid=running-fire][data-fire-id='" + fireId + "'] [data-testid=watch-live]");
    until("the fire is listed as running", 20).until(d -> !d.findElements(watch).isEmpty());
    shot("live-01-running-list");
    driver.findElement(watch).click();

    By text = By.id("live-text");
    until("lines arrive while the process runs", 20)
        .until(d -> Integer.parseInt(attr(text, "data-lines", "0")) >= 3);
    // seen in the page and the fire not over: its history row is not written yet
    JsonObject during = ok(node.http.get("/ruqi/fire_output?fire_id=" + enc(fireId)));
    assertTrue(during.getBoolean("running"), "the process still runs: " + during.encode());
    assertTrue(during.getJsonArray("runs").isEmpty(), during.encode());
    String shown = driver.findElement(text).getText();
    assertTrue(shown.startsWith("line 1\nline 2\nline 3"), shown);
    assertEquals("running", attr(By.id("live-status"), "data-state", null));
    shot("live-02-lines-while-running");

    until("the fire ends and its stored output is shown", 30)
        .until(d -> "ended".equals(attr(By.id("live-status"), "data-state", null)));
    String stored = driver.findElement(text).getText();
    assertTrue(stored.startsWith("line 1\n") && stored.endsWith("line 25"), stored);
    assertTrue(driver.findElement(By.id("live-status")).getText().contains("success"));
    shot("live-03-ended-stored-output");

    // a view opened on a fire that is over gets the stored output at once
    js("document.getElementById('live-dialog').close()");
    js("import('./js/output.js').then(m => m.watch('" + fireId + "', 'chatty', 'again'))");
    until("a fire that is over shows its stored output at once", 20)
        .until(d -> "ended".equals(attr(By.id("live-status"), "data-state", null))
        && "true".equals(attr(text, "data-stored", null)));
    assertTrue(driver.findElement(text).getText().endsWith("line 25"));
    assertEquals("0", attr(text, "data-lines", null), "no live line: the fire was over");

    // and an unknown fire says so
    js("document.getElementById('live-dialog').close()");
    js("import('./js/output.js').then(m => m.watch('chatty@1', 'chatty', 'never'))");
    until("an unknown fire is refused", 20)
        .until(d -> "refused".equals(attr(By.id("live-status"), "data-state", null)));
    assertTrue(driver.findElement(By.id("live-status")).getText().contains("no fire chatty@1"));
    shot("live-04-unknown-fire");
    assertNoScriptErrors();
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  static HistoryRecord row(String job, RunStatus status, Instant fire, long lateMs) {
    return new HistoryRecord(job, "charts", "echo", status, "", 0.25, "node-b", fire.plusSeconds(1), fire,
        fire.plusMillis(lateMs), 1, status == RunStatus.SUCCESS ? 0 : 1, true);
  }

  JsonArray runsOf(String jobId) {
    return node.http.get("/ruqi/job_history_list?job_id=" + jobId).json().getJsonObject("data").getJsonArray("list");
  }

  static JsonObject ok(io.ruqi.testing.HttpTestClient.Reply reply) {
    JsonObject body = reply.json();
    assertEquals("OK", body.getString("stat"), body.encode());
    return body.getJsonObject("data");
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  String base() {
    return "http://127.0.0.1:" + node.node.port();
  }

  String attr(By by, String name, String otherwise) {
    try {
      String v = driver.findElement(by).getAttribute(name);
      return v == null ? otherwise : v;
    } catch (RuntimeException e) {
      return otherwise;
    }
  }

  /** A wait of its own: WebDriverWait's withMessage and withTimeout change the wait they are called on. */
  WebDriverWait until(String what, int seconds) {
    WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
    w.withMessage(what);
    return w;
  }

  Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** Pixels of the canvas within a few levels of the colour {@code rgb} ("r,g,b"): what was drawn, not the DOM. */
  long pixels(String canvas, String rgb) {
    Object n = js("const c = document.querySelector(\"" + canvas + "\"); if (!c) return 0;"
        + "const [r, g, b] = [" + rgb + "]; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        + "let n = 0; for (let i = 0; i < d.length; i += 4) {"
        + "  if (d[i + 3] > 200 && Math.abs(d[i] - r) < 8 && Math.abs(d[i + 1] - g) < 8"
        + "      && Math.abs(d[i + 2] - b) < 8) n++;"
        + "} return n;");
    return ((Number) n).longValue();
  }

  void shot(String name) {
    Chromium.screenshot(driver, SHOTS.resolve(name + ".png"));
  }

  void assertNoScriptErrors() {
    Chromium.assertNoScriptErrors(driver);
  }
}
