package io.ruqi.exec;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Runs {@link Command.EventBus} ({@code eventbus:address#json}) as an event-bus request to {@code address},
 * anywhere in the cluster, with the {@link FireHeaders} as message headers. Success is a reply; a consumer that
 * calls {@code message.fail(code, text)}, no consumer, or no reply within the fire's timeout is a failure.
 */
public final class EventBusRunner implements CommandRunner {

  private final Vertx vertx;

  public EventBusRunner(Vertx vertx) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
  }

  @Override
  public Future<RunResult> run(Command command, FireContext fire) {
    if (!(command instanceof Command.EventBus bus)) {
      return Future.succeededFuture(RunResult.failed("EventBusRunner cannot run " + command.getClass().getSimpleName()));
    }
    long timeoutMs = Math.max(1, fire.timeout().toMillis());
    // Event-bus headers are not a wire text format, so the ids travel unencoded, exactly as the job has them.
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMs)
        .addHeader(FireHeaders.JOB_ID, fire.jobId())
        .addHeader(FireHeaders.JOB_NAME, String.valueOf(fire.jobName()))
        .addHeader(FireHeaders.FIRE_TIME, fire.fireTime().toString())
        .addHeader(FireHeaders.FIRE_ID, fire.fireId())
        .addHeader(FireHeaders.ATTEMPT, Integer.toString(fire.attempt()));
    if (fire.parentFireId() != null) {
      options.addHeader(FireHeaders.PARENT_FIRE_ID, fire.parentFireId());
    }
    Future<Message<Object>> reply;
    try {
      reply = vertx.eventBus().request(bus.address(), bus.body() == null ? new JsonObject() : bus.body(), options);
    } catch (RuntimeException e) {
      // e.g. a body type with no codec (a JSON number too big for a long decodes as BigInteger)
      return Future.succeededFuture(RunResult.failed("cannot send to " + bus.address() + ": " + e.getMessage()));
    }
    return reply.transform(done -> Future.succeededFuture(outcome(done, bus.address(), timeoutMs)));
  }

  private static RunResult outcome(AsyncResult<Message<Object>> done, String address, long timeoutMs) {
    if (done.succeeded()) {
      return new RunResult(true, null, OutputCap.cap(text(done.result().body())), false);
    }
    if (done.cause() instanceof ReplyException failure) {
      switch (failure.failureType()) {
        case NO_HANDLERS:
          return RunResult.failed("no handler for address " + address);
        case TIMEOUT:
          return new RunResult(false, null, "timed out after " + HttpRunner.seconds(timeoutMs)
              + " s: no reply from " + address, true);
        case RECIPIENT_FAILURE:
          return RunResult.failed("recipient failed with code " + failure.failureCode() + ": " + failure.getMessage());
        default:
          break;
      }
    }
    return RunResult.failed("request to " + address + " failed: " + done.cause());
  }

  /** The reply as the history shows it: text as is, JSON (objects, arrays, numbers, booleans) encoded. */
  private static String text(Object body) {
    if (body == null) {
      return "";
    }
    if (body instanceof String s) {
      return s;
    }
    if (body instanceof Buffer b) {
      return b.toString(StandardCharsets.UTF_8);
    }
    try {
      return Json.encode(body);
    } catch (RuntimeException notJson) {
      return String.valueOf(body);
    }
  }
}
