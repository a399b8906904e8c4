package io.ruqi.api;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * The envelope every API answer has, on HTTP and on the event bus alike: {@code {"stat":"OK","data":...}}, or
 * {@code {"stat":"ERR...","msg":"..."}}. The HTTP status travels beside the body, in a delivery header, so that
 * the JSON an event-bus caller gets is exactly what curl gets.
 */
public final class ApiReply {
  public static final String STATUS_HEADER = "status";

  private ApiReply() {
  }

  public static JsonObject ok(Object data) {
    JsonObject body = new JsonObject().put("stat", Stat.OK);
    if (data != null) {
      body.put("data", data);
    }
    return body;
  }

  public static JsonObject error(String stat, String message) {
    return new JsonObject().put("stat", stat).put("msg", message);
  }

  public static DeliveryOptions status(int httpStatus) {
    return new DeliveryOptions().addHeader(STATUS_HEADER, Integer.toString(httpStatus));
  }
}
