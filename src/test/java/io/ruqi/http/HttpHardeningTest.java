package io.ruqi.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.RawHttp;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server's own defences: security headers on every response, the console only from the jar, a bad
 * %-escape answered without a stack trace, and connections that send no whole request (slowloris) or nothing at
 * all closed, while the event stream stays open.
 */
class HttpHardeningTest {
  static final Instant NOW = Instant.parse("2026-11-21T04:00:00Z");
  TestNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void every_response_says_nosniff_no_framing_and_no_referrer() {
    node = TestNode.start(NOW, "UTC");
    for (String path : new String[] {"/", "/js/app.js", "/ruqi/job_list", "/ruqi/nope", "/health", "/metrics",
        "/nothing-here"}) {
      Reply r = node.http.get(path);
      assertEquals("nosniff", r.header("x-content-type-options"), path);
      assertEquals("DENY", r.header("x-frame-options"), path);
      assertTrue(r.header("content-security-policy").contains("frame-ancestors 'none'"), path);
      assertEquals("no-referrer", r.header("referrer-policy"), path);
      assertEquals("same-origin", r.header("cross-origin-resource-policy"), path);
    }
  }

  @Test
  void a_webroot_folder_in_the_working_directory_does_not_replace_the_console() throws Exception {
    Path planted = Path.of("webroot");
    assertFalse(Files.exists(planted), "a webroot/ folder is already in " + new File(".").getAbsolutePath());
    try {
      Files.createDirectories(planted.resolve("js"));
      Files.writeString(planted.resolve("index.html"), "<h1>planted</h1>");
      Files.writeString(planted.resolve("js/app.js"), "alert('planted')");
      Files.writeString(planted.resolve("extra.html"), "<h1>planted</h1>");
      node = TestNode.start(NOW, "UTC");
      Reply index = node.http.get("/");
      assertEquals(200, index.status());
      assertTrue(index.text().contains("ruqi 如期") && !index.text().contains("planted"), index.text());
      assertTrue(index.header("content-type").startsWith("text/html"), index.header("content-type"));
      Reply app = node.http.get("/js/app.js");
      assertFalse(app.text().contains("planted"), app.text());
      assertTrue(app.header("content-type").startsWith("text/javascript"), app.header("content-type"));
      assertEquals(404, node.http.get("/extra.html").status());
      assertEquals(404, node.http.get("/../pom.xml").status());
      assertEquals(404, node.http.get("/%2e%2e/pom.xml").status());
    } finally {
      try (Stream<Path> files = Files.walk(planted)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void a_bad_percent_escape_is_the_clients_error_and_logs_no_stack_trace() {
    node = TestNode.start(NOW, new JsonObject().put("timezone", "UTC").put("auth", new JsonObject()
        .put("tokens", new JsonArray().add(new JsonObject().put("name", "v").put("role", "admin")
            .put("token", "a-long-enough-viewer-token")))));
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    try {
      int port = node.http.port();
      String token = "Authorization: Bearer a-long-enough-viewer-token";
      RawHttp.Response r = RawHttp.request(port, "GET", "/ruqi/job_list?job_id=%zz%ff", "127.0.0.1", null,
          token);
      assertEquals(200, r.status(), "a RuQi route answers 200 with the stat: " + r);
      JsonObject body = new JsonObject(r.body());
      assertEquals("ERR_BAD_PARAMS", body.getString("stat"));
      assertTrue(body.getString("msg").contains("URL encoding"), body.encode());
      for (String path : new String[] {"/ruqi/job_list?access_token=%zz", "/ruqi/events?access_token=%zz",
          "/ruqi/job_add?%zz", "/%zz", "/js/%zz.js"}) {
        RawHttp.Response refused = RawHttp.request(port, "GET", path, "127.0.0.1", null);
        // RuQi's routes answer 200 with the stat; the others 400
        boolean ruqiRoute = path.startsWith("/ruqi/job_");
        assertEquals(ruqiRoute ? 200 : 400, refused.status(), path + ": " + refused);
        assertEquals("ERR_BAD_PARAMS", new JsonObject(refused.body()).getString("stat"), path + ": " + refused);
      }
      List<String> errors = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
      assertTrue(errors.isEmpty(), "logged: " + errors);
    } finally {
      root.detachAppender(log);
    }
  }

  /** A connection that sends its headers a line at a time, each well within the idle timeout, is closed. */
  @Test
  void a_request_that_never_finishes_its_headers_is_cut_off() throws Exception {
    node = TestNode.start(NOW, new JsonObject().put("timezone", "UTC")
        .put("http", new JsonObject().put("request_read_timeout", 1).put("idle_timeout", 30)));
    try (Socket socket = new Socket("127.0.0.1", node.http.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /ruqi/job_list HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(dripUntilClosed(socket, "X-Drip: 1\r\n"), "still open after 60 s of dripped headers");
    }
  }

  /** The same for a body sent a byte at a time, and for a second request on a kept-alive connection. */
  @Test
  void a_body_that_never_finishes_and_a_slow_second_request_are_cut_off() throws Exception {
    node = TestNode.start(NOW, new JsonObject().put("timezone", "UTC")
        .put("http", new JsonObject().put("request_read_timeout", 1).put("idle_timeout", 1)));
    try (Socket socket = new Socket("127.0.0.1", node.http.port())) {
      socket.getOutputStream().write(("POST /ruqi/job_list HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
          + " application/json\r\nContent-Length: 60000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      assertTrue(dripUntilClosed(socket, " "), "still open after 60 s of a dripped body");
    }
    try (Socket socket = new Socket("127.0.0.1", node.http.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      while (!RawHttp.text(received).contains("UP")) {
        assertFalse(RawHttp.closedWithin(socket, 30_000, received), "the first request is answered");
      }
      out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(dripUntilClosed(socket, "X-Drip: 1\r\n"), "still open after 60 s of a dripped second request");
    }
  }

  @Test
  void an_idle_connection_is_closed_but_the_event_stream_stays_open() throws Exception {
    node = TestNode.start(NOW, new JsonObject().put("timezone", "UTC")
        .put("http", new JsonObject().put("idle_timeout", 1).put("request_read_timeout", 600)));
    try (Socket idle = new Socket("127.0.0.1", node.http.port())) {
      assertTrue(closedWithinOneMinute(idle), "an idle connection is still open after 60 s");
    }
    try (Socket stream = new Socket("127.0.0.1", node.http.port())) {
      stream.getOutputStream().write("GET /ruqi/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      // six keep-alives come a third of the idle timeout apart: the stream outlived two idle timeouts
      while (RawHttp.text(received).split(": keep-alive", -1).length <= 6) {
        assertFalse(RawHttp.closedWithin(stream, 60_000, received), "the stream was closed: " + RawHttp.text(received));
      }
    }
  }

  /** Sends {@code line} every 200 ms until the server closes the socket; false if it is still open after 60 s. */
  static boolean dripUntilClosed(Socket socket, String line) throws Exception {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    for (int i = 0; i < 300; i++) {
      try {
        socket.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      } catch (java.io.IOException e) {
        return true; // closed under us
      }
      if (RawHttp.closedWithin(socket, 200, received)) {
        return true;
      }
    }
    return false;
  }

  static boolean closedWithinOneMinute(Socket socket) throws Exception {
    return RawHttp.closedWithin(socket, 60_000, new ByteArrayOutputStream());
  }
}
