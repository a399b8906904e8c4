package io.ruqi.client;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Server-sent events, line by line (the lines without their {@code \n}): the {@code data:} lines of an event,
 * joined, are its JSON, handed on at the blank line that ends it. Comments (ruqi's keep-alives) and other fields
 * are skipped, so is data that is not a JSON object. An event larger than {@code maxChars} ends the stream: the
 * server is not one to trust with this process's memory.
 */
final class EventStreamReader {
  private final Handler<JsonObject> events;
  private final int maxChars;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  EventStreamReader(Handler<JsonObject> events, int maxChars) {
    this.events = events;
    this.maxChars = maxChars;
  }

  void line(String raw) {
    String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    if (!"data".equals(field)) {
      return;
    }
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (hasData) {
      data.append('\n');
    }
    data.append(value);
    hasData = true;
    if (data.length() > maxChars) {
      throw new TooLarge("an event of more than " + maxChars + " characters: the stream is not ruqi's");
    }
  }

  /** Apart from any exception the handler throws, which is the handler's own. */
  static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  private void dispatch() {
    if (!hasData) {
      return;
    }
    String text = data.toString();
    data.setLength(0);
    hasData = false;
    JsonObject event;
    try {
      event = new JsonObject(text);
    } catch (DecodeException notAnObject) {
      return;
    }
    events.handle(event);
  }
}
