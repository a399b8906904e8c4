package io.ruqi.alert;

import io.ruqi.exec.CommandException;
import io.ruqi.exec.GuardedRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.BodyCodec;

import java.util.concurrent.TimeUnit;

/**
 * POSTs a JSON payload, retrying a failed delivery after 1, 2 and 4 s. Every hop must pass the host policy (it is
 * checked at send time, so a policy tightened after the job was stored holds too); a refused one is not retried.
 */
final class WebhookSender {
  private static final int ATTEMPTS = 4;
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final GuardedRequest post;

  WebhookSender(Vertx vertx, GuardedRequest post) {
    this.vertx = vertx;
    this.post = post;
  }

  Future<Void> send(String url, JsonObject payload) {
    Promise<Void> done = Promise.promise();
    attempt(url, payload.toBuffer(), 1, done);
    return done.future();
  }

  private void attempt(String url, Buffer payload, int attempt, Promise<Void> done) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    post.post(url, headers, payload, TIMEOUT_MS, BodyCodec.none())
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          boolean delivered = ar.succeeded() && ar.result().statusCode() / 100 == 2;
          if (delivered) {
            done.complete();
          } else if (ar.failed() && ar.cause() instanceof CommandException refused) {
            done.fail(refused.getMessage()); // the policy will not change its mind in a few seconds
          } else if (attempt >= ATTEMPTS) {
            done.fail(ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause().getMessage());
          } else {
            vertx.setTimer(1000L << (attempt - 1), id -> attempt(url, payload, attempt + 1, done));
          }
        });
  }
}
