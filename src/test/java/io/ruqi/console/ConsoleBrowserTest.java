package io.ruqi.console;

import io.ruqi.testing.Chromium;
import io.ruqi.testing.ConsoleActions;
import io.ruqi.testing.HttpTestClient.Reply;
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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against a real
 * node in this JVM: a job is added through the form, fires, shows in the history without a reload, is paused, run,
 * shown in Chinese, and deleted; and, on a node with tokens, the sign-in and the node's event stream with the token.
 * Each page is saved as a PNG in {@code target/screenshots}. Without the browser this test fails (it is not
 * skipped): {@code scripts/setup.sh} installs it.
 */
@Tag("browser")
class ConsoleBrowserTest {
  static final Path SHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
  static final String JOB = "console-demo";
  static final String VIEWER_TOKEN = "console-viewer-token-0123";
  static final String ADMIN_TOKEN = "console-admin-token-0123";

  TestNode node;
  WebDriver driver;
  WebDriverWait wait;
  Path profile;

  /** On a failure, the page as it was, before the browser is closed. */
  @RegisterExtension
  final AfterTestExecutionCallback shotOnFailure = context -> {
    if (context.getExecutionException().isPresent() && driver != null) {
      shot("FAILED-" + context.getRequiredTestMethod().getName());
    }
  };

  @BeforeEach
  void start() throws IOException {
    Chromium.requireInstalled();
    Files.createDirectories(SHOTS);
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
  void addFireWatchPauseRunTranslateDelete() {
    node = TestNode.startRealTime(new JsonObject()); // loopback without tokens: no sign-in
    open("en-US");
    driver.get(base(node.node.port()) + "/main"); // RuQi's path redirects to the console
    waitFor(By.cssSelector("#jobs-tbody tr.empty"));
    assertTrue(driver.getCurrentUrl().endsWith("/") || driver.getCurrentUrl().contains("/#/"), driver.getCurrentUrl());
    assertEquals("Jobs", text(By.id("nav-jobs")));
    js("window.__ruqiNoReload = 'same page'");
    // the page listens to /ruqi/events (server-sent events); it would poll if the stream were unavailable
    wait.until(d -> "sse".equals(d.findElement(By.id("live-state")).getAttribute("data-mode")));
    assertEquals("● Live", text(By.id("live-state")));
    shot("01-jobs-empty");

    // add through the form, watching the rule preview while typing
    click(By.id("job-add-btn"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-dialog")));
    type(By.id("f-job-id"), JOB);
    type(By.id("f-job-name"), "selenium");
    assertEquals("interval", new Select(driver.findElement(By.id("f-trigger"))).getFirstSelectedOption()
        .getAttribute("value"));
    type(By.id("f-rule"), "2x");
    WebElement error = waitFor(By.cssSelector("[data-testid=preview-error]"));
    assertTrue(error.getText().contains("ERR"), "the API's validation message and stat: " + error.getText());
    shot("02-form-rule-invalid");
    type(By.id("f-rule"), "2s");
    wait.until(d -> d.findElements(By.cssSelector("[data-testid=preview-times] li")).size() == 5);
    type(By.id("f-cmd"), "echo hello");
    click(By.cssSelector("#f-options summary"));
    type(By.id("f-timeout"), "30");
    type(By.id("f-max_instances"), "1");
    shot("03-form-preview");
    click(By.id("job-save"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("job-dialog")));

    By row = By.cssSelector("#jobs-tbody tr[data-job-id='" + JOB + "']");
    waitFor(row);
    String rowText = text(row);
    assertTrue(rowText.contains("selenium") && rowText.contains("2s") && rowText.contains("echo hello"), rowText);
    wait.until(d -> "scheduled".equals(rowState()));
    JsonObject stored = node.http.get("/ruqi/job_show?job_id=" + JOB).json().getJsonObject("data");
    assertEquals(30, stored.getJsonObject("options").getInteger("timeout"), stored.encode());
    shot("04-jobs-added");

    // the job's history: runs appear on the open page, without a reload
    clickInRow(JOB, "job-history");
    wait.until(d -> d.getCurrentUrl().contains("#/history?job_id=" + JOB));
    wait.until(d -> !d.findElements(By.cssSelector("#history-tbody tr")).isEmpty());
    long seen = maxHistoryId();
    long firstNew = waitForHistoryAfter(seen, 15);
    assertEquals("hello", text(By.cssSelector(
        "#history-tbody tr[data-history-id='" + firstNew + "'] [data-testid=history-output]")));
    assertEquals("same page", js("return window.__ruqiNoReload"), "the history updated without a reload");
    assertEquals("sse", attribute(By.id("live-state"), "data-mode"), "by the node's event stream, not by polling");
    shot("05-history-live");
    clickRetrying(By.cssSelector("#history-tbody tr[data-history-id='" + firstNew + "'] [data-testid=history-output]"));
    wait.until(ExpectedConditions.textToBe(By.id("output-text"), "hello"));
    shot("06-history-output");
    click(By.id("output-close"));

    // pause: the state shows paused, and no next run
    click(By.id("nav-jobs"));
    waitFor(row);
    clickInRow(JOB, "job-pause");
    wait.until(d -> "paused".equals(rowState()));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#jobs-tbody tr[data-job-id='" + JOB
        + "'] [data-testid=job-state]"), "paused"));
    assertEquals("—", text(By.cssSelector("#jobs-tbody tr[data-job-id='" + JOB + "'] [data-testid=job-next]")));
    shot("07-jobs-paused");

    // edit: the form comes filled in; only what changed is sent, so the job stays paused with its policies
    clickInRow(JOB, "job-edit");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-dialog")));
    assertEquals("2s", driver.findElement(By.id("f-rule")).getAttribute("value"));
    assertEquals("30", driver.findElement(By.id("f-timeout")).getAttribute("value"));
    assertEquals("true", driver.findElement(By.id("f-job-id")).getAttribute("readonly"));
    wait.until(d -> d.findElements(By.cssSelector("[data-testid=preview-times] li")).size() == 5);
    type(By.id("f-job-name"), "selenium-edited");
    click(By.id("job-save"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("job-dialog")));
    wait.until(d -> text(By.cssSelector("#jobs-tbody tr[data-job-id='" + JOB + "']")).contains("selenium-edited"));
    assertEquals("paused", rowState());
    JsonObject edited = node.http.get("/ruqi/job_show?job_id=" + JOB).json().getJsonObject("data");
    assertEquals(30, edited.getJsonObject("options").getInteger("timeout"), edited.encode());

    // run now (paused or not), and the run shows in the history
    long beforeRun = latestHistoryIdViaApi();
    clickInRow(JOB, "job-run");
    wait.until(d -> d.findElements(By.cssSelector("[data-testid=toast]")).stream()
        .anyMatch(t -> t.getText().contains("fired")));
    shot("08-jobs-run-now");
    click(By.id("nav-history"));
    wait.until(d -> d.getCurrentUrl().contains("#/history"));
    long ran = waitForHistoryAfter(beforeRun, 10);
    assertEquals("success", attribute(By.cssSelector("#history-tbody tr[data-history-id='" + ran + "']"),
        "data-status"));
    shot("09-history-all");
    new Select(driver.findElement(By.id("h-success"))).selectByValue("no"); // filters apply as they change
    waitFor(By.cssSelector("#history-tbody tr.empty"));
    assertTrue(driver.getCurrentUrl().contains("is_success=no"), driver.getCurrentUrl());
    click(By.id("history-search-reset"));
    waitFor(By.cssSelector("#history-tbody tr[data-history-id='" + ran + "']"));

    // the scheduler's status
    click(By.id("nav-status"));
    wait.until(ExpectedConditions.textToBe(By.id("status-node"), "test-node"));
    waitFor(By.cssSelector("#nodes-table tr[data-node='test-node']"));
    shot("10-status");

    // 中文 and back
    click(By.id("nav-jobs"));
    waitFor(row);
    new Select(driver.findElement(By.id("lang-select"))).selectByValue("zh-CN");
    wait.until(ExpectedConditions.textToBe(By.id("nav-jobs"), "任务"));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#jobs-tbody tr[data-job-id='" + JOB
        + "'] [data-testid=job-state]"), "已暂停"));
    assertEquals("zh-CN", js("return document.documentElement.lang"));
    shot("11-jobs-zh");
    new Select(driver.findElement(By.id("lang-select"))).selectByValue("en");
    wait.until(ExpectedConditions.textToBe(By.id("nav-jobs"), "Jobs"));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#jobs-tbody tr[data-job-id='" + JOB
        + "'] [data-testid=job-state]"), "paused"));
    assertEquals("en", js("return localStorage.getItem('ruqi.lang')"));

    // delete, with a confirmation
    clickInRow(JOB, "job-delete");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
    assertTrue(text(By.id("confirm-text")).contains(JOB));
    shot("12-confirm-delete");
    click(By.id("confirm-ok"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
    waitFor(By.cssSelector("#jobs-tbody tr.empty"));
    assertEquals("ERR", node.http.get("/ruqi/job_show?job_id=" + JOB).stat());
    assertEquals("same page", js("return window.__ruqiNoReload"), "the whole session ran in one page load");
    shot("13-jobs-deleted");
    assertNoScriptErrors();
  }

  /**
   * Against the node's own auth (a viewer's token for the browser, an admin's for the test's API calls): the API
   * answers 401, the console asks for a token, sends it as a Bearer header, keeps it for the tab only
   * (sessionStorage), and asks again when it is refused. With the token the console opens the node's real event
   * stream with {@code ?access_token=}, and a job added through the API reaches the open page by that stream. The
   * language comes from the browser (here Chinese).
   */
  @Test
  void signInWithTokenWhenTheApiAnswers401() {
    node = TestNode.startRealTime(new JsonObject().put("auth", new JsonObject().put("tokens", new JsonArray()
        .add(new JsonObject().put("name", "watcher").put("role", "viewer").put("token", VIEWER_TOKEN))
        .add(new JsonObject().put("name", "ops").put("role", "admin").put("token", ADMIN_TOKEN)))));
    open("zh-CN");
    driver.get(base(node.node.port()) + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-dialog")));
    assertEquals("登录", text(By.id("signin-title")));
    assertEquals("任务", text(By.id("nav-jobs")));
    shot("14-signin-zh");

    // cancelled: the page says why it is empty and offers to sign in, without asking at every refresh
    click(By.id("signin-cancel"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs-error"), "ERR_UNAUTHORIZED"));
    assertEquals("poll", driver.findElement(By.id("live-state")).getAttribute("data-mode"),
        "the node refused the stream without a token");
    wait.until(ExpectedConditions.textToBe(By.id("signout"), "登录"));
    click(By.id("signout"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-dialog")));

    type(By.id("signin-token"), "wrong-token-0123456789");
    click(By.id("signin-submit"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
    assertTrue(text(By.id("signin-error")).contains("the token was not accepted"), text(By.id("signin-error")));
    shot("15-signin-refused");

    type(By.id("signin-token"), VIEWER_TOKEN);
    click(By.id("signin-submit"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("signin-dialog")));
    waitFor(By.cssSelector("#jobs-tbody tr.empty"));
    assertEquals(VIEWER_TOKEN, js("return sessionStorage.getItem('ruqi.token')"));
    assertEquals(null, js("return localStorage.getItem('ruqi.token')"), "the token is not kept beyond the tab");
    assertTrue(driver.findElement(By.id("signout")).isDisplayed());

    // with the token the node's stream opens (the token as ?access_token=), and no polling runs while it is open
    wait.until(d -> "sse".equals(d.findElement(By.id("live-state")).getAttribute("data-mode")));
    assertFalse(hasClass(By.id("live-state"), "pulse"), "no event has reached the page yet");
    String markup = "echo '<img src=x onerror=window.__xss=1>'";
    Reply added = node.http.send("POST", "/ruqi/job_add", new JsonObject().put("job_id", "from-api")
        .put("job_name", "api").put("job_trigger", "cron").put("rule", "0 0 3 * * *").put("cmd", markup).encode(),
        "application/json", Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
    assertEquals("OK", added.stat(), added.toString());
    waitFor(By.cssSelector("#jobs-tbody tr[data-job-id='from-api']"));
    // only an event from the stream makes the live badge pulse: the row came with the node's job_added
    wait.until(d -> hasClass(By.id("live-state"), "pulse"));
    assertEquals("sse", driver.findElement(By.id("live-state")).getAttribute("data-mode"));
    assertEquals(markup, attribute(By.cssSelector("#jobs-tbody tr[data-job-id='from-api'] td.cmd"), "title"),
        "text from the API is shown as text");
    assertTrue(driver.findElements(By.cssSelector("#jobs-tbody img")).isEmpty(), "no markup from the API");
    shot("16-signed-in-zh-live");

    driver.navigate().refresh(); // the same tab keeps the token
    waitFor(By.cssSelector("#jobs-tbody tr[data-job-id='from-api']"));
    assertFalse(driver.findElement(By.id("signin-dialog")).isDisplayed());

    click(By.id("signout"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-dialog")));
    assertEquals(null, js("return sessionStorage.getItem('ruqi.token')"));
  }

  // ---- the browser ----------------------------------------------------------------------------------------------

  void open(String language) {
    try {
      profile = Files.createTempDirectory("ruqi-chromium");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    driver = Chromium.start(profile, language);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(100));
    // toasts and re-rendered rows leave the page while a condition reads them: read again, not fail
    wait.ignoring(StaleElementReferenceException.class);
  }

  static String base(int port) {
    return "http://127.0.0.1:" + port;
  }

  Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  WebElement waitFor(By by) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(by));
  }

  String text(By by) {
    return wait.until(d -> {
      try {
        return d.findElement(by).getText();
      } catch (StaleElementReferenceException e) {
        return null;
      }
    });
  }

  String attribute(By by, String name) {
    return wait.until(d -> {
      try {
        return d.findElement(by).getAttribute(name);
      } catch (StaleElementReferenceException e) {
        return null;
      }
    });
  }

  void click(By by) {
    ConsoleActions.click(wait, by);
  }

  void clickRetrying(By by) {
    ConsoleActions.clickRetrying(wait, by);
  }

  void clickInRow(String jobId, String testId) {
    clickRetrying(By.cssSelector("#jobs-tbody tr[data-job-id='" + jobId + "'] [data-testid=" + testId + "]"));
  }

  void type(By by, String value) {
    ConsoleActions.type(driver, by, value);
  }

  boolean hasClass(By by, String name) {
    return List.of(attribute(by, "class").split("\\s+")).contains(name);
  }

  String rowState() {
    try {
      return driver.findElement(By.cssSelector("#jobs-tbody tr[data-job-id='" + JOB + "']")).getAttribute("data-state");
    } catch (RuntimeException e) {
      return null;
    }
  }

  long maxHistoryId() {
    Object max = js("return Math.max(0, ...Array.from(document.querySelectorAll('#history-tbody tr[data-history-id]'))"
        + ".map(r => Number(r.dataset.historyId)))");
    return ((Number) max).longValue();
  }

  /** Waits, without touching the page, until the history table shows a row newer than {@code after}. */
  long waitForHistoryAfter(long after, int seconds) {
    new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100))
        .withMessage("a history row newer than #" + after + " appears on the open page")
        .until(d -> maxHistoryId() > after);
    return maxHistoryId();
  }

  long latestHistoryIdViaApi() {
    var list = node.http.get("/ruqi/job_history_list?page_index=1&page_size=1").json().getJsonObject("data")
        .getJsonArray("list");
    return list.isEmpty() ? 0 : list.getJsonObject(0).getLong("id");
  }

  void shot(String name) {
    Chromium.screenshot(driver, SHOTS.resolve(name + ".png"));
  }

  void assertNoScriptErrors() {
    Chromium.assertNoScriptErrors(driver);
  }
}
