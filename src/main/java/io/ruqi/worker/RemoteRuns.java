package io.ruqi.worker;

import io.ruqi.exec.FireContext;
import io.ruqi.exec.RunResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * A scheduler's side of the workers: hears their heartbeats ({@link WorkerTable}), sends a fire's process to one
 * worker of a label ({@link #runOn}) or to each ({@link #broadcast}), and completes each run's future with the
 * worker's report. Every run ends, whatever happens to its worker: with the report; {@code interrupted} when the
 * worker falls silent or leaves while it runs, or does not answer the order (it may have run); {@code failed} when
 * no live worker has the label, or the worker refuses the order (its policy, full); {@code timeout} when no report
 * comes within the run's timeout plus {@link #REPORT_GRACE_MS} (the worker's own timeout ends the process first).
 * Confined to the event loop of the verticle that started it.
 */
public final class RemoteRuns {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteRuns.class);
  /** How long a worker has to accept or refuse an order. */
  static final long ORDER_TIMEOUT_MS = 10_000;
  /** Past a run's timeout, how long a report may take: the worker's kill grace and the report's retries. */
  static final long REPORT_GRACE_MS = 60_000;

  private final Vertx vertx;
  private final String node;
  private final LongSupplier nanos;
  private final WorkerTable table = new WorkerTable();
  /** Per scheduler start, so a report meant for an earlier start of a node of the same name matches nothing. */
  private final String runPrefix = UUID.randomUUID() + "-";
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, Integer> sentTo = new HashMap<>();
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private long sweepTimer = -1;
  private long runs;

  /** One run sent to a worker and not yet ended. */
  private record Pending(String worker, Promise<RunResult> result, long timer) {
  }

  /** A run of a broadcast: the worker, and how its run ends. */
  public record Run(String worker, Future<RunResult> result) {
  }

  public RemoteRuns(Vertx vertx, String node, LongSupplier nanos) {
    this.vertx = vertx;
    this.node = node;
    this.nanos = nanos;
  }

  /** Listens for heartbeats and reports; call on the event loop that will use this. */
  public Future<Void> start() {
    consumers.add(vertx.eventBus().consumer(WorkerBus.HEARTBEAT, this::onHeartbeat));
    consumers.add(vertx.eventBus().consumer(WorkerBus.resultAddress(node), this::onReport));
    sweepTimer = vertx.setPeriodic(WorkerBus.HEARTBEAT_EVERY_MS, t -> sweep());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  /** Runs {@code cmd} on the least loaded live worker with {@code label}; the run's worker is null if none has it. */
  public Run runOn(String label, String cmd, FireContext fire) {
    String worker = table.pick(label, w -> sentTo.getOrDefault(w, 0));
    if (worker == null) {
      return new Run(null, Future.succeededFuture(RunResult.failed(noWorker(label))));
    }
    return new Run(worker, send(worker, cmd, fire));
  }

  /** Runs {@code cmd} on every live worker with {@code label}, by name; none when no worker has it. */
  public List<Run> broadcast(String label, String cmd, FireContext fire) {
    return table.withLabel(label).stream().map(worker -> new Run(worker, send(worker, cmd, fire))).toList();
  }

  public static String noWorker(String label) {
    return "not run: no live worker with label '" + label + "'";
  }

  /** Runs sent to workers and not yet ended. */
  public int inFlight() {
    return pending.size();
  }

  /** The live workers, for {@code scheduler_status}. */
  public JsonArray workers() {
    return table.toJson(nanos.getAsLong());
  }

  private Future<RunResult> send(String worker, String cmd, FireContext fire) {
    // a random part per run: a cluster member that saw one order cannot guess another run's id and report for it
    String run = runPrefix + (++runs) + "-" + UUID.randomUUID();
    Promise<RunResult> result = Promise.promise();
    long timeoutMs = fire.timeout().toMillis() + REPORT_GRACE_MS;
    long timer = vertx.setTimer(timeoutMs, t -> end(run, new RunResult(false, null, "worker " + worker
        + " did not report the end of this run within its timeout and " + REPORT_GRACE_MS / 1000 + " s", true)));
    // known before the order goes: a short run's report may come back before the order's reply
    pending.put(run, new Pending(worker, result, timer));
    sentTo.merge(worker, 1, Integer::sum);
    RunOrder order = new RunOrder(run, fire, cmd, WorkerBus.resultAddress(node), node);
    vertx.eventBus().<JsonObject>request(WorkerBus.runAddress(worker), order.toJson(),
            new DeliveryOptions().setSendTimeout(ORDER_TIMEOUT_MS))
        .onSuccess(reply -> {
          JsonObject body = reply.body();
          if (body == null || !body.getBoolean("accepted", false)) {
            String why = body == null ? "no reason given" : body.getString("reason", "no reason given");
            end(run, RunResult.failed("not run: worker " + worker + " refused it: " + why));
          }
        })
        .onFailure(e -> {
          boolean gone = e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
          end(run, gone ? RunResult.failed("not run: worker " + worker + " is not reachable")
              : RunResult.interrupted("worker " + worker + " did not answer the order within "
                  + ORDER_TIMEOUT_MS / 1000 + " s; it may have run it"));
        });
    return result.future();
  }

  private void onHeartbeat(Message<Object> message) {
    Heartbeat beat = message.body() instanceof JsonObject json ? Heartbeat.from(json) : null;
    if (beat != null && table.heard(beat, nanos.getAsLong())) {
      LOG.info("worker {} {}", beat.worker(), beat.leaving() ? "left the cluster" : "started again");
      interruptRunsOf(beat.worker(), "worker " + beat.worker() + (beat.leaving() ? " stopped while it ran this"
          : " started again while it ran this"));
    }
  }

  private void sweep() {
    for (String worker : table.sweep(nanos.getAsLong())) {
      LOG.warn("worker {} is gone: no heartbeat for {} s", worker, WorkerBus.GONE_AFTER_MS / 1000);
      interruptRunsOf(worker, "worker " + worker + " was lost while it ran this (no heartbeat for "
          + WorkerBus.GONE_AFTER_MS / 1000 + " s)");
    }
  }

  private void onReport(Message<Object> message) {
    RunReport report = message.body() instanceof JsonObject json ? RunReport.from(json) : null;
    Pending p = report == null ? null : pending.get(report.run());
    if (p != null && p.worker().equals(report.worker())) {
      end(report.run(), report.result());
    }
    // a receipt in every case: a report of a run ended otherwise (interrupted) is not to be sent again
    message.reply(new JsonObject());
  }

  private void interruptRunsOf(String worker, String why) {
    List<String> runsOf = pending.entrySet().stream().filter(e -> e.getValue().worker().equals(worker))
        .map(Map.Entry::getKey).toList();
    runsOf.forEach(run -> end(run, RunResult.interrupted(why)));
  }

  private void end(String run, RunResult result) {
    Pending p = pending.remove(run);
    if (p == null) {
      return;
    }
    vertx.cancelTimer(p.timer());
    sentTo.computeIfPresent(p.worker(), (w, n) -> n > 1 ? n - 1 : null);
    p.result().tryComplete(result);
  }

  /** Stops listening; runs still out are ended {@code interrupted} ({@code why}): no report can reach them now. */
  public Future<Void> close(String why) {
    vertx.cancelTimer(sweepTimer);
    List<String> all = new ArrayList<>(pending.keySet());
    all.forEach(run -> end(run, RunResult.interrupted("worker " + pending.get(run).worker() + ": " + why)));
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }
}
