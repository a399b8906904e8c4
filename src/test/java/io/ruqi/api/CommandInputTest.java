package io.ruqi.api;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.ruqi.testing.HttpTestClient.Reply;
import io.ruqi.testing.StoreUnderTest;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Control characters in a cmd: seen live, a NUL in a program path answered 500 and logged the path raw, and a
 * newline in one would have forged log lines. They are refused at add with ERR, change nothing, and log nothing.
 */
class CommandInputTest implements StoreUnderTest {
  TestNode node;
  ListAppender<ILoggingEvent> log;

  @BeforeEach
  void start() {
    JsonObject policy = new JsonObject().put("programs", new JsonArray().add("/opt/jobs/*").add("echo").add("sh"));
    node = TestNode.start(Instant.parse("2026-11-21T04:00:00Z"), store().put("timezone", "UTC")
        .put("policy", policy));
    log = new ListAppender<>();
    log.start();
    root().addAppender(log);
  }

  @AfterEach
  void stop() {
    root().detachAppender(log);
    node.close();
  }

  static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  Reply add(String id, String cmd) {
    return node.http.post("/ruqi/job_add", new JsonObject().put("job_id", id).put("job_name", "ctl")
        .put("job_trigger", "interval").put("rule", "10s").put("cmd", cmd));
  }

  void refused(String cmd, String why) {
    Reply r = add("bad", cmd);
    assertEquals("ERR", r.stat(), new JsonObject().put("cmd", cmd).encode() + " -> " + r.text());
    assertTrue(r.json().getString("msg").contains(why), r.json().getString("msg"));
  }

  @Test
  void control_characters_where_no_program_url_or_address_can_hold_them_are_refused_with_err() {
    refused("/opt/jobs/re\0port --full", "NUL character");
    refused("echo a\0b", "NUL character");
    refused("'/opt/jobs/x\n2026-11-21 04:00:00.000 INFO  [main] forged - admin token is ...' a",
        "the program name contains a control character (U+000A)");
    refused("'ec\rho' x", "control character (U+000D)");
    refused("/ruqi/status\u0001x", "the path contains a control character (U+0001)");
    refused("eventbus:reports\u001bdaily", "eventbus: needs an address");
    Reply byLine = node.http.post("/ruqi/job_add_by_line", new JsonObject().put("line", "0 0 2 * * * echo a\0b"));
    assertEquals("ERR", byLine.stat(), byLine.text());

    assertEquals(0, node.http.get("/ruqi/job_list").json().getJsonObject("data").getInteger("total"),
        "a refused job is not stored");
    for (ILoggingEvent event : log.list) {
      for (String text : texts(event)) {
        assertTrue(text.chars().noneMatch(Character::isISOControl), "a log line with a control character: " + text);
      }
    }
  }

  @Test
  void line_breaks_inside_arguments_are_a_script_and_stay_allowed() {
    Reply r = add("multi", "sh -c 'echo one\necho two'");
    assertEquals("OK", r.stat(), r.text());
    assertEquals("sh -c 'echo one\necho two'", r.json().getJsonObject("data").getString("cmd"));
  }

  /** The message and every exception message of an event: what a log line prints. */
  static List<String> texts(ILoggingEvent event) {
    List<String> texts = new ArrayList<>(List.of(event.getFormattedMessage()));
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      texts.add(String.valueOf(t.getMessage()));
    }
    return texts;
  }
}
