package io.ruqi.testing;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

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
}
