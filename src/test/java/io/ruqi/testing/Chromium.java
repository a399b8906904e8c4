package io.ruqi.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Debian's headless Chromium and its driver, as the browser tests use them. Without them a test fails, never skips. */
public final class Chromium {
  public static final File BINARY = new File(System.getProperty("ruqi.chromium", "/usr/bin/chromium"));
  public static final File DRIVER = new File(System.getProperty("ruqi.chromedriver", "/usr/bin/chromedriver"));

  private Chromium() {
  }

  public static void requireInstalled() {
    if (!BINARY.canExecute() || !DRIVER.canExecute()) {
      fail("the browser test needs Debian's Chromium and its driver at " + BINARY + " and " + DRIVER
          + " (missing): run `apt-get install -y chromium chromium-driver` (scripts/setup.sh does it)");
    }
  }

  /** A new browser on its own profile, in {@code language}, with {@code extraArguments} on its command line. */
  public static ChromeDriver start(Path profile, String language, String... extraArguments) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--no-first-run", "--disable-extensions", "--window-size=1280,900", "--lang=" + language,
        "--user-data-dir=" + profile);
    options.addArguments(List.of(extraArguments));
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** Ends what {@link #start} began: the browser (if it started) and its profile directory (if made). */
  public static void quit(WebDriver driver, Path profile) throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** What the browser shows, as a PNG in {@code file}. */
  public static void screenshot(WebDriver driver, Path file) {
    try {
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Script errors and CSP refusals in the page's console fail the test; failed requests (a 401 or 404 tried on
   * purpose) and an EventSource's reconnects are not script errors. Every line is printed to the test's output.
   */
  public static void assertNoScriptErrors(WebDriver driver) {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      String m = e.getMessage();
      System.out.println("browser console: " + e.getLevel() + " " + m);
      if (m.contains("Content Security Policy") || e.getLevel().intValue() >= Level.SEVERE.intValue()
          && !m.contains("Failed to load resource") && !m.contains("EventSource")) {
        errors.add(m);
      }
    }
    assertTrue(errors.isEmpty(), "script errors in the page: " + errors);
  }
}
