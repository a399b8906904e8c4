package io.ruqi.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The API on the event bus, for a member of ruqi's cluster: {@code ruqi.<op>} answers the JSON that HTTP answers,
 * and {@code ruqi.events} carries every event to every consumer. No token: the cluster's secret is what admits a
 * member, and a member may call every operation (audited as {@code eventbus}).
 */
final class EventBusTransport implements Transport {
  static final String EVENTS = "ruqi.events";
  private static final String PREFIX = "ruqi.";

  private final Vertx vertx;

  EventBusTransport(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<JsonObject> call(String operation, JsonObject params) {
    String address = PREFIX + operation;
    return vertx.eventBus().request(address, params).map(reply -> Envelope.ok(reply.body(), address));
  }

  @Override
  public Future<Watch> events(Handler<JsonObject> handler) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(EVENTS);
    consumer.handler(message -> {
      if (message.body() instanceof JsonObject event) {
        handler.handle(event);
      }
    });
    Promise<Void> ended = Promise.promise();
    Watch watch = new Watch() {
      @Override
      public Future<Void> close() {
        return consumer.unregister().onComplete(ar -> ended.tryComplete());
      }

      @Override
      public Future<Void> ended() {
        return ended.future();
      }
    };
    // in a cluster, the subscription is complete once every member can see it
    return consumer.completion().map(watch);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
