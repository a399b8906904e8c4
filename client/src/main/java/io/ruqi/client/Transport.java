package io.ruqi.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/** How the calls reach ruqi: its event bus, or its HTTP API. Both carry the same JSON. */
interface Transport {
  /** The answer to {@code operation}, whose stat is OK; else failed with a {@link RuqiException}. */
  Future<JsonObject> call(String operation, JsonObject params);

  /** Every event ruqi publishes, as JSON, from when the future succeeds until the watch is closed. */
  Future<Watch> events(Handler<JsonObject> handler);

  Future<Void> close();
}
