package io.ruqi.api;

import io.ruqi.auth.Caller;
import io.ruqi.store.StoreErrors;
import io.ruqi.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Serves the API on the event bus: a request to {@code ruqi.<op>} with the parameters as a JSON object gets the
 * reply envelope ({@link ApiReply}). The HTTP verticle is only a bridge to these addresses, so a Vert.x peer in
 * the cluster and curl get the same answers.
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);

  private final ApiServices services;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  public ApiVerticle(ApiServices services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> registered = new ArrayList<>();
    for (ApiOp op : ApiOp.values()) {
      Function<Params, Future<Object>> handler = services.handler(op);
      for (String name : op.names()) {
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(ApiOp.address(name), m -> serve(name, m, handler));
        consumers.add(consumer);
        registered.add(consumer.completion());
      }
    }
    return Future.all(registered);
  }

  private void serve(String name, Message<Object> message, Function<Params, Future<Object>> handler) {
    Future<Object> result;
    try {
      // the caller is known only for a call made inside this node; one from the cluster is "eventbus", whatever
      // its headers say (a peer sets those)
      String caller = Caller.EVENT_BUS.name();
      Object body = message.body();
      if (body instanceof LocalCall local) {
        caller = local.caller();
        body = local.params();
      }
      if (body != null && !(body instanceof JsonObject)) {
        throw ApiException.badParams("the parameters must be a JSON object");
      }
      JsonDepth.check((JsonObject) body);
      result = handler.apply(new Params((JsonObject) body, caller, name));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ApiReply.ok(ar.result()), ApiReply.status(200));
      } else {
        replyError(name, message, ar.cause());
      }
    });
  }

  private static void replyError(String name, Message<Object> message, Throwable failure) {
    if (failure instanceof ApiException e) {
      message.reply(ApiReply.error(e.stat(), e.getMessage()), ApiReply.status(e.httpStatus()));
    } else if (failure instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      message.reply(ApiReply.error(Stat.ERR_SERVER_EXCEPTION, "the scheduler is starting or stopping; try again"),
          ApiReply.status(503));
    } else if (failure instanceof StoreUnavailableException || StoreErrors.isUnavailable(failure)) {
      LOG.warn("{}: {}", name, failure.getMessage());
      message.reply(ApiReply.error(Stat.ERR_STORE_UNAVAILABLE,
          "the job store cannot be reached; nothing was changed, try again shortly"), ApiReply.status(503));
    } else if (StoreErrors.isLostRace(failure)) {
      // rolled back whole (a deadlock, or a Galera certification failure at commit): nothing was written
      LOG.warn("{}: lost a race: {}", name, failure.getMessage());
      message.reply(ApiReply.error(Stat.ERR_CONFLICT, "the change lost a race with another writer; nothing was"
          + " changed, try again"), ApiReply.status(409));
    } else {
      LOG.error("{} failed", name, failure);
      message.reply(ApiReply.error(Stat.ERR_SERVER_EXCEPTION, "API Processing Exception: the service failed on this"
          + " request; its log has the details"), ApiReply.status(500));
    }
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> all = new ArrayList<>();
    consumers.forEach(c -> all.add(c.unregister()));
    return Future.all(all);
  }
}
