package io.ruqi.schedule;

import io.ruqi.exec.OutputCap;
import io.ruqi.exec.RunResult;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.Job;
import io.ruqi.store.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Where every end of a fire on this node is told, in one place: its history row, its event on {@code ruqi.events}
 * (which the alerts and the console follow), its metrics and, for a run, the line per fire. A fire that ran, one
 * that did not (missed, skipped) and one a take-over ended (its row already written with its running row's
 * release) differ only in what is left to do.
 */
final class FireOutcomes {
  /** The line per fire has a logger of its own, so that it can be turned down without the scheduler's news. */
  private static final Logger FIRES = LoggerFactory.getLogger("io.ruqi.fire");

  private final SchedulerVerticle.Deps deps;

  FireOutcomes(SchedulerVerticle.Deps deps) {
    this.deps = deps;
  }

  /**
   * An attempt that ran and ended with {@code r}.
   *
   * @param last        whether it is the fire's last attempt (its row releases the fire's running row)
   * @param removesDone whether its row removes the job, should it be done by then
   */
  void ran(Job job, Instant fire, int attempt, Instant start, RunStatus status, RunResult r, long startedNanos,
           boolean last, boolean removesDone) {
    ran(job, fire, attempt, start, status, r, startedNanos, last, removesDone, null, null);
  }

  /**
   * As above, for a fire started by {@code parentFireId}'s end (null: none), run on the worker node {@code worker}
   * (null: on this node). The fire's last row starts its job's chain ({@link Chains}) as it is written.
   */
  void ran(Job job, Instant fire, int attempt, Instant start, RunStatus status, RunResult r, long startedNanos,
           boolean last, boolean removesDone, String parentFireId, String worker) {
    ran(job, fire, attempt, start, status, r, startedNanos, last, removesDone, parentFireId, worker, status);
  }

  /** As above, its chain chosen by {@code fireStatus}: a broadcast's, failed if any of its workers' runs failed. */
  void ran(Job job, Instant fire, int attempt, Instant start, RunStatus status, RunResult r, long startedNanos,
           boolean last, boolean removesDone, String parentFireId, String worker, RunStatus fireStatus) {
    double cost = (System.nanoTime() - startedNanos) / 1e9;
    deps.history().add(HistoryRecord.ran(job, fire, attempt, start, status, OutputCap.cap(r.output()), cost,
        r.exitCode(), deps.node(), deps.clock().instant(), last).removingDoneJob(removesDone)
        .withParent(parentFireId).chaining(Chains.after(job, fireStatus)).onWorker(worker));
    deps.events().ended(status, job.id(), job.name(), fire, deps.node(), attempt, cost, last, parentFireId);
    deps.metrics().fire(status);
    deps.metrics().run(Duration.ofNanos(System.nanoTime() - startedNanos));
    FIRES.info("fire job={} fire_time={} attempt={} status={} cost={}s node={}{}{}", job.id(), fire, attempt,
        status.wire(), String.format("%.3f", cost), deps.node(), worker == null ? "" : " worker=" + worker,
        parentFireId == null ? "" : " parent=" + parentFireId);
  }

  /** A fire that did not run (missed, skipped): it has no running row to end. */
  void notRun(HistoryRecord row) {
    deps.history().add(row);
    deps.events().ended(row.status(), row.jobId(), row.jobName(), row.fireTime(), deps.node(), 1, null, true);
    deps.metrics().fire(row.status());
  }

  /** The row of a fire of {@code job} that did not run, {@code why}. */
  HistoryRecord notRunRow(Job job, Instant fire, RunStatus status, String why, Instant now) {
    return HistoryRecord.notRun(job, fire, status, why, deps.node(), now);
  }

  /** A fire a take-over ended here ({@code row} is written already); {@code job} is null if it was removed. */
  void endedByTakeOver(Job job, HistoryRecord row) {
    deps.events().ended(row.status(), row.jobId(), job == null ? null : job.name(), row.fireTime(), deps.node(),
        row.attempt(), null, row.endsTheFire(), row.parentFireId());
    deps.metrics().fire(row.status());
  }

  /** The skipped row of a fire that found its job at max_instances. */
  HistoryRecord skippedRow(Job job, Instant fire, int maxInstances, Instant now) {
    return notRunRow(job, fire, RunStatus.SKIPPED, "not run: the job already has max_instances (" + maxInstances
        + ") fires running", now);
  }

  static String lateBy(Instant fire, Instant now) {
    return Duration.between(fire, now).toSeconds() + " s";
  }
}
