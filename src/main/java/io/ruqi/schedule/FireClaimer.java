package io.ruqi.schedule;

import io.ruqi.store.ClaimOutcome;
import io.ruqi.store.ClaimRequest;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.Job;
import io.ruqi.store.RunStatus;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Claims a batch of due fires in one transaction and settles each outcome: a fire won goes to the
 * {@link FireStarter} (to be marked started and run at its time), a missed, coalesced or skipped fire leaves its
 * history row, a deferred one goes back in the heap, and the job's next fire is queued if it is within the window.
 * The claim is the fence: of two nodes, or a node and an edit, one wins ({@code ClaimStore}). Each batch is what
 * db-scheduler's {@code ExecutePicked} is to a pick; confined to the scheduler's event loop.
 */
final class FireClaimer implements Timeline.Claims {
  private static final Logger LOG = LoggerFactory.getLogger(FireClaimer.class);
  private static final Duration DEFER_RETRY = Duration.ofMillis(250);

  private final SchedulerVerticle.Deps deps;
  private final JobCompiler compiler;
  private final HeldFires held;
  private final FireStarter starter;
  private final FireOutcomes outcomes;
  private final Timeline timeline;
  private final Calendars calendars;

  FireClaimer(SchedulerVerticle.Deps deps, JobCompiler compiler, HeldFires held, FireStarter starter,
              FireOutcomes outcomes, Timeline timeline, Calendars calendars) {
    this.calendars = calendars;
    this.deps = deps;
    this.compiler = compiler;
    this.held = held;
    this.starter = starter;
    this.outcomes = outcomes;
    this.timeline = timeline;
  }

  @Override
  public Future<Void> claim(List<FireQueue.Entry> due, Instant now) {
    List<Job> jobs = new ArrayList<>(due.size());
    List<Instant> starts = new ArrayList<>(due.size());
    List<FirePlan> plans = new ArrayList<>(due.size());
    List<ClaimRequest> requests = new ArrayList<>(due.size());
    List<String> ruledOut = new ArrayList<>(due.size());
    for (FireQueue.Entry e : due) {
      Job job = e.job();
      CompiledJob compiled = compiler.of(job);
      JobPolicy policy = compiled.policy();
      // planned as of when it will start: a fire claimed ahead is judged at its due time (its fire plus any jitter)
      Instant start = e.due().isAfter(now) ? e.due() : now;
      FirePlan plan;
      try {
        plan = FirePlanner.plan(compiled.trigger(), job.nextRunTime(), start, policy.grace(), policy.coalesce());
      } catch (RuntimeException bad) {
        LOG.error("job {}: cannot compute its fires ({}); it is left as it is", job.id(), bad.getMessage());
        continue;
      }
      // judged now, by this node's copy of the calendars, not when it went into the heap: an edit reaches it; a fire
      // ruled out is claimed without a run (the schedule moves on, fenced like any claim) and recorded skipped
      String calendar = plan.runFire() == null ? null : calendars.rulesOut(job, plan.runFire());
      jobs.add(job);
      starts.add(start);
      plans.add(plan);
      ruledOut.add(calendar);
      if (calendar != null) {
        requests.add(new ClaimRequest(job.id(), job.version(), plan.nextRunTime(), null, policy.maxInstances()));
        continue;
      }
      // a fire that finds the job at max_instances waits while its grace lasts (an earlier fire may end, or a dead
      // node's lease run out); it stops waiting just before the grace ends, so that it is recorded as skipped (not
      // run because of max_instances), not as missed
      Instant waitUntil = plan.runFire() == null ? null
          : plan.runFire().plus(policy.grace()).minus(DEFER_RETRY).minusMillis(50);
      // a fire due within the mark's lead is recorded started by its claim: a mark would only make it late
      requests.add(new ClaimRequest(job.id(), job.version(), plan.nextRunTime(), plan.runFire(),
          policy.maxInstances(), waitUntil, marksItsStart(start, now) ? start : null));
    }
    // held from before the claim is sent: a claim whose answer is lost leaves rows this node does not know of
    requests.forEach(held::holdClaim);
    // a claim lost went to a peer or an edit: the winner fires it, and the next read-ahead shows the job's new state
    return deps.claims().claim(requests, deps.node(), now, deps.history().endedNotWritten())
        .onFailure(e -> requests.forEach(held::releaseClaim))
        .map(answers -> {
          for (int i = 0; i < answers.size(); i++) {
            deps.metrics().claim(answers.get(i));
            if (answers.get(i) != ClaimOutcome.RUN) {
              held.releaseClaim(requests.get(i));
            }
            settle(jobs.get(i), plans.get(i), answers.get(i), now, starts.get(i), requests.get(i).startAt() != null,
                ruledOut.get(i));
          }
          return null;
        });
  }

  /**
   * @param unstarted whether the claim recorded the fire as not started (it must be marked before it starts)
   * @param ruledOut  why the job's calendar ruled the fire out (it was claimed without a run), or null
   */
  private void settle(Job job, FirePlan plan, ClaimOutcome outcome, Instant now, Instant start, boolean unstarted,
                      String ruledOut) {
    if (outcome == ClaimOutcome.LOST) {
      return;
    }
    if (outcome == ClaimOutcome.PAUSED) {
      timeline.switchRead(true); // paused on another node, or through the store: the fire stays due until resumed
      return;
    }
    if (outcome == ClaimOutcome.DEFERRED) {
      timeline.defer(job, DEFER_RETRY);
      return;
    }
    JobPolicy policy = compiler.of(job).policy();
    // the job as the claim left it; one that will not fire again goes with its last row (unless it is kept)
    Job claimed = job.claimed(plan.nextRunTime(), now);
    boolean done = policy.removesDone(claimed);
    List<HistoryRecord> rows = notRunRows(job, plan, now, policy);
    if (ruledOut != null && outcome == ClaimOutcome.MOVED) {
      rows.add(outcomes.notRunRow(job, plan.runFire(), RunStatus.SKIPPED, ruledOut, now));
    } else if (outcome == ClaimOutcome.SKIPPED) {
      rows.add(outcomes.skippedRow(job, plan.runFire(), policy.maxInstances(), now));
    } else if (outcome == ClaimOutcome.RUN) {
      // as the claim recorded it, whatever the lead is now: a fire recorded unstarted that ran unmarked could be run
      // again by a peer if this node died
      if (unstarted) {
        starter.add(claimed, plan.runFire(), start);
      } else {
        starter.addStarted(claimed, plan.runFire(), start);
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      // without a run, the last of these rows is the job's last
      outcomes.notRun(rows.get(i).removingDoneJob(done && outcome != ClaimOutcome.RUN && i == rows.size() - 1));
    }
    if (plan.nextRunTime() != null && !plan.nextRunTime().isAfter(timeline.window())) {
      timeline.enqueue(job.claimed(plan.nextRunTime(), now));
    }
  }

  /** The rows of the fires the plan passed over: missed (past their grace) and coalesced. */
  private List<HistoryRecord> notRunRows(Job job, FirePlan plan, Instant now, JobPolicy policy) {
    List<HistoryRecord> rows = new ArrayList<>();
    for (Instant missed : plan.missed()) {
      rows.add(outcomes.notRunRow(job, missed, RunStatus.MISSED, "not run: " + FireOutcomes.lateBy(missed, now)
          + " late, past the misfire grace of " + policy.grace().toSeconds() + " s", now));
    }
    if (plan.missedUncounted() > 0) {
      LOG.warn("job {}: {} more missed fires were passed over without a history row each", job.id(),
          plan.missedUncounted());
    }
    for (Instant coalesced : plan.coalesced()) {
      rows.add(outcomes.notRunRow(job, coalesced, RunStatus.SKIPPED, "not run: coalesced into the run of "
          + plan.runFire(), now));
    }
    return rows;
  }

  /** Whether a fire claimed at {@code now} is so far ahead of its start that it is marked started separately. */
  private boolean marksItsStart(Instant start, Instant now) {
    return start.isAfter(now.plus(starter.lead()));
  }
}
