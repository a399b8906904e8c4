package io.ruqi.http;

import io.ruqi.events.RuqiEvents;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * {@code GET /ruqi/events}: the events of {@code ruqi.events} as server-sent events, one {@code data: <json>} per
 * event, for browsers (the console) and {@code curl -N}. A comment line every 15 s (a third of the idle timeout
 * when that is shorter) keeps proxies and ruqi's own idle timeout from closing a quiet stream.
 */
final class EventStream {
  private static final long KEEP_ALIVE_MS = 15_000;

  private final Vertx vertx;
  private final long keepAliveMs;

  EventStream(Vertx vertx, Duration idleTimeout) {
    this.vertx = vertx;
    this.keepAliveMs = Math.max(1, Math.min(KEEP_ALIVE_MS, idleTimeout.toMillis() / 3));
  }

  void handle(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": ruqi events\n\n");
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(RuqiEvents.ADDRESS, m -> {
      if (!response.ended() && !response.writeQueueFull()) {
        response.write("data: " + m.body().encode() + "\n\n");
      }
    });
    long keepAlive = vertx.setPeriodic(keepAliveMs, id -> {
      if (!response.ended()) {
        response.write(": keep-alive\n\n");
      }
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(keepAlive);
      consumer.unregister();
    });
  }
}
