package io.ruqi.console;

import io.ruqi.testing.Chromium;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's jobs view on a table too large to count (job_list's {@code "total_exact": false}): it says "More
 * than 10000 jobs" and "Page 1 of 667+", and its next page stays open, in a real headless Chromium.
 */
@Tag("browser")
class LargeTableBrowserTest {
  TestNode node;
  WebDriver driver;
  Path profile;

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
  void aJobTableTooLargeToCountSaysMoreThanItCounted() throws IOException {
    Chromium.requireInstalled();
    node = TestNode.startRealTime(new JsonObject()); // loopback without tokens: no sign-in
    TestNode.await(node.node.stores().pool().query("INSERT INTO ruqi_jobs (id, job_name, job_trigger, job_rule, cmd,"
        + " job_state, timezone, anchor_time, paused, u_time, c_time) WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL"
        + " SELECT i + 1 FROM seq WHERE i < 10001) SELECT 'bulk-' || i, 'bulk', 'interval', '3600', 'true', '{}',"
        + " 'UTC', 0, 1, strftime('%Y-%m-%dT%H:%M:%f', 'now'), strftime('%Y-%m-%dT%H:%M:%f', 'now') FROM seq")
        .execute());
    profile = Files.createTempDirectory("ruqi-chromium");
    driver = Chromium.start(profile, "en-US");
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15), Duration.ofMillis(100));
    driver.get("http://127.0.0.1:" + node.node.port() + "/");
    wait.until(d -> d.findElement(By.id("jobs-pager")).getText().contains("More than 10000 jobs"));
    assertEquals("Page 1 of 667+", driver.findElement(By.cssSelector("#jobs-pager [data-testid=page-pos]"))
        .getText());
    assertTrue(driver.findElement(By.cssSelector("#jobs-pager [data-testid=page-next]")).isEnabled());
    Path shots = Files.createDirectories(Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots"));
    Chromium.screenshot(driver, shots.resolve("large-table.png"));
    Chromium.assertNoScriptErrors(driver);
  }
}
