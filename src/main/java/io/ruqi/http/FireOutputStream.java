package io.ruqi.http;

import io.ruqi.api.ApiOp;
import io.ruqi.api.ApiReply;
import io.ruqi.api.LocalCall;
import io.ruqi.api.Stat;
import io.ruqi.auth.Authenticator;
import io.ruqi.auth.Caller;
import io.ruqi.events.LiveOutputBus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /ruqi/output?fire_id=...}: one fire's output as server-sent events, as Cronicle shows a running job's
 * log. While the fire runs (on this node or another), each line its process prints is a {@code data:} event; every
 * {@value #CHECK_MS} ms the stream asks {@code fire_output} where the fire is, which also tells the nodes that it is
 * watched ({@link LiveOutputBus}). Once the fire is over, a {@code stored} event carries its runs' output as the
 * history keeps it, and the stream ends: a view opened on an ended fire gets that at once. An unknown fire is a
 * {@code refused} event (not {@code error}: EventSource gives that name to its own connection errors). A slow
 * reader never holds the process back: lines its connection cannot take are dropped and counted ({@code lost} on
 * the next line).
 */
final class FireOutputStream {
  static final long CHECK_MS = 2_000;
  /** Live views open at once on this node; each asks the store every few seconds. */
  static final int MAX_STREAMS = 100;
  private static final long API_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private int open;

  FireOutputStream(Vertx vertx) {
    this.vertx = vertx;
  }

  void handle(RoutingContext rc) {
    String fireId = rc.request().getParam("fire_id");
    if (fireId == null || fireId.isBlank() || fireId.length() > 300) {
      HttpApiVerticle.send(rc, 400, ApiReply.error(Stat.ERR_BAD_PARAMS, "fire_id is required (<job_id>@<epoch ms>)"));
      return;
    }
    if (open >= MAX_STREAMS) {
      HttpApiVerticle.send(rc, 503, ApiReply.error(Stat.ERR_SERVER_EXCEPTION, "too many live views are open on this"
          + " node (" + MAX_STREAMS + "); close one or try again later"));
      return;
    }
    open++;
    Caller caller = rc.get(Authenticator.CALLER);
    HttpServerResponse response = rc.response();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": ruqi output of " + HeaderText.safe(fireId) + "\n\n");
    Progress progress = new Progress();
    Handler<Message<JsonObject>> onLine = m -> {
      if (response.ended() || !progress.isNew(m.body())) {
        return;
      }
      if (response.writeQueueFull()) {
        // dropped for good and counted: asked again, it would come back at every check for as long as this
        // reader does not read, to this view and (published) to every other
        progress.lost++;
        progress.passed(m.body());
        return;
      }
      progress.passed(m.body());
      JsonObject line = m.body().copy();
      if (progress.lost > 0) {
        line.put("lost", progress.lost);
      }
      response.write("data: " + line.encode() + "\n\n");
    };
    MessageConsumer<JsonObject> lines = vertx.eventBus().consumer(LiveOutputBus.address(fireId), onLine);
    String replayAddress = LiveOutputBus.replayAddress();
    MessageConsumer<JsonObject> replays = vertx.eventBus().consumer(replayAddress, onLine);
    Runnable check = () -> check(response, caller, fireId, progress, replayAddress);
    long timer = vertx.setPeriodic(CHECK_MS, id -> check.run());
    // ended by us (the fire is over) or by the client going away: whichever comes first lets go, once
    boolean[] released = {false};
    Handler<Void> release = v -> {
      if (!released[0]) {
        released[0] = true;
        open--;
        vertx.cancelTimer(timer);
        lines.unregister();
        replays.unregister();
      }
    };
    rc.addEndHandler(ar -> release.handle(null));
    response.closeHandler(release);
    // subscribed first, then asked: a fire that ends in between is seen ended by the ask, or its lines arrive
    Future.all(lines.completion(), replays.completion()).onComplete(ar -> check.run());
  }

  private void check(HttpServerResponse response, Caller caller, String fireId, Progress progress,
                     String replayAddress) {
    if (response.ended()) {
      return;
    }
    vertx.eventBus().<JsonObject>request(ApiOp.address("fire_output"),
            new LocalCall(caller.name(), new JsonObject().put("fire_id", fireId)),
            new DeliveryOptions().setSendTimeout(API_TIMEOUT_MS).setLocalOnly(true))
        .onSuccess(reply -> {
          JsonObject body = reply.body();
          if (response.ended()) {
            return;
          }
          if (!"OK".equals(body.getString("stat"))) {
            finish(response, "refused", body);
          } else if (!body.getJsonObject("data").getBoolean("running")) {
            finish(response, "stored", body.getJsonObject("data"));
          } else {
            // watched only once the store knows the fire runs: made-up fire ids cannot fill the nodes' watch tables
            LiveOutputBus.watch(vertx.eventBus(), fireId, progress.attempt, progress.seq, replayAddress);
            response.write(": running\n\n"); // also what keeps proxies and the idle timeout from closing it
          }
        })
        .onFailure(e -> {
          if (!response.ended()) {
            response.write(": not answered, asking again\n\n");
          }
        });
  }

  /**
   * The last line passed on, by attempt and sequence: lines come again when a watch asks for those after it (a view
   * opened late, a line lost on the way), and a repeat is skipped. {@code lost}: lines the connection could not take.
   */
  private static final class Progress {
    int attempt;
    long seq;
    long lost;

    boolean isNew(JsonObject message) {
      int a = message.getInteger("attempt", 0);
      return a > attempt || a == attempt && (message.getBoolean("end", false) || message.getLong("seq", 0L) > seq);
    }

    void passed(JsonObject message) {
      int a = message.getInteger("attempt", 0);
      if (a > attempt) {
        attempt = a;
        seq = 0;
      }
      seq = Math.max(seq, message.getLong("seq", 0L));
    }
  }

  private static void finish(HttpServerResponse response, String event, JsonObject data) {
    response.end("event: " + event + "\ndata: " + data.encode() + "\n\n");
  }
}
