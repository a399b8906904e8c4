package io.ruqi.console;

import io.ruqi.testing.Chromium;
import io.ruqi.testing.ConsoleActions;
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
import org.openqa.selenium.support.ui.Select;
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
 * The console's calendars in a real headless Chromium against a real node: a calendar is created in the calendars
 * view (a bad day refused with the API's message), edited, named in a job's form (whose preview leaves out its
 * days), refused deletion while the job names it, and deleted once it does not.
 */
@Tag("browser")
class CalendarBrowserTest {
  static final Path SHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");

  TestNode node;
  WebDriver driver;
  WebDriverWait wait;
  Path profile;

  @BeforeEach
  void start() throws IOException {
    Chromium.requireInstalled();
    Files.createDirectories(SHOTS);
    // 2026-11-21 12:00 in Shanghai
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject().put("timezone", "Asia/Shanghai"));
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

  @Test
  void createEditNameInAJobPreviewAndDelete() {
    driver.get("http://127.0.0.1:" + node.node.port() + "/#/calendars");
    waitFor(By.cssSelector("#calendars-tbody tr.empty"));
    assertEquals("Calendars", driver.findElement(By.id("nav-calendars")).getText());

    // create: a bad day is refused with the API's message, in the dialog
    click(By.id("calendar-add-btn"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("calendar-dialog")));
    type(By.id("f-calendar-name"), "holidays");
    type(By.id("f-calendar-days"), "2026-11-22\n2026-13-01");
    click(By.id("calendar-save"));
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("calendar-form-error")));
    assertTrue(error.getText().contains("2026-13-01 is no date"), error.getText());
    type(By.id("f-calendar-days"), "2026-11-22\n2026-11-23");
    click(By.id("calendar-save"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("calendar-dialog")));
    By row = By.cssSelector("#calendars-tbody tr[data-calendar='holidays']");
    wait.until(d -> d.findElement(row).getText().contains("2026-11-22, 2026-11-23"));
    shot("calendars-01-created");

    // edit: the dialog comes filled in; a range replaces the days
    clickRetrying(By.cssSelector("#calendars-tbody tr[data-calendar='holidays'] [data-testid=calendar-edit]"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("calendar-dialog")));
    assertEquals("2026-11-22\n2026-11-23", driver.findElement(By.id("f-calendar-days")).getAttribute("value"));
    type(By.id("f-calendar-days"), "2026-11-22..2026-11-24");
    click(By.id("calendar-save"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("calendar-dialog")));
    wait.until(d -> d.findElement(row).getText().contains("2026-11-22..2026-11-24"));
    JsonObject stored = node.http.get("/ruqi/calendar_get?calendar=holidays").json().getJsonObject("data");
    assertEquals(new JsonArray().add("2026-11-22..2026-11-24"), stored.getJsonArray("days"));
    assertEquals(2, stored.getLong("version"));

    // a job names it: its preview leaves the calendar's days out
    click(By.id("nav-jobs"));
    click(By.id("job-add-btn"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-dialog")));
    type(By.id("f-job-id"), "daily");
    type(By.id("f-job-name"), "cal");
    new Select(driver.findElement(By.id("f-trigger"))).selectByValue("cron");
    type(By.id("f-rule"), "0 0 9 * * *");
    type(By.id("f-cmd"), "true");
    wait.until(d -> previewTimes().size() == 5 && previewTimes().get(0).equals("2026-11-22 09:00:00"));
    click(By.cssSelector("#f-options summary"));
    type(By.id("f-calendar"), "holidays");
    wait.until(d -> !previewTimes().isEmpty() && previewTimes().get(0).equals("2026-11-25 09:00:00"));
    new Select(driver.findElement(By.id("f-calendar_mode"))).selectByValue("only");
    wait.until(d -> previewTimes().equals(List.of("2026-11-22 09:00:00", "2026-11-23 09:00:00",
        "2026-11-24 09:00:00")));
    shot("calendars-02-job-preview");
    click(By.id("job-save"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("job-dialog")));
    JsonObject job = node.http.get("/ruqi/job_show?job_id=daily").json().getJsonObject("data");
    assertEquals(new JsonObject().put("calendar", "holidays").put("calendar_mode", "only"),
        job.getJsonObject("options"));

    // delete: refused while the job names it (the message names the job), done once it does not
    click(By.id("nav-calendars"));
    clickRetrying(By.cssSelector("#calendars-tbody tr[data-calendar='holidays'] [data-testid=calendar-delete]"));
    click(By.id("confirm-ok"));
    wait.until(d -> d.findElements(By.cssSelector("[data-testid=toast]")).stream()
        .anyMatch(t -> t.getText().contains("named by job daily")));
    shot("calendars-03-delete-refused");
    assertEquals("OK", node.http.post("/ruqi/job_remove", new JsonObject().put("job_id", "daily")).stat());
    clickRetrying(By.cssSelector("#calendars-tbody tr[data-calendar='holidays'] [data-testid=calendar-delete]"));
    click(By.id("confirm-ok"));
    waitFor(By.cssSelector("#calendars-tbody tr.empty"));
    assertEquals("ERR", node.http.get("/ruqi/calendar_get?calendar=holidays").stat());
    Chromium.assertNoScriptErrors(driver);
  }

  List<String> previewTimes() {
    return driver.findElements(By.cssSelector("[data-testid=preview-times] li")).stream().map(WebElement::getText)
        .toList();
  }

  WebElement waitFor(By by) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(by));
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
