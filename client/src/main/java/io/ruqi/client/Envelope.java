package io.ruqi.client;

import io.vertx.core.json.JsonObject;

/**
 * Reads the envelope every answer of ruqi has, {@code {"stat":"OK","data":...}} or {@code {"stat":...,"msg":...}},
 * whichever way it came.
 */
final class Envelope {
  private Envelope() {
  }

  /** The answer itself when its stat is OK; otherwise a {@link RuqiException} with its stat and message. */
  static JsonObject ok(Object answer, String from) {
    if (!(answer instanceof JsonObject body) || !(body.getValue("stat") instanceof String stat)) {
      throw new IllegalStateException(from + " did not answer as ruqi does (a JSON object with a stat)");
    }
    if (!Stat.OK.equals(stat)) {
      Object msg = body.getValue("msg");
      throw new RuqiException(stat, msg == null ? "(no message)" : msg.toString());
    }
    return body;
  }
}
