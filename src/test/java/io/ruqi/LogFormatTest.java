package io.ruqi;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** conf/logback.xml (also the jar's default): one event is one line, whatever text a message quotes. */
class LogFormatTest {

  static String textLine(String message, Object... args) throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(Path.of("conf/logback.xml").toFile());
    ch.qos.logback.classic.Logger logger = context.getLogger("io.ruqi.test");
    @SuppressWarnings("unchecked")
    OutputStreamAppender<ILoggingEvent> text = (OutputStreamAppender<ILoggingEvent>)
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("TEXT");
    LoggingEvent event = new LoggingEvent(LogFormatTest.class.getName(), logger, Level.WARN, message, null, args);
    byte[] bytes = text.getEncoder().encode(event);
    context.stop();
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void line_breaks_and_control_characters_in_a_message_cannot_forge_a_log_line() throws Exception {
    String forged = "x.sh\n2026-11-21 04:00:00.000 INFO  [main] i.r.RuqiNode - forged\r\0\u001b[2J";
    String line = textLine("cannot start {}: no such file", forged);
    assertEquals(1, line.chars().filter(c -> c == '\n').count(), line);
    assertTrue(line.endsWith("\n"), line);
    String body = line.substring(0, line.length() - 1);
    assertTrue(body.chars().noneMatch(Character::isISOControl), body);
    assertTrue(body.endsWith("cannot start x.sh\\n2026-11-21 04:00:00.000 INFO  [main] i.r.RuqiNode - forged\\r??[2J:"
        + " no such file"), body);
  }

  @Test
  void ordinary_text_is_written_as_it_is() throws Exception {
    String line = textLine("fire job={} status={} 日报 é\ttab", "nightly", "success");
    assertTrue(line.endsWith(" - fire job=nightly status=success 日报 é\ttab\n"), line);
  }
}
