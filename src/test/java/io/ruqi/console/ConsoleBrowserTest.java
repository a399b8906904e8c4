package io.ruqi.console;

import io.ruqi.testing.Chromium;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against a real
 * node in this JVM: a job is added through the form, fires, shows in the history without a reload, is paused, run,
 * shown in Chinese, and deleted; and sign-in with a token when the API answers 401. Each page is saved as a PNG in
 * {@code target/screenshots}. Without the browser this test fails (it is not skipped): {@code scripts/setup.sh}
 * installs it.
 */
@Tag("browser")
class ConsoleBrowserTest {
  static final Path SHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
  static final String JOB = "console-demo";

  TestNode node;
  WebDriver driver;
  WebDriverWait wait;
  Path profile;
  HttpServer proxy;
  Vertx proxyVertx;
  final List<io.vertx.core.http.HttpServerResponse> streams = new java.util.concurrent.CopyOnWriteArrayList<>();

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
    node = TestNode.startRealTime(new JsonObject());
  }

  @AfterEach
  void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (proxyVertx != null) {
      TestNode.await(proxyVertx.close());
    }
    if (node != null) {
      node.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void addFireWatchPauseRunTranslateDelete() {
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
   * When the API answers 401 the console asks for a token, sends it as a Bearer header, keeps it for the tab only
   * (sessionStorage), and asks again when it is refused. The language comes from the browser (here Chinese). A
   * small proxy in front of the node plays the part of the auth the service will have.
   */
  @Test
  void signInWithTokenWhenTheApiAnswers401() throws Exception {
    AtomicInteger authorized = new AtomicInteger();
    int port = startAuthProxy("s3cret", authorized);
    open("zh-CN");
    driver.get(base(port) + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-dialog")));
    assertEquals("登录", text(By.id("signin-title")));
    assertEquals("任务", text(By.id("nav-jobs")));
    shot("14-signin-zh");

    // cancelled: the page says why it is empty and offers to sign in, without asking at every refresh
    click(By.id("signin-cancel"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs-error"), "ERR_UNAUTHORIZED"));
    assertEquals("poll", driver.findElement(By.id("live-state")).getAttribute("data-mode"), "no stream without a token");
    wait.until(ExpectedConditions.textToBe(By.id("signout"), "登录"));
    click(By.id("signout"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-dialog")));

    type(By.id("signin-token"), "wrong");
    click(By.id("signin-submit"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
    assertTrue(text(By.id("signin-error")).contains("token not accepted"), text(By.id("signin-error")));
    shot("15-signin-refused");

    type(By.id("signin-token"), "s3cret");
    click(By.id("signin-submit"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("signin-dialog")));
    waitFor(By.cssSelector("#jobs-tbody tr.empty"));
    assertTrue(authorized.get() > 0, "calls carried the Bearer token");
    assertEquals("s3cret", js("return sessionStorage.getItem('ruqi.token')"));
    assertEquals(null, js("return localStorage.getItem('ruqi.token')"), "the token is not kept beyond the tab");
    assertTrue(driver.findElement(By.id("signout")).isDisplayed());

    // with the token, the event stream opens (token as ?access_token=) and an event redraws the page at once:
    // no polling runs while the stream is open
    wait.until(d -> "sse".equals(d.findElement(By.id("live-state")).getAttribute("data-mode")));
    String markup = "echo '<img src=x onerror=window.__xss=1>'";
    assertEquals(200, node.http.post("/ruqi/job_add", new JsonObject().put("job_id", "from-api")
        .put("job_name", "api").put("job_trigger", "cron").put("rule", "0 0 3 * * *").put("cmd", markup)).status());
    JsonObject event = new JsonObject().put("event", "job_added").put("job_id", "from-api").put("job_name", "api")
        .put("time", "2026-01-01 00:00:00");
    proxyVertx.runOnContext(v -> streams.forEach(r -> r.write("data: " + event.encode() + "\n\n")));
    waitFor(By.cssSelector("#jobs-tbody tr[data-job-id='from-api']"));
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
    wait.until(ExpectedConditions.elementToBeClickable(by));
    clickRetrying(by);
  }

  /** Live updates redraw the tables; a button found just before a redraw is stale: find it again. */
  void clickRetrying(By by) {
    wait.until(d -> {
      try {
        d.findElement(by).click();
        return true;
      } catch (StaleElementReferenceException | ElementClickInterceptedException e) {
        return false;
      }
    });
  }

  void clickInRow(String jobId, String testId) {
    clickRetrying(By.cssSelector("#jobs-tbody tr[data-job-id='" + jobId + "'] [data-testid=" + testId + "]"));
  }

  void type(By by, String value) {
    WebElement el = driver.findElement(by);
    el.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    el.sendKeys(value);
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

  // ---- a stand-in for the service's auth: 401 without "Bearer <token>" on /ruqi/* ------------------------------

  int startAuthProxy(String token, AtomicInteger authorized) {
    proxyVertx = Vertx.vertx();
    HttpClient client = proxyVertx.createHttpClient();
    int nodePort = node.node.port();
    proxy = TestNode.await(proxyVertx.createHttpServer().requestHandler(req -> {
      req.pause();
      if (req.path().startsWith("/ruqi/")) {
        boolean ok = ("Bearer " + token).equals(req.getHeader("Authorization"))
            || (req.path().equals("/ruqi/events") && token.equals(req.getParam("access_token")));
        if (!ok) {
          req.response().setStatusCode(401).putHeader("content-type", "application/json")
              .end(new JsonObject().put("stat", "ERR_UNAUTHORIZED").put("msg", "token not accepted").encode());
          return;
        }
        authorized.incrementAndGet();
        if (req.path().equals("/ruqi/events")) {
          // the event stream, as the service will serve it: one "data: <json>" line per event
          req.response().setChunked(true).putHeader("content-type", "text/event-stream")
              .putHeader("cache-control", "no-cache").write(": open\n\n");
          streams.add(req.response());
          req.response().closeHandler(v -> streams.remove(req.response()));
          return;
        }
      }
      forward(client, nodePort, req);
    }).listen(0, "127.0.0.1"));
    return proxy.actualPort();
  }

  static void forward(HttpClient client, int port, HttpServerRequest req) {
    req.body().compose(body -> client.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
            .setPort(port).setURI(req.uri()))
        .compose(out -> {
          req.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) {
              out.headers().add(k, v);
            }
          });
          // as a proxy that rewrites Host says where the browser was (the page's Origin is the proxy's)
          out.headers().set("X-Forwarded-Host", req.getHeader("Host"));
          return out.send(body == null ? Buffer.buffer() : body);
        }))
        .onSuccess(in -> {
          var resp = req.response().setStatusCode(in.statusCode());
          in.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("transfer-encoding") && !k.equalsIgnoreCase("connection")
                && !k.equalsIgnoreCase("content-length")) {
              resp.headers().add(k, v);
            }
          });
          resp.setChunked(true);
          in.pipeTo(resp);
        })
        .onFailure(e -> req.response().setStatusCode(502).end(String.valueOf(e)));
    req.resume();
  }
}
