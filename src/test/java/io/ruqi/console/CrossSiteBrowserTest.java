package io.ruqi.console;

import io.ruqi.testing.Chromium;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of issue #15 from a real Chromium, against a default node (loopback, no token): a page served from
 * another local port tries a text/plain and an urlencoded form post, an {@code <img>} GET and no-cors fetches
 * (POST and GET); a page of a name that resolves to 127.0.0.1 (DNS rebinding, with Chromium's own resolver rules)
 * calls the API as its own origin. Then the API, asked as curl asks, has no job. The console itself, same-origin,
 * is {@link ConsoleBrowserTest}.
 */
@Tag("browser")
class CrossSiteBrowserTest {
  static final String REBOUND = "attacker.example";
  static final List<String> ATTEMPTS = List.of("text-form", "urlencoded-form", "img", "fetch-post", "fetch-get");

  TestNode node;
  Vertx attacker;
  int attackerPort;
  WebDriver driver;
  Path profile;

  @BeforeEach
  void start() throws IOException {
    Chromium.requireInstalled();
    node = TestNode.startRealTime(new JsonObject());
    profile = Files.createTempDirectory("ruqi-chromium");
    driver = Chromium.start(profile, "en-US", "--host-resolver-rules=MAP " + REBOUND + " 127.0.0.1");
  }

  @AfterEach
  void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (attacker != null) {
      TestNode.await(attacker.close());
    }
    if (node != null) {
      node.close();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void a_page_of_another_origin_adds_nothing_by_form_image_or_fetch() {
    String ruqi = "http://127.0.0.1:" + node.node.port();
    attacker = Vertx.vertx();
    attackerPort = TestNode.await(attacker.createHttpServer()
        .requestHandler(req -> req.response().putHeader("Content-Type", "text/html; charset=utf-8")
            .end(attackPage(ruqi)))
        .listen(0, "127.0.0.1")).actualPort();
    driver.get("http://127.0.0.1:" + attackerPort + "/");
    new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100))
        .withMessage("every attempt of the page has completed")
        .until(d -> {
          Object done = js("return Object.keys(window.done || {}).length");
          return ((Number) done).intValue() == ATTEMPTS.size();
        });
    assertNoJobs("after the attacker's page");
  }

  @Test
  void a_rebound_name_gets_neither_the_console_nor_the_api() {
    String rebound = "http://" + REBOUND + ":" + node.node.port();
    driver.get(rebound + "/");
    assertTrue(!driver.getPageSource().contains("ruqi 如期"), "the console is not served to " + rebound);
    Object status = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[0];"
        + "fetch('/ruqi/job_add', {method: 'POST', headers: {'Content-Type': 'application/json'}, body:"
        + " JSON.stringify(" + job("rebound").encode() + ")}).then(r => done(r.status), e => done(String(e)));");
    assertEquals(403L, status, "the page's own-origin call");
    assertNoJobs("after the rebound page");
  }

  void assertNoJobs(String when) {
    JsonObject data = node.http.get("/ruqi/job_list").json().getJsonObject("data");
    assertEquals(0, data.getLong("total"), when + ": " + data.encode());
  }

  Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  static JsonObject job(String id) {
    return new JsonObject().put("job_id", "csrf-" + id).put("job_name", "csrf").put("job_trigger", "interval")
        .put("rule", "1h").put("cmd", "touch /tmp/ruqi-csrf");
  }

  static String query(String id) {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, Object> e : job(id)) {
      q.append(q.length() == 0 ? "?" : "&").append(e.getKey()).append('=')
          .append(java.net.URLEncoder.encode(String.valueOf(e.getValue()), java.nio.charset.StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  /**
   * Each attempt sets {@code done[name]} when the browser has finished it, whatever the answer (a cross-origin
   * page cannot read it anyway). The text/plain form's one field is named so that the body is a JSON object.
   */
  static String attackPage(String ruqi) {
    String textJob = job("text-form").encode();
    String fieldName = textJob.substring(0, textJob.length() - 1) + ",\"pad\":\"";
    return "<!doctype html><html><body><h1>cute cats</h1>"
        + "<iframe name='sink-text'></iframe><iframe name='sink-url'></iframe>"
        + "<form id='text' method='POST' enctype='text/plain' target='sink-text' action='" + ruqi + "/ruqi/job_add'>"
        + "<input type='hidden' name='" + fieldName.replace("'", "&#39;") + "' value='\"}'></form>"
        + "<form id='url' method='POST' target='sink-url' action='" + ruqi + "/ruqi/job_add"
        + query("urlencoded-form").replace("&", "&amp;") + "'></form>"
        + "<script>"
        + "window.done = {};"
        + "const mark = name => () => { window.done[name] = true; };"
        + "for (const [frame, name] of [['sink-text', 'text-form'], ['sink-url', 'urlencoded-form']]) {"
        + "  document.querySelector(`iframe[name=${frame}]`).addEventListener('load', mark(name)); }"
        + "const img = new Image(); img.onload = img.onerror = mark('img');"
        + "img.src = '" + ruqi + "/ruqi/add_job" + query("img") + "';"
        + "fetch('" + ruqi + "/ruqi/job_add', {method: 'POST', mode: 'no-cors', body: '" + job("fetch-post").encode()
        + "'}).then(mark('fetch-post'), mark('fetch-post'));"
        + "fetch('" + ruqi + "/ruqi/add_job" + query("fetch-get") + "', {mode: 'no-cors'})"
        + ".then(mark('fetch-get'), mark('fetch-get'));"
        + "document.getElementById('text').submit(); document.getElementById('url').submit();"
        + "</script></body></html>";
  }
}
