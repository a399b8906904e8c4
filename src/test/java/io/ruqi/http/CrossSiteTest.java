package io.ruqi.http;

import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.RawHttp;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a web page in the user's browser can make the browser send to ruqi, written out header by header, is
 * refused and changes nothing; what curl, scripts and RuQi's clients send (no Origin, no Sec-Fetch-*) still works,
 * GETs and form-typed JSON bodies included. The same attacks from a real Chromium are in
 * {@code console/CrossSiteBrowserTest}.
 */
class CrossSiteTest {
  static TestNode node;
  static String self;

  @BeforeAll
  static void start() {
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), new JsonObject().put("timezone", "UTC")
        .put("http", new JsonObject().put("allowed_hosts", new JsonArray().add("ruqi.example.com")
            .add("*.corp.example"))));
    self = "http://127.0.0.1:" + node.http.port();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void empty() {
    for (Object job : node.http.get("/ruqi/job_list").json().getJsonObject("data").getJsonArray("list")) {
      node.http.get("/ruqi/job_remove?job_id=" + ((JsonObject) job).getString("job_id"));
    }
  }

  static String addQuery(String id) {
    return "/ruqi/add_job?job_id=" + id + "&job_name=x&job_trigger=interval&rule=1h&cmd=true";
  }

  static String jobJson(String id) {
    return new JsonObject().put("job_id", id).put("job_name", "x").put("job_trigger", "interval").put("rule", "1h")
        .put("cmd", "true").encode();
  }

  static long jobs() {
    return node.http.get("/ruqi/job_list").json().getJsonObject("data").getLong("total");
  }

  static void assertRefused(Reply r, int status, String why) {
    assertEquals(status, r.status(), why + ": " + r);
    assertEquals(status == 403 ? "ERR_FORBIDDEN" : "ERR_BAD_PARAMS", r.stat(), why);
    assertEquals(0, jobs(), why + ": nothing was added");
  }

  @Test
  void curl_scripts_and_ruqis_clients_keep_working_without_browser_headers() {
    assertEquals("OK", node.http.get(addQuery("by-get")).stat(), "a GET with the query string");
    assertEquals("OK", node.http.send("POST", "/ruqi/add_job", jobJson("curl-d"),
        "application/x-www-form-urlencoded").stat(), "curl -d '{...}' (RuQi's README)");
    assertEquals("OK", node.http.send("POST", "/ruqi/job_add", jobJson("plain"), "text/plain").stat());
    assertEquals("OK", node.http.send("POST", "/ruqi/job_add", jobJson("untyped"), null).stat());
    assertEquals(4, jobs());
  }

  @Test
  void a_page_of_another_origin_is_refused_whatever_it_sends() {
    String other = "http://127.0.0.1:" + (node.http.port() + 1); // another port of the same host: another origin
    for (String origin : new String[] {other, "http://attacker.example", "null", "file://",
        "http://ruqi.example.com", "http://127.0.0.1"}) {
      assertRefused(node.http.send("POST", "/ruqi/job_add", jobJson("cors"), "application/json",
          Map.of("Origin", origin)), 403, "a fetch from " + origin);
      assertRefused(node.http.send("POST", "/ruqi/job_add", jobJson("form"), "text/plain",
          Map.of("Origin", origin, "Sec-Fetch-Site", "same-site")), 403, "a text/plain form from " + origin);
    }
    Reply preflight = node.http.send("OPTIONS", "/ruqi/job_add", null, null, Map.of("Origin", other,
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"));
    assertEquals(403, preflight.status());
    assertNull(preflight.header("access-control-allow-origin"), "no CORS grant");
  }

  @Test
  void an_image_or_link_without_origin_is_refused_by_its_fetch_metadata() {
    for (String site : new String[] {"cross-site", "same-site"}) {
      assertRefused(node.http.send("GET", addQuery("img"), null, null,
          Map.of("Sec-Fetch-Site", site, "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image")), 403,
          "<img src> from a " + site + " page");
      assertRefused(node.http.send("GET", addQuery("link"), null, null,
          Map.of("Sec-Fetch-Site", site, "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document")), 403,
          "a link from a " + site + " page");
    }
    assertEquals(403, node.http.send("GET", "/ruqi/events", null, null, Map.of("Sec-Fetch-Site", "cross-site"))
        .status(), "the event stream");
    assertEquals(403, node.http.send("GET", "/metrics", null, null, Map.of("Sec-Fetch-Site", "cross-site"))
        .status(), "metrics");
    Reply typed = node.http.send("GET", "/ruqi/job_list", null, null, Map.of("Sec-Fetch-Site", "none"));
    assertEquals("OK", typed.stat(), "typed in the address bar: " + typed);
  }

  @Test
  void the_console_itself_is_same_origin_and_must_send_json() {
    Map<String, String> console = Map.of("Origin", self, "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "cors");
    assertEquals("OK", node.http.send("POST", "/ruqi/job_add", jobJson("console"), "application/json", console)
        .stat());
    node.http.get("/ruqi/job_remove?job_id=console");
    assertEquals("OK", node.http.send("GET", "/ruqi/job_list", null, null,
        Map.of("Sec-Fetch-Site", "same-origin")).stat(), "a same-origin GET carries no Origin");
    for (String type : new String[] {"text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x"}) {
      // refused and answered as RuQi's routes answer, 200 with the stat (api.http_status: rest makes it 415)
      assertRefused(node.http.send("POST", "/ruqi/job_add", jobJson("typed"), type, console), 200, type);
    }
    assertRefused(node.http.send("POST", "/ruqi/job_add", jobJson("untyped"), null, Map.of("Origin", self)), 200,
        "a body without a type from a browser");
  }

  @Test
  void behind_a_proxy_that_rewrites_host_the_forwarded_host_is_the_origin() {
    Map<String, String> proxied = Map.of("Origin", "https://ruqi.example.com", "X-Forwarded-Host",
        "ruqi.example.com", "Sec-Fetch-Site", "same-origin");
    assertEquals("OK", node.http.send("POST", "/ruqi/job_add", jobJson("proxied"), "application/json", proxied)
        .stat());
    assertEquals(403, node.http.send("POST", "/ruqi/job_add", jobJson("spoof"), "application/json",
        Map.of("Origin", "https://attacker.example", "X-Forwarded-Host", "attacker.example")).status(),
        "a forwarded host that is not one of ours");
  }

  @Test
  void a_rebound_name_is_refused_on_every_route_but_health_and_ready() {
    int port = node.http.port();
    String rebound = "attacker.example:" + port;
    RawHttp.Response api = RawHttp.request(port, "POST", "/ruqi/job_add", rebound, jobJson("rebound"),
        "Content-Type: application/json", "Origin: http://" + rebound);
    assertEquals(403, api.status(), api.toString());
    assertTrue(api.body().contains("http.allowed_hosts"), api.body());
    assertEquals(403, RawHttp.request(port, "GET", addQuery("rebound-get"), rebound, null).status());
    assertEquals(403, RawHttp.request(port, "GET", "/", rebound, null).status(), "the console's page");
    assertEquals(403, RawHttp.request(port, "GET", "/ruqi/events", rebound, null).status());
    assertEquals(403, RawHttp.request(port, "GET", "/metrics", rebound, null).status());
    assertEquals(0, jobs());
    assertEquals(200, RawHttp.request(port, "GET", "/health", rebound, null).status());
    assertEquals(200, RawHttp.request(port, "GET", "/ready", rebound, null).status());
  }

  @Test
  void its_own_names_and_any_ip_address_are_accepted() {
    int port = node.http.port();
    for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST.", "[::1]:" + port,
        "10.1.2.3", "ruqi.example.com", "Ruqi.Example.Com:8443", "a.corp.example"}) {
      RawHttp.Response r = RawHttp.request(port, "GET", "/ruqi/job_list", host, null);
      assertEquals(200, r.status(), host + ": " + r);
    }
    for (String host : new String[] {"corp.example", "ruqi.example.com.attacker.example", "127.0.0.1.nip.io",
        "ruqi.example.com@attacker.example"}) {
      int status = RawHttp.request(port, "GET", "/ruqi/job_list", host, null).status();
      assertTrue(status == 403 || status == 400, host + ": " + status);
    }
  }
}
