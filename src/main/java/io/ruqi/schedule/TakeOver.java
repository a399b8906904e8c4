package io.ruqi.schedule;

import io.ruqi.store.ClaimStore;
import io.ruqi.store.FireRef;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.Job;
import io.ruqi.store.JobStore;
import io.ruqi.store.RunStatus;
import io.ruqi.store.RunningFire;
import io.ruqi.store.TakeOverStore;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This node's lease, and the fires whose node stopped before they ended: a dead peer's (its lease ran out on the
 * database's clock), this node's own from before a restart, and rows this node lost track of
 * ({@link HeldFires#orphans}). Each is run, run again, or ended as missed or interrupted
 * ({@link TakeOverDecision}), by a change conditional on its running row as read, so that of the nodes finding it
 * one acts ({@link TakeOverStore}); a fire ended here leaves its history row and its running row in the same
 * transaction, so it never keeps counting against max_instances. Confined to the scheduler's event loop.
 */
final class TakeOver {
  private static final Logger LOG = LoggerFactory.getLogger(TakeOver.class);
  /** Fires of dead peers taken over per look; the rest wait for the next one. */
  private static final int BATCH = 100;

  /** What a take-over needs of the scheduler. */
  interface Hooks {
    JobPolicy policyOf(Job job);

    /** Runs a fire this node now holds, as {@code attempt}; {@code parentFireId}: a chained fire's, or null. */
    void run(Job job, Instant fire, int attempt, String parentFireId);

    /** A fire was ended here without a run ({@code row}: missed or interrupted); {@code job} is null if removed. */
    void ended(Job job, HistoryRecord row);

    void storeFailed(String what, Throwable e);

    /** Fires ({@code job_id@epoch ms}) that ended here and whose rows, with their running-row release, are queued. */
    Set<FireRef> endedNotWritten();

    /** The whole scheduler is paused: a fire that would run is left for after the resume. */
    boolean paused();
  }

  private final ClaimStore claims;
  private final JobStore jobs;
  private final String node;
  private final Clock clock;
  private final Duration lease;
  private final HeldFires held;
  private final Hooks hooks;
  /** Fires being taken over now: a slow take-over is not started again by the next look. */
  private final Set<FireRef> inProgress = new HashSet<>();

  TakeOver(ClaimStore claims, JobStore jobs, String node, Clock clock, Duration lease, HeldFires held, Hooks hooks) {
    this.claims = claims;
    this.jobs = jobs;
    this.node = node;
    this.clock = clock;
    this.lease = lease;
    this.held = held;
    this.hooks = hooks;
  }

  /** Renews this node's lease, on the database's clock. */
  Future<Void> renewLease() {
    return claims.leases().renew(node, lease);
  }

  /** At start: the fires this node held when it last stopped or died. Fails only if they cannot be read. */
  Future<Void> recover() {
    return store().runningOf(node).compose(fires -> takeOver(fires, "stopped"));
  }

  /** The fires of peers whose lease has ended. */
  Future<Void> expiredPeers() {
    return store().expired(node, BATCH).compose(fires -> takeOver(fires, "stopped renewing its lease"));
  }

  /** This node's rows that it no longer holds (seen so twice running). */
  Future<Void> orphans() {
    return store().runningOf(node)
        .compose(fires -> takeOver(held.orphans(fires, hooks.endedNotWritten()), "lost track of it"));
  }

  /**
   * A fire this node claimed and gives up: its start mark failed (the store out of reach) until past its grace.
   * Recorded missed with its running row removed; if even that fails, the fire is let go, and the look for
   * orphans takes it over once the store answers.
   */
  void abandon(Job job, Instant fire, String why, String parentFireId) {
    FireRef ref = new FireRef(job.id(), fire);
    HistoryRecord row = row(job, job.id(), fire, RunStatus.MISSED, why, null, 1, true)
        .removingDoneJob(hooks.policyOf(job).removesDone(job)).withParent(parentFireId);
    store().giveUp(ref, node, row).onComplete(ar -> {
      held.release(ref);
      if (ar.succeeded() && ar.result()) {
        hooks.ended(job, row);
      } else if (ar.failed()) {
        hooks.storeFailed("recording the missed fire " + ref.jobId() + "@" + fire, ar.cause());
      }
    });
  }

  /** {@code how}: what became of their node, for the history rows ("stopped", ...). */
  private Future<Void> takeOver(List<RunningFire> fires, String how) {
    List<RunningFire> todo = fires.stream().filter(f -> inProgress.add(ref(f))).toList();
    if (todo.isEmpty()) {
      return Future.succeededFuture();
    }
    long started = todo.stream().filter(RunningFire::started).count();
    LOG.warn("taking over {} fires whose node {} ({} of them cut off while they ran)", todo.size(), how, started);
    Map<String, Future<Job>> lookups = new HashMap<>();
    List<Future<Void>> all = new ArrayList<>();
    for (RunningFire f : todo) {
      Future<Job> job = lookups.computeIfAbsent(f.jobId(), jobs::find);
      all.add(job.compose(j -> act(f, j, how))
          .onFailure(e -> hooks.storeFailed("taking over the fire " + f.jobId() + "@" + f.fireTime(), e))
          .eventually(() -> {
            inProgress.remove(ref(f));
            return Future.succeededFuture();
          }));
    }
    // a fire that failed is found again by the next look (its row is unchanged)
    return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> act(RunningFire f, Job job, String how) {
    Instant now = clock.instant();
    JobPolicy policy = job == null ? null : hooks.policyOf(job);
    String who = "node " + f.node() + " " + how;
    TakeOverDecision decision = TakeOverDecision.of(f, policy, now);
    if (hooks.paused() && (decision == TakeOverDecision.RUN || decision == TakeOverDecision.RUN_AGAIN)) {
      // nothing fires while paused; the row stays, and is judged again (by its grace) after the resume
      return Future.succeededFuture();
    }
    return switch (decision) {
      case RUN -> store().adopt(f, node, now).map(won -> {
        if (won) {
          LOG.info("job {}: running the fire of {} that {} before starting it", f.jobId(), f.fireTime(), who);
          start(job, f, 1);
        }
        return null;
      });
      case RUN_AGAIN -> {
        String why = who + " while this fire ran; it runs again on " + node + " (delivery at_least_once)";
        HistoryRecord cut = row(job, f, RunStatus.INTERRUPTED, why, f.startTime(), 1, false);
        yield store().rerun(f, node, now, cut).map(attempt -> {
          if (attempt > 0) {
            LOG.info("job {}: running again the fire of {} that was cut off when {} (attempt {})", f.jobId(),
                f.fireTime(), who, attempt);
            hooks.ended(job, row(job, f, RunStatus.INTERRUPTED, why, f.startTime(),
                attempt - 1, false));
            start(job, f, attempt);
          }
          return null;
        });
      }
      case MISSED -> end(f, row(job, f, RunStatus.MISSED, "not run: " + who
          + " before starting it, and " + (job == null ? "the job has been removed since"
          : "it is now " + Duration.between(f.fireTime(), now).toSeconds() + " s late, past the misfire grace of "
          + policy.grace().toSeconds() + " s"), null, 1, true), job);
      case INTERRUPTED -> end(f, row(job, f, RunStatus.INTERRUPTED, who + " while this fire ran"
          + (policy != null && policy.atLeastOnce() ? "; too late to run again (misfire grace "
          + policy.grace().toSeconds() + " s)" : ""), f.startTime(), 1, true)
          .chaining(job == null ? List.of() : Chains.after(job, RunStatus.INTERRUPTED)), job);
    };
  }

  private void start(Job job, RunningFire f, int attempt) {
    held.hold(ref(f));
    hooks.run(job, f.fireTime(), attempt, f.parentFireId());
  }

  /** Ends the fire with {@code row}, the fire's last: a job that will not fire again goes with it. */
  private Future<Void> end(RunningFire f, HistoryRecord row, Job job) {
    boolean done = job != null && hooks.policyOf(job).removesDone(job);
    return store().release(f, row.removingDoneJob(done), () -> hooks.ended(job, row)).mapEmpty();
  }

  /** A row of a fire ended here without a run; the store writes it as the attempt after the last recorded. */
  private HistoryRecord row(Job job, String jobId, Instant fire, RunStatus status, String why, Instant start,
                            int attempt, boolean last) {
    return HistoryRecord.endedWithoutRun(jobId, job, fire, status, why, start, attempt, node, clock.instant(), last);
  }

  /** As above, for a fire of {@code f}: a chained one's row names its parent. */
  private HistoryRecord row(Job job, RunningFire f, RunStatus status, String why, Instant start, int attempt,
                            boolean last) {
    return row(job, f.jobId(), f.fireTime(), status, why, start, attempt, last).withParent(f.parentFireId());
  }

  private TakeOverStore store() {
    return claims.takeOvers();
  }

  private static FireRef ref(RunningFire f) {
    return new FireRef(f.jobId(), f.fireTime());
  }
}
