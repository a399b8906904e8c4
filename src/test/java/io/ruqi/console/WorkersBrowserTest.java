package io.ruqi.console;

import io.ruqi.testing.TestPorts;
import io.ruqi.testing.Chromium;
import io.ruqi.testing.TestNode;
import io.ruqi.testing.TestWorker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The status view lists the worker nodes the answering scheduler hears, with their labels and load: a clustered
 * scheduler and a real worker node in this JVM, the console in a real headless Chromium.
 */
@Tag("browser")
class WorkersBrowserTest {
  TestNode node;
  TestWorker worker;
  WebDriver driver;
  Path profile;

  @AfterEach
  void stop() throws IOException {
    try {
      Chromium.quit(driver, profile);
    } finally {
      if (worker != null) {
        worker.close();
      }
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void the_status_view_lists_each_worker_with_its_labels_and_load() throws IOException {
    Chromium.requireInstalled();
    int[] ports = {freePort(), freePort()};
    String secret = "workers-browser-" + UUID.randomUUID();
    node = TestNode.startRealTime(new JsonObject().put("cluster", cluster(ports, 0, secret)));
    worker = TestWorker.start("gpu-box-1", new JsonArray().add("gpu").add("eu"), new JsonArray(),
        cluster(ports, 1, secret));
    profile = Files.createTempDirectory("ruqi-chromium");
    driver = Chromium.start(profile, "en-US");
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
    driver.get("http://127.0.0.1:" + node.node.port() + "/#/status");
    // the view redraws its tables every few seconds: each row is read whole, again if it was redrawn meanwhile
    List<String> cells = wait.ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement row = d.findElement(By.cssSelector("#workers-table tr[data-worker='gpu-box-1']"));
      List<String> texts = new java.util.ArrayList<>(row.findElements(By.tagName("td")).stream()
          .map(WebElement::getText).toList());
      texts.add(String.join(",", row.findElements(By.cssSelector("td .tag")).stream().map(WebElement::getText)
          .toList()));
      return texts;
    });
    assertEquals("gpu-box-1", cells.get(0));
    assertEquals("gpu,eu", cells.get(4), "its labels, one tag each");
    assertEquals("0 / 16", cells.get(2));
    Path shots = Files.createDirectories(Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots"));
    ((JavascriptExecutor) driver).executeScript("document.getElementById('workers-table').scrollIntoView()");
    Chromium.screenshot(driver, shots.resolve("workers.png"));
    Chromium.assertNoScriptErrors(driver);
  }

  static JsonObject cluster(int[] ports, int index, String secret) {
    return new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", ports[index])
        .put("members", new JsonArray().add("127.0.0.1:" + ports[0]).add("127.0.0.1:" + ports[1]))
        .put("secret", secret);
  }

  static int freePort() throws IOException {
    return TestPorts.free();
  }
}
