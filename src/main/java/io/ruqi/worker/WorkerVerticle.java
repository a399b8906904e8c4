package io.ruqi.worker;

import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.exec.CommandParser;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.CommandRunner;
import io.ruqi.exec.RunResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A worker node's one job: take run orders from schedulers on {@code ruqi.worker.<id>.run}, run them with its own
 * process runner under its own policy (a command its {@code policy.programs} refuses is refused, whatever the
 * scheduler allowed), report each end to the scheduler that ordered it, and say every second that it lives, with its
 * labels and load. Claims nothing and needs no database: the fence stays with the schedulers.
 *
 * <p>A report is retried for a while ({@link #REPORT_TRIES}); a scheduler that has left the cluster (no consumer at
 * its results address) gets none: its fire is recorded {@code interrupted} by the peer that takes it over. Runs
 * are never ended because their scheduler left: they end by themselves or at their timeout, which the worker keeps.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  static final int REPORT_TRIES = 10;
  static final long REPORT_RETRY_MS = 2_000;

  private final String id;
  private final List<String> labels;
  private final CommandRunner processes;
  private final CommandPolicy policy;
  private final int capacity;
  private final Duration shutdownGrace;
  private final String incarnation = UUID.randomUUID().toString();
  private MessageConsumer<JsonObject> orders;
  private long heartbeatTimer = -1;
  private int running;

  /**
   * @param capacity {@code exec.process_concurrency}: runs at once; as many again wait in the runner's queue, and
   *                 an order beyond those is refused
   */
  public WorkerVerticle(String id, List<String> labels, CommandRunner processes, CommandPolicy policy, int capacity,
                        Duration shutdownGrace) {
    this.id = id;
    this.labels = List.copyOf(labels);
    this.processes = processes;
    this.policy = policy;
    this.capacity = capacity;
    this.shutdownGrace = shutdownGrace;
  }

  @Override
  public Future<?> start() {
    orders = vertx.eventBus().consumer(WorkerBus.runAddress(id), this::onOrder);
    return orders.completion().onSuccess(v -> {
      heartbeat(false);
      heartbeatTimer = vertx.setPeriodic(WorkerBus.HEARTBEAT_EVERY_MS, t -> heartbeat(false));
      LOG.info("worker {} ready, labels {}, {} processes at once", id, labels, capacity);
    });
  }

  /** Runs at once now. */
  public int running() {
    return running;
  }

  private void heartbeat(boolean leaving) {
    vertx.eventBus().publish(WorkerBus.HEARTBEAT,
        new Heartbeat(id, incarnation, labels, running, capacity, leaving).toJson());
  }

  private void onOrder(Message<JsonObject> message) {
    RunOrder order;
    Command command;
    try {
      order = RunOrder.from(message.body());
      command = CommandParser.parse(order.cmd());
      if (!(command instanceof Command.Process)) {
        throw new CommandException("a worker runs process commands only");
      }
      policy.check(command);
    } catch (IllegalArgumentException | CommandException e) {
      refuse(message, e.getMessage());
      return;
    } catch (RuntimeException e) { // not a JSON object at all: a peer's bug, never this worker's end
      refuse(message, "not a run order: " + e);
      return;
    }
    if (running >= 2 * capacity) {
      message.reply(new JsonObject().put("accepted", false).put("reason", "worker " + id + " is full ("
          + running + " runs, exec.process_concurrency " + capacity + ")"));
      return;
    }
    running++;
    message.reply(new JsonObject().put("accepted", true));
    Future<RunResult> result;
    try {
      result = processes.run(command, order.fire());
    } catch (RuntimeException e) {
      result = Future.succeededFuture(RunResult.failed("runner failed: " + e));
    }
    result.recover(e -> Future.succeededFuture(RunResult.failed("runner failed: " + e.getMessage())))
        .onSuccess(r -> {
          running--;
          report(order, new RunReport(order.run(), id, r), 1);
        });
  }

  private void refuse(Message<JsonObject> message, String why) {
    LOG.warn("worker {}: refused a run order: {}", id, why);
    message.reply(new JsonObject().put("accepted", false).put("reason", why));
  }

  private void report(RunOrder order, RunReport report, int attempt) {
    vertx.eventBus().request(order.replyTo(), report.toJson(), new DeliveryOptions().setSendTimeout(5_000))
        .onFailure(e -> {
          boolean gone = e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
          if (gone || attempt >= REPORT_TRIES) {
            LOG.warn("worker {}: the end of fire {} (attempt {}) was not told: scheduler {} {}", id,
                order.fire().fireId(), order.fire().attempt(), order.scheduler(),
                gone ? "has left the cluster (its peer records the fire interrupted)" : "did not answer: " + e);
            return;
          }
          vertx.setTimer(REPORT_RETRY_MS, t -> report(order, report, attempt + 1));
        });
  }

  /** Takes no more orders, lets the runs in flight end within the grace (each reported), then says goodbye. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeatTimer);
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + shutdownGrace.toNanos();
    Future<Void> unregistered = orders == null ? Future.succeededFuture() : orders.unregister();
    unregistered.onComplete(v -> vertx.setPeriodic(20, t -> {
      if (running == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(t);
        drained.tryComplete();
      }
    }));
    return drained.future().onComplete(v -> heartbeat(true));
  }
}
