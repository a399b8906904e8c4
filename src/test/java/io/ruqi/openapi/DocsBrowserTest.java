package io.ruqi.openapi;

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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /docs in a real headless Chromium against a node that asks for tokens: Swagger UI renders this node's
 * /openapi.json from files of the jar only; a call tried without a token is refused (401), and with a token
 * entered in Authorize, "Try it out" on job_list, job_add (with the example body as /docs fills it in) and
 * scheduler_status shows the node's real replies.
 * Screenshots in {@code target/screenshots}.
 */
@Tag("browser")
class DocsBrowserTest {
  static final Path SHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
  static final String ADMIN = "a-long-random-admin-token";

  TestNode node;
  WebDriver driver;
  WebDriverWait wait;
  Path profile;

  @RegisterExtension
  final AfterTestExecutionCallback shotOnFailure = context -> {
    if (context.getExecutionException().isPresent() && driver != null) {
      shot("docs-FAILED-" + context.getRequiredTestMethod().getName());
    }
  };

  @BeforeEach
  void start() throws IOException {
    Chromium.requireInstalled();
    Files.createDirectories(SHOTS);
    JsonArray tokens = new JsonArray()
        .add(new JsonObject().put("name", "ops").put("role", "admin").put("token", ADMIN));
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject().put("timezone", "UTC")
        .put("auth", new JsonObject().put("tokens", tokens)));
    profile = Files.createTempDirectory("ruqi-chromium");
    driver = Chromium.start(profile, "en-US");
    wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
    wait.ignoring(StaleElementReferenceException.class);
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
  void tryJobListAndSchedulerStatusWithAToken() {
    String base = "http://127.0.0.1:" + node.node.port();
    // the console links to the page
    driver.get(base + "/");
    assertEquals(base + "/docs/", waitFor(By.id("nav-docs")).getAttribute("href"));
    // a link that would show another site's document on ruqi's origin (Swagger UI's query config) shows ruqi's
    driver.get(base + "/docs/?url=https://attacker.example/spec.json&configUrl=https://attacker.example/c.json");
    waitFor(By.id("operations-jobs-job_list"));
    driver.get(base + "/docs");
    wait.until(d -> d.getCurrentUrl().equals(base + "/docs/"));
    waitFor(By.id("operations-jobs-job_list"));
    assertTrue(driver.findElement(By.cssSelector(".swagger-ui .info .title")).getText().contains("ruqi"));
    assertTrue(!driver.findElements(By.id("operations-RuQi_2021_names-get_jobs")).isEmpty(),
        "the 2021 names are listed too");
    shot("docs-01-operations");

    // without a token the node refuses, and the page shows it
    JsonObject refused = tryIt("jobs", "job_list", "401");
    assertEquals("ERR_UNAUTHORIZED", refused.getString("stat"), refused.encode());
    shot("docs-02-refused-without-token");

    // Authorize: the token as the bearer scheme
    click(By.cssSelector(".swagger-ui .auth-wrapper .authorize"));
    WebElement bearer = wait.until(d -> d.findElements(By.cssSelector(".auth-container")).stream()
        .filter(c -> c.getText().contains("bearer")).findFirst().orElse(null));
    bearer.findElement(By.cssSelector("input")).sendKeys(ADMIN);
    bearer.findElement(By.cssSelector("button.authorize")).click();
    shot("docs-03-authorized");
    click(By.cssSelector(".dialog-ux .close-modal"));

    JsonObject jobs = tryIt("jobs", "job_list", "200");
    assertEquals("OK", jobs.getString("stat"), jobs.encode());
    assertEquals(0, jobs.getJsonObject("data").getInteger("total"), jobs.encode());
    shot("docs-04-job-list");

    // a change, with the body /docs fills in as it is: a working example
    JsonObject added = tryIt("jobs", "job_add", "200");
    assertEquals("OK", added.getString("stat"), added.encode());
    assertEquals("nightly", added.getJsonObject("data").getString("job_id"), added.encode());
    JsonObject audit = node.http.send("GET", "/ruqi/audit_list?job_id=nightly", null, null,
        java.util.Map.of("Authorization", "Bearer " + ADMIN)).json();
    assertEquals("ops", audit.getJsonObject("data").getJsonArray("list").getJsonObject(0).getString("actor"),
        "the call was made with the token: " + audit.encode());
    shot("docs-05-job-add");
    JsonObject status = tryIt("scheduler", "scheduler_status", "200");
    assertEquals("OK", status.getString("stat"), status.encode());
    assertEquals("test-node", status.getJsonObject("data").getString("node"), status.encode());
    shot("docs-06-scheduler-status");

    List<String> resources = js("return performance.getEntriesByType('resource').map(e => e.name)");
    for (String url : resources) {
      assertTrue(url.startsWith(base + "/"), "loaded from elsewhere: " + url);
    }
    assertNoScriptErrors();
  }

  /** Opens an operation, tries it with its defaults, and returns the reply body shown for {@code status}. */
  JsonObject tryIt(String tag, String operationId, String status) {
    String block = "#operations-" + tag + "-" + operationId;
    if (driver.findElements(By.cssSelector(block + " .try-out")).isEmpty()) {
      click(By.cssSelector(block + " .opblock-summary-control"));
    }
    if (!driver.findElements(By.cssSelector(block + " button.try-out__btn:not(.cancel)")).isEmpty()) {
      click(By.cssSelector(block + " button.try-out__btn:not(.cancel)"));
    }
    click(By.cssSelector(block + " button.execute"));
    By code = By.cssSelector(block + " .live-responses-table .response .response-col_status");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(code, status));
    String body = wait.until(d -> {
      List<WebElement> shown = d.findElements(By.cssSelector(block
          + " .live-responses-table .response-col_description pre.microlight"));
      return shown.isEmpty() || shown.get(0).getText().isBlank() ? null : shown.get(0).getText();
    });
    js("document.querySelector('" + block + " .live-responses-table').scrollIntoView()");
    return new JsonObject(body);
  }

  WebElement waitFor(By by) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(by));
  }

  void click(By by) {
    wait.until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  @SuppressWarnings("unchecked")
  <T> T js(String script) {
    return (T) ((JavascriptExecutor) driver).executeScript(script);
  }

  void shot(String name) {
    Chromium.screenshot(driver, SHOTS.resolve(name + ".png"));
  }

  void assertNoScriptErrors() {
    Chromium.assertNoScriptErrors(driver);
  }
}
