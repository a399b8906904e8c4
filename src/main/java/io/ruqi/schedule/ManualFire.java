package io.ruqi.schedule;

import io.ruqi.schedule.SchedulerBus.RunNowOutcome;
import io.ruqi.schedule.SchedulerBus.RunNowReply;
import io.ruqi.store.ClaimOutcome;
import io.ruqi.store.ClaimRequest;
import io.ruqi.store.FireRef;
import io.ruqi.store.Job;
import io.ruqi.store.StoreErrors;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/**
 * A run outside the schedule ({@code job_run}), at a time that is not one of the job's scheduled fires: claimed like
 * any fire, so that max_instances holds and the fire is fenced against running twice; a claim lost to an edit or a
 * peer's claim (the job's version moved, or the database rolled the claim back as a deadlock's victim) is tried
 * again, up to five times.
 */
final class ManualFire {
  private static final int ATTEMPTS = 5;

  private final SchedulerVerticle.Deps deps;
  private final JobCompiler compiler;
  private final HeldFires held;
  private final FireDispatcher dispatcher;
  private final FireOutcomes outcomes;

  ManualFire(SchedulerVerticle.Deps deps, JobCompiler compiler, HeldFires held, FireDispatcher dispatcher,
             FireOutcomes outcomes) {
    this.deps = deps;
    this.compiler = compiler;
    this.held = held;
    this.dispatcher = dispatcher;
    this.outcomes = outcomes;
  }

  Future<RunNowReply> run(String jobId) {
    return attempt(jobId, 1);
  }

  private Future<RunNowReply> attempt(String jobId, int attempt) {
    return deps.jobs().find(jobId).compose(job -> {
      if (job == null) {
        return Future.succeededFuture(RunNowReply.without(RunNowOutcome.NO_JOB));
      }
      Instant now = deps.clock().instant();
      Instant fire = offSchedule(job, Instant.ofEpochMilli(now.toEpochMilli()));
      ClaimRequest request = new ClaimRequest(job.id(), job.version(), job.nextRunTime(), fire,
          compiler.of(job).policy().maxInstances());
      held.holdClaim(request);
      return deps.claims().claim(List.of(request), deps.node(), now, deps.history().endedNotWritten())
          .transform(claimed -> {
            ClaimOutcome outcome = claimed.succeeded() ? claimed.result().get(0) : null;
            if (outcome != ClaimOutcome.RUN) {
              held.releaseClaim(request);
            }
            // LOST: the version moved (an edit, a peer's claim); MOVED: another run by hand took this millisecond's
            // fire; a deadlock: the database rolled the claim back whole (a claim took the same locks in another order)
            boolean lost = outcome == ClaimOutcome.LOST || outcome == ClaimOutcome.MOVED
                || claimed.failed() && StoreErrors.isDeadlock(claimed.cause());
            if (lost && attempt < ATTEMPTS) {
              return attempt(jobId, attempt + 1);
            }
            return claimed.failed() ? Future.failedFuture(claimed.cause())
                : Future.succeededFuture(settle(job, fire, now, outcome));
          });
    });
  }

  /**
   * {@code at}, or the first millisecond after it that is none of the job's scheduled fire times: a fire's id is
   * its job and time, so a run by hand at the very millisecond of a scheduled fire would share that fire's id (a
   * consumer that drops a fire id it has seen would drop one of the two, and the history would hold two rows of
   * one id).
   */
  Instant offSchedule(Job job, Instant at) {
    Instant fire = at;
    while (fire.equals(job.nextRunTime()) || isScheduled(job, fire)) {
      fire = fire.plusMillis(1);
    }
    return fire;
  }

  private boolean isScheduled(Job job, Instant fire) {
    try {
      return compiler.of(job).trigger().next(fire.minusMillis(1)).map(fire::equals).orElse(false);
    } catch (RuntimeException unbuildable) {
      return false; // a trigger that does not build schedules nothing to collide with
    }
  }

  private RunNowReply settle(Job job, Instant fire, Instant now, ClaimOutcome outcome) {
    if (outcome == ClaimOutcome.PAUSED) {
      return RunNowReply.without(RunNowOutcome.PAUSED);
    }
    String fireId = new FireRef(job.id(), fire).id();
    if (outcome == ClaimOutcome.RUN) {
      dispatcher.dispatch(job, fire, 1);
      return new RunNowReply(RunNowOutcome.STARTED, job.id(), fire, fireId);
    }
    if (outcome == ClaimOutcome.SKIPPED) {
      outcomes.notRun(outcomes.skippedRow(job, fire, compiler.of(job).policy().maxInstances(), now));
      return new RunNowReply(RunNowOutcome.SKIPPED, job.id(), fire, fireId);
    }
    return new RunNowReply(RunNowOutcome.CONFLICT, job.id(), fire, fireId);
  }
}
