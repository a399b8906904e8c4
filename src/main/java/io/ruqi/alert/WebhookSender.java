package io.ruqi.alert;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/** POSTs a JSON payload, retrying a failed delivery after 1, 2 and 4 s. */
final class WebhookSender {
  private static final int ATTEMPTS = 4;
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final WebClient client;

  WebhookSender(Vertx vertx, WebClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  Future<Void> send(String url, JsonObject payload) {
    Promise<Void> done = Promise.promise();
    attempt(url, payload, 1, done);
    return done.future();
  }

  private void attempt(String url, JsonObject payload, int attempt, Promise<Void> done) {
    client.postAbs(url).timeout(TIMEOUT_MS).putHeader("Content-Type", "application/json")
        .sendJsonObject(payload)
        .onComplete(ar -> {
          boolean delivered = ar.succeeded() && ar.result().statusCode() / 100 == 2;
          if (delivered) {
            done.complete();
          } else if (attempt >= ATTEMPTS) {
            done.fail(ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause().getMessage());
          } else {
            vertx.setTimer(1000L << (attempt - 1), id -> attempt(url, payload, attempt + 1, done));
          }
        });
  }
}
