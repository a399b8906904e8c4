package io.ruqi.schedule;

import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.exec.FireContext;
import io.ruqi.exec.RunResult;
import io.ruqi.store.FireRef;
import io.ruqi.store.Job;
import io.ruqi.store.RunStatus;
import io.ruqi.time.Ticker;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Runs a fire this node holds (won by a claim, a run-now or a take-over): hands its compiled command to the runner,
 * judges the result (success, failure, timeout, or interrupted by this node's stop), tries a failed run again
 * after its backoff, and tells {@link FireOutcomes} each attempt's end. Confined to the scheduler's event loop;
 * the runners do their work elsewhere and answer here.
 */
final class FireDispatcher {
  private final SchedulerVerticle.Deps deps;
  private final Ticker ticker;
  private final JobCompiler compiler;
  private final HeldFires held;
  private final FireOutcomes outcomes;
  private final BooleanSupplier stopping;
  private final Lateness lateness = new Lateness();
  private int inFlight;

  FireDispatcher(SchedulerVerticle.Deps deps, Ticker ticker, JobCompiler compiler, HeldFires held,
                 FireOutcomes outcomes, BooleanSupplier stopping) {
    this.deps = deps;
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
          parentFireId);
      return;
    }
    FireContext ctx = new FireContext(job.id(), job.name(), fire, new FireRef(job.id(), fire).id(), attempt,
        compiled.policy().timeout(), parentFireId);
    long started = System.nanoTime();
    inFlight++;
    deps.events().started(job.id(), job.name(), fire, deps.node(), attempt, parentFireId);
    Future<RunResult> result;
    try {
      result = deps.runner().run(command, ctx);
    } catch (RuntimeException e) {
      result = Future.succeededFuture(RunResult.failed("runner failed: " + e));
    }
    result.recover(e -> Future.succeededFuture(RunResult.failed("runner failed: " + e.getMessage())))
        .onSuccess(r -> {
          inFlight--;
          finish(job, fire, attempt, start, started, r, parentFireId);
        });
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
                      String parentFireId) {
    JobPolicy policy = compiler.of(job).policy();
    boolean stopped = stopping.getAsBoolean();
    RunStatus status = r.success() ? RunStatus.SUCCESS : r.timedOut() ? RunStatus.TIMEOUT : RunStatus.FAILED;
    if (!r.success() && stopped) {
      status = RunStatus.INTERRUPTED;
    }
    boolean retry = !r.success() && !stopped && attempt <= policy.retries();
    // cut off by this node's stop, an at-least-once fire keeps its running row: a peer, or this node restarted,
    // runs it again once the lease has ended
    boolean handedOver = status == RunStatus.INTERRUPTED && policy.atLeastOnce();
    boolean last = !retry && !handedOver;
    outcomes.ran(job, fire, attempt, start, status, r, startedNanos, last, last && policy.removesDone(job),
        parentFireId);
    if (last) {
      held.release(new FireRef(job.id(), fire));
    }
    if (retry) {
      long backoff = Math.max(1, policy.retryBackoff().toMillis());
      ticker.schedule(backoff, () -> dispatch(job, fire, attempt + 1, parentFireId));
    }
  }
}
