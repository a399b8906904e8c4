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
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's chain in the console, in a real headless Chromium against a real node: the form sets on_success and
 * on_failure, the table shows what a job starts, the edit dialog shows the jobs that start it, a cycle is refused
 * with the API's message in the form, and an emptied list removes the chain.
 */
@Tag("browser")
class ChainBrowserTest {
  static final Path SHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");

  TestNode node;
  WebDriver driver;
  WebDriverWait wait;
  Path profile;

  @BeforeEach
  void start() throws IOException {
    Chromium.requireInstalled();
    Files.createDirectories(SHOTS);
    node = TestNode.startRealTime(new JsonObject());
    profile = Files.createTempDirectory("ruqi-chromium");
    driver = Chromium.start(profile, "en-US");
    wait = new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(100));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterEach
  void stop() throws IOException {
    try {
      Chromium.quit(driver, profile);
    } finally {
      node.close();
    }
  }

  void add(String id) {
    Reply r = node.http.post("/ruqi/job_add", new JsonObject().put("job_id", id).put("job_name", "chain")
        .put("job_trigger", "cron").put("rule", "0 0 0 1 1 *").put("cmd", "echo " + id));
    assertEquals("OK", r.stat(), r.toString());
  }

  @Test
  void theFormSetsTheChainTheTableShowsItAndACycleIsRefused() {
    add("report");
    add("cleanup");
    driver.get("http://127.0.0.1:" + node.node.port() + "/");
    waitFor(By.cssSelector("#jobs-tbody tr[data-job-id='report']"));

    // a new job that starts report on success, cleanup on failure
    click(By.id("job-add-btn"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-dialog")));
    type(By.id("f-job-id"), "etl");
    type(By.id("f-job-name"), "chain");
    type(By.id("f-rule"), "1h");
    type(By.id("f-cmd"), "echo etl");
    click(By.cssSelector("#f-chain summary"));
    type(By.id("f-on_success"), "report");
    type(By.id("f-on_failure"), " cleanup ,");
    shot("chain-01-form");
    click(By.id("job-save"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("job-dialog")));
    JsonObject options = node.http.get("/ruqi/job_show?job_id=etl").json().getJsonObject("data")
        .getJsonObject("options");
    assertEquals(new JsonArray().add("report"), options.getJsonArray("on_success"));
    assertEquals(new JsonArray().add("cleanup"), options.getJsonArray("on_failure"));
    By etlChain = By.cssSelector("#jobs-tbody tr[data-job-id='etl'] [data-testid=job-chain]");
    wait.until(d -> d.findElements(etlChain).size() == 1);
    assertEquals("✓→ report ✗→ cleanup", text(etlChain).replaceAll("\\s+", " "));
    shot("chain-02-table");

    // report's dialog names the job that starts it; making report start etl would close a cycle: refused
    clickRetrying(By.cssSelector("#jobs-tbody tr[data-job-id='report'] [data-testid=job-edit]"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-dialog")));
    wait.until(d -> d.findElement(By.id("f-chain-parents")).getAttribute("textContent")
        .equals("Started by: etl (on success)"));
    click(By.cssSelector("#f-chain summary"));
    type(By.id("f-on_success"), "etl");
    click(By.id("job-save"));
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-form-error")));
    assertTrue(error.getText().contains("report -> etl -> report"), error.getText());
    shot("chain-03-cycle-refused");
    click(By.id("job-cancel"));
    assertEquals(new JsonObject(), node.http.get("/ruqi/job_show?job_id=report").json().getJsonObject("data")
        .getJsonObject("options"), "the refused edit changed nothing");

    // emptied, the list goes as null: etl starts nothing on failure any more
    clickRetrying(By.cssSelector("#jobs-tbody tr[data-job-id='etl'] [data-testid=job-edit]"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-dialog")));
    wait.until(d -> d.findElement(By.id("f-on_failure")).getAttribute("value").equals("cleanup"));
    type(By.id("f-on_failure"), "");
    click(By.id("job-save"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("job-dialog")));
    JsonObject after = node.http.get("/ruqi/job_show?job_id=etl").json().getJsonObject("data")
        .getJsonObject("options");
    assertEquals(null, after.getValue("on_failure"));
    assertEquals(new JsonArray().add("report"), after.getJsonArray("on_success"));
    wait.until(d -> d.findElement(etlChain).getText().replaceAll("\\s+", " ").equals("✓→ report"));
    Chromium.assertNoScriptErrors(driver);
  }

  WebElement waitFor(By by) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(by));
  }

  String text(By by) {
    return wait.until(d -> d.findElement(by).getText());
  }

  void click(By by) {
    ConsoleActions.click(wait, by);
  }

  void clickRetrying(By by) {
    ConsoleActions.clickRetrying(wait, by);
  }

  void type(By by, String value) {
    ConsoleActions.type(driver, by, value);
  }

  void shot(String name) {
    Chromium.screenshot(driver, SHOTS.resolve(name + ".png"));
  }
}
