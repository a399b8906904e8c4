package io.ruqi.schedule;

import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.exec.FireContext;
import io.ruqi.exec.RunResult;
import io.ruqi.store.FireRef;
import io.ruqi.store.Job;
import io.ruqi.store.RunStatus;
import io.ruqi.time.Ticker;
import io.ruqi.worker.Placement;
import io.ruqi.worker.RemoteRuns;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs a fire this node holds (won by a claim, a run-now or a take-over): hands its compiled command to the runner,
 * judges the result (success, failure, timeout, or interrupted by this node's stop), tries a failed run again
 * after its backoff, and tells {@link FireOutcomes} each attempt's end. A job placed on workers ({@code run_on},
 * {@code broadcast}) goes to {@link RemoteRuns} instead of the local runner; a broadcast's fire has one row per
 * worker (numbered as attempts 1..n, never retried), and the row of the last worker to end ends the fire.
 * Confined to the scheduler's event loop; the runners do their work elsewhere and answer here.
 */
final class FireDispatcher {
  private final SchedulerVerticle.Deps deps;
  private final Ticker ticker;
  private final JobCompiler compiler;
  private final HeldFires held;
  private final FireOutcomes outcomes;
  private final BooleanSupplier stopping;
  private final RemoteRuns remote;
  private final Lateness lateness = new Lateness();
  private int inFlight;

  FireDispatcher(SchedulerVerticle.Deps deps, Ticker ticker, JobCompiler compiler, HeldFires held,
                 FireOutcomes outcomes, BooleanSupplier stopping, RemoteRuns remote) {
    this.deps = deps;
    this.remote = remote;
    this.ticker = ticker;
    this.compiler = compiler;
    this.held = held;
    this.outcomes = outcomes;
    this.stopping = stopping;
  }

  /** Runs one attempt of the fire of {@code fire} now. */
  void dispatch(Job job, Instant fire, int attempt) {
    dispatch(job, fire, attempt, null);
  }

  /** As above, for a fire that {@code parentFireId}'s end started (a job chain; null: none). */
  void dispatch(Job job, Instant fire, int attempt, String parentFireId) {
    Instant start = deps.clock().instant();
    long lateMs = Math.max(0, start.toEpochMilli() - fire.toEpochMilli());
    lateness.record(lateMs);
    deps.metrics().late(Duration.ofMillis(lateMs));
    CompiledJob compiled = compiler.of(job);
    Command command;
    try {
      command = compiled.command();
    } catch (CommandException e) {
      finish(job, fire, attempt, start, System.nanoTime(), RunResult.failed("cannot run cmd: " + e.getMessage()),
          parentFireId, null);
      return;
    }
    Placement placement = Placement.of(job.options());
    if (placement != null && !(command instanceof Command.Process)) {
      finish(job, fire, attempt, start, System.nanoTime(), RunResult.failed("not run: " + (placement.broadcast()
          ? Placement.BROADCAST : Placement.RUN_ON) + " is for process commands only"), parentFireId,
          null);
      return;
    }
    FireContext ctx = new FireContext(job.id(), job.name(), fire, new FireRef(job.id(), fire).id(), attempt,
        compiled.policy().timeout(), parentFireId);
    long started = System.nanoTime();
    deps.events().started(job.id(), job.name(), fire, deps.node(), attempt, parentFireId);
    if (placement != null && placement.broadcast()) {
      List<RemoteRuns.Run> runs;
      try {
        runs = remote.broadcast(placement.label(), job.cmd(), ctx);
      } catch (RuntimeException e) {
        finish(job, fire, attempt, start, started, RunResult.failed("runner failed: " + e), parentFireId, null);
        return;
      }
      broadcast(job, fire, attempt, start, started, runs, placement.label(), parentFireId);
      return;
    }
    inFlight++;
    String worker = null;
    Future<RunResult> result;
    try {
      if (placement != null) {
        RemoteRuns.Run run = remote.runOn(placement.label(), job.cmd(), ctx);
        worker = run.worker();
        result = run.result();
      } else {
        result = deps.runner().run(command, ctx);
      }
    } catch (RuntimeException e) {
      result = Future.succeededFuture(RunResult.failed("runner failed: " + e));
    }
    String ranOn = worker;
    result.recover(e -> Future.succeededFuture(RunResult.failed("runner failed: " + e.getMessage())))
        .onSuccess(r -> {
          inFlight--;
          finish(job, fire, attempt, start, started, r, parentFireId, ranOn);
        });
  }

  /**
   * One run per worker, each its own row; the last to end ends the fire, and its chain follows the fire as a whole
   * (on_success only if every worker succeeded), not whichever worker ended last. Without a live worker the fire
   * fails as a run_on's does (and is retried as its policy says).
   */
  private void broadcast(Job job, Instant fire, int attempt, Instant start, long started, List<RemoteRuns.Run> runs,
                         String label, String parentFireId) {
    if (runs.isEmpty()) {
      finish(job, fire, attempt, start, started, RunResult.failed(RemoteRuns.noWorker(label)), parentFireId, null);
      return;
    }
    inFlight += runs.size();
    int[] left = {runs.size()};
    RunStatus[] fireStatus = {RunStatus.SUCCESS};
    for (int i = 0; i < runs.size(); i++) {
      RemoteRuns.Run run = runs.get(i);
      int place = attempt + i;
      run.result().recover(e -> Future.succeededFuture(RunResult.failed("runner failed: " + e.getMessage())))
          .onSuccess(r -> {
            inFlight--;
            RunStatus status = status(r);
            if (status != RunStatus.SUCCESS && fireStatus[0] == RunStatus.SUCCESS) {
              fireStatus[0] = status;
            }
            JobPolicy policy = compiler.of(job).policy();
            // as in finish: cut off by this node's stop, an at-least-once fire keeps its running row for a peer
            boolean handedOver = stopping.getAsBoolean() && status == RunStatus.INTERRUPTED && policy.atLeastOnce();
            boolean last = --left[0] == 0 && !handedOver;
            outcomes.ran(job, fire, place, start, status, r, started, last, last && policy.removesDone(job),
                parentFireId, run.worker(), fireStatus[0]);
            if (last) {
              held.release(new FireRef(job.id(), fire));
            }
          });
    }
  }

  private RunStatus status(RunResult r) {
    if (r.success()) {
      return RunStatus.SUCCESS;
    }
    // cut off by a worker's loss, or by this node's stop: its end is unknown
    if (r.interrupted() || stopping.getAsBoolean()) {
      return RunStatus.INTERRUPTED;
    }
    return r.timedOut() ? RunStatus.TIMEOUT : RunStatus.FAILED;
  }

  /** Runs now. */
  int inFlight() {
    return inFlight;
  }

  /** How late runs started (run start minus scheduled time). */
  Lateness lateness() {
    return lateness;
  }

  private void finish(Job job, Instant fire, int attempt, Instant start, long startedNanos, RunResult r,
                      String parentFireId, String worker) {
    JobPolicy policy = compiler.of(job).policy();
    boolean stopped = stopping.getAsBoolean();
    RunStatus status = status(r);
    // a run whose worker was lost may have done its work: it is not tried again
    boolean retry = !r.success() && !stopped && !r.interrupted() && attempt <= policy.retries();
    // cut off by this node's stop, an at-least-once fire keeps its running row: a peer, or this node restarted,
    // runs it again once the lease has ended
    boolean handedOver = stopped && status == RunStatus.INTERRUPTED && policy.atLeastOnce();
    boolean last = !retry && !handedOver;
    outcomes.ran(job, fire, attempt, start, status, r, startedNanos, last, last && policy.removesDone(job),
        parentFireId, worker);
    if (last) {
      held.release(new FireRef(job.id(), fire));
    }
    if (retry) {
      long backoff = Math.max(1, policy.retryBackoff().toMillis());
      ticker.schedule(backoff, () -> dispatch(job, fire, attempt + 1, parentFireId));
    }
  }
}
