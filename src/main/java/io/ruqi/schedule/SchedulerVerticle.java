package io.ruqi.schedule;

import io.ruqi.config.JobDefaults;
import io.ruqi.exec.Command;
import io.ruqi.exec.CommandException;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.CommandRunner;
import io.ruqi.exec.FireContext;
import io.ruqi.exec.OutputCap;
import io.ruqi.exec.RunResult;
import io.ruqi.events.RuqiEvents;
import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.schedule.SchedulerBus.RunNow;
import io.ruqi.schedule.SchedulerBus.RunNowOutcome;
import io.ruqi.schedule.SchedulerBus.RunNowReply;
import io.ruqi.store.ClaimOutcome;
import io.ruqi.store.ClaimRequest;
import io.ruqi.store.ClaimStore;
import io.ruqi.store.DbClock;
import io.ruqi.store.FireRef;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.HistoryWriter;
import io.ruqi.store.Job;
import io.ruqi.store.JobStore;
import io.ruqi.store.RunStatus;
import io.ruqi.store.SchedulerSwitch;
import io.ruqi.store.StoreErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Owns time on one node. It reads ahead the fires due within the next few seconds (an indexed query, so memory is
 * bounded by that window, not by the number of jobs), keeps them in a {@link FireQueue} with one timer for the
 * head, claims due fires in batches through {@link ClaimStore} and hands the ones it won to the runners. Every
 * fire ends as a history row. Everything here runs on this verticle's event loop.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  /** The line per fire has a logger of its own, so that it can be turned down without the scheduler's news. */
  private static final Logger FIRES = LoggerFactory.getLogger("io.ruqi.fire");

  private static final int READ_LIMIT = 2000;
  private static final int CLAIM_BATCH = 500;
  /**
   * Claim transactions in flight at once. A claim is mostly waiting for the database's durable commit; a few at once
   * let the store group their commits (the drain benchmark doubled from one to three). Each takes the fires it
   * polled off the heap, so they never claim the same fire twice.
   */
  private static final int CLAIMS_IN_FLIGHT = 3;
  private static final Duration SKEW_WARNING = Duration.ofSeconds(1);
  private static final Duration DEFER_RETRY = Duration.ofMillis(250);
  /**
   * The least time before its start a fire claimed ahead is marked started: about a quiet database's commit, so
   * that the run starts on time, and short, since a node that dies within it leaves a fire recorded interrupted,
   * unrun.
   */
  private static final Duration START_MARK_LEAD = Duration.ofMillis(10);
  /**
   * The most: a mark slower than this makes a run late, which is the price of keeping short the time in which a
   * dying node's fires are marked and not yet started (lost: they are recorded interrupted, not run elsewhere).
   */
  private static final Duration MAX_START_MARK_LEAD = Duration.ofMillis(100);
  /** A fire a peer prefers is claimed here only this late: the peer is dead, or too far behind. */
  static final Duration TAKEOVER_AFTER = Duration.ofSeconds(1);

  /** What the scheduler needs from the rest of the node. */
  public record Deps(JobStore jobs, ClaimStore claims, HistoryWriter history, DbClock dbClock, CommandRunner runner,
                     CommandPolicy policy, RuqiEvents events, SchedulerMetrics metrics, Clock clock,
                     JobDefaults defaults, SchedulerSwitch schedulerSwitch, String node,
                     Duration readAhead,
                     Duration pollInterval, Duration lease, Duration shutdownGrace, Duration claimAhead) {
  }

  private final Deps deps;
  private JobCompiler compiler;
  /** Jobs in a claim transaction now: a read-ahead meanwhile still sees their old rows and must not queue them. */
  private final Set<String> beingClaimed = new HashSet<>();
  private final Lateness lateness = new Lateness();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final HeldFires held = new HeldFires();
  private FireQueue queue;
  private FireStarter starter;
  private TakeOver takeOver;
  private SchedulerPeers peers;
  private final List<Long> timers = new ArrayList<>();
  private Instant storeOkSince;
  private Duration clockSkew = Duration.ZERO;
  private Instant checkTime;
  private Instant horizon = Instant.EPOCH;
  private boolean reading;
  private boolean readAgain;
  private boolean lastReadFull;
  private int claiming;
  private boolean stopping;
  /** The whole scheduler is paused (scheduler_pause, read from the store): nothing is claimed here. */
  private boolean paused;
  private int inFlight;
  private long storeErrors;

  public SchedulerVerticle(Deps deps) {
    this.deps = deps;
  }

  @Override
  public Future<?> start() {
    compiler = new JobCompiler(deps.policy(), deps.defaults());
    queue = new FireQueue(vertx, deps.clock(), deps.claimAhead(), this::tick);
    Duration maxLead = deps.claimAhead().compareTo(MAX_START_MARK_LEAD) < 0 ? deps.claimAhead() : MAX_START_MARK_LEAD;
    starter = new FireStarter(vertx, deps.clock(), START_MARK_LEAD, maxLead, new StartHooks());
    peers = new SchedulerPeers(deps.node());
    takeOver = new TakeOver(deps.claims(), deps.jobs(), deps.node(), deps.clock(), deps.lease(), held,
        new TakeOverHooks());
    deps.metrics().gauges(() -> queue.size(), () -> inFlight, () -> deps.history().queued(),
        () -> clockSkew.toMillis());
    consumers.add(vertx.eventBus().<JsonObject>consumer(SchedulerBus.JOBS_CHANGED,
        m -> onJobChanged(JobChanged.from(m.body()))));
    consumers.add(vertx.eventBus().consumer(SchedulerBus.WAKEUP, m -> readAhead()));
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(SchedulerBus.STATUS,
        m -> status().onComplete(ar -> m.reply(ar.succeeded() ? ar.result() : new JsonObject()))));
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(SchedulerBus.RUN, this::runNow));
    consumers.add(vertx.eventBus().<JsonObject>consumer(SchedulerBus.PEERS, m -> onPeer(m.body())));
    List<Future<Void>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    // the lease is there before the first claim: a peer judges this node's fires by it
    return Future.all(ready)
        .compose(v -> takeOver.renewLease())
        .compose(v -> deps.schedulerSwitch().paused().onSuccess(this::switchRead))
        .compose(v -> takeOver.recover())
        .onSuccess(v -> {
          storeOkSince = deps.clock().instant();
          long leaseMs = deps.lease().toMillis();
          // read at least twice per window, so that no fire can fall between two reads
          long poll = Math.min(deps.pollInterval().toMillis(), deps.readAhead().toMillis() / 2);
          timers.add(vertx.setPeriodic(Math.max(1, poll), id -> readAhead()));
          timers.add(vertx.setPeriodic(Math.max(1, leaseMs / 3), id -> renewLease()));
          timers.add(vertx.setPeriodic(Math.max(1, leaseMs / 2), id -> takeOverStranded()));
          timers.add(vertx.setPeriodic(60_000, id -> checkClock()));
          timers.add(vertx.setPeriodic(SchedulerPeers.HELLO_EVERY.toMillis(), id -> announce("hello")));
          announce("hello");
          checkClock();
          readAhead();
        });
  }

  // ---- reading ahead ----

  private void readAhead() {
    if (stopping) {
      return;
    }
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    Instant now = deps.clock().instant();
    checkTime = now;
    Instant until = now.plus(deps.readAhead());
    // jobs queued at the version read, or in a claim transaction now, are known: their rows are not built again
    deps.schedulerSwitch().paused()
        .compose(pausedNow -> {
          switchRead(pausedNow);
          return pausedNow ? Future.succeededFuture((ClaimStore.DueJobs) null) : deps.claims().due(until, READ_LIMIT,
              (id, version) -> beingClaimed.contains(id) || queue.holds(id, version));
        })
        .onSuccess(read -> {
          storeOk();
          if (read != null) {
            horizon = until;
            lastReadFull = read.rows() == READ_LIMIT;
            read.jobs().forEach(this::enqueue);
          }
        })
        .onFailure(e -> storeFailed("reading due jobs", e))
        .onComplete(ar -> {
          reading = false;
          if (readAgain) {
            readAgain = false;
            readAhead();
          } else {
            tick();
          }
        });
  }

  private void enqueue(Job job) {
    if (job.paused() || job.nextRunTime() == null) {
      queue.remove(job.id());
      return;
    }
    Duration jitter = policyOf(job).jitter();
    Instant due = jitter.isZero() ? job.nextRunTime()
        : job.nextRunTime().plusMillis(ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1));
    if (!peers.prefers(job.id(), deps.clock().instant())) {
      due = due.plus(TAKEOVER_AFTER);
    }
    queue.offer(job, due);
  }

  private void onJobChanged(JobChanged change) {
    String jobId = change.jobId();
    if (jobId == null) {
      readAhead();
      return;
    }
    if (change.nextKnown()) {
      if (change.next() == null || change.next().isAfter(window())) {
        // paused, done, removed or not due within the window: nothing to read back (the add benchmark's common case)
        queue.remove(jobId);
        tick();
        return;
      }
    }
    deps.jobs().find(jobId).onSuccess(job -> {
      if (job == null || job.paused() || job.nextRunTime() == null || job.nextRunTime().isAfter(window())) {
        queue.remove(jobId);
      } else {
        enqueue(job);
      }
      tick();
    });
  }

  /**
   * The switch as read from the store. Paused, the heap is let go (nothing is claimed; fires already claimed still
   * start); resumed, the read that follows brings back the due fires, and each claim judges the fires due meanwhile
   * by their misfire grace and coalescing, as APScheduler does on resume.
   */
  private void switchRead(boolean pausedNow) {
    if (pausedNow && !paused) {
      LOG.warn("the scheduler is paused (scheduler_pause): no fire is claimed until scheduler_resume");
      queue.entries().forEach(e -> queue.remove(e.job().id()));
      horizon = Instant.EPOCH;
    } else if (!pausedNow && paused) {
      LOG.info("the scheduler is resumed: fires due meanwhile run now or are recorded missed, by their grace");
    }
    paused = pausedNow;
  }

  /** The end of the read-ahead window: fires up to it belong in the queue. */
  private Instant window() {
    Instant ahead = deps.clock().instant().plus(deps.readAhead());
    return ahead.isAfter(horizon) ? ahead : horizon;
  }

  // ---- claiming ----

  private void tick() {
    if (claiming >= CLAIMS_IN_FLIGHT || stopping || paused) {
      return;
    }
    Instant now = deps.clock().instant();
    // claimed a little ahead, so that the claim's round trips are over when the fire is due; each starts on time
    List<FireQueue.Entry> due = queue.pollDue(now.plus(deps.claimAhead()), CLAIM_BATCH);
    if (due.isEmpty()) {
      queue.arm();
      return;
    }
    claiming++;
    due.forEach(e -> beingClaimed.add(e.job().id()));
    claimAndRun(due, now).onComplete(ar -> {
      claiming--;
      due.forEach(e -> beingClaimed.remove(e.job().id()));
      if (ar.failed()) {
        // the fires are still due in the store; the next read-ahead brings them back
        storeFailed("claiming " + due.size() + " fires", ar.cause());
      }
      // the window held more fires than one read: read on once nothing is left to claim now
      if (lastReadFull && !queue.hasDue(deps.clock().instant().plus(deps.claimAhead()))) {
        readAhead();
      } else {
        tick();
      }
    });
    tick(); // more due fires than one batch: the next claim goes out beside this one
  }

  private Future<Void> claimAndRun(List<FireQueue.Entry> due, Instant now) {
    List<Job> jobs = new ArrayList<>(due.size());
    List<Instant> starts = new ArrayList<>(due.size());
    List<FirePlan> plans = new ArrayList<>(due.size());
    List<ClaimRequest> requests = new ArrayList<>(due.size());
    for (FireQueue.Entry e : due) {
      Job job = e.job();
      JobPolicy policy = policyOf(job);
      // planned as of when it will start: a fire claimed ahead is judged at its due time (its fire plus any jitter)
      Instant start = e.due().isAfter(now) ? e.due() : now;
      FirePlan plan;
      try {
        plan = FirePlanner.plan(compiler.of(job).trigger(), job.nextRunTime(), start, policy.grace(), policy.coalesce());
      } catch (RuntimeException bad) {
        LOG.error("job {}: cannot compute its fires ({}); it is left as it is", job.id(), bad.getMessage());
        continue;
      }
      jobs.add(job);
      starts.add(start);
      plans.add(plan);
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
    requests.forEach(r -> holdWhileClaimed(r, true));
    // a claim lost went to a peer or an edit: the winner fires it, and the next read-ahead shows the job's new state
    return deps.claims().claim(requests, deps.node(), now, deps.history().endedNotWritten())
        .onFailure(e -> requests.forEach(r -> holdWhileClaimed(r, false)))
        .map(outcomes -> {
      for (int i = 0; i < outcomes.size(); i++) {
        deps.metrics().claim(outcomes.get(i));
        if (outcomes.get(i) != ClaimOutcome.RUN) {
          holdWhileClaimed(requests.get(i), false);
        }
        settle(jobs.get(i), plans.get(i), outcomes.get(i), now, starts.get(i), requests.get(i).startAt() != null);
      }
      return null;
    });
  }

  private void holdWhileClaimed(ClaimRequest r, boolean hold) {
    if (r.runFire() != null) {
      FireRef ref = new FireRef(r.jobId(), r.runFire());
      if (hold) {
        held.hold(ref);
      } else {
        held.release(ref);
      }
    }
  }

  /** @param unstarted whether the claim recorded the fire as not started (it must be marked before it starts) */
  private void settle(Job job, FirePlan plan, ClaimOutcome outcome, Instant now, Instant start, boolean unstarted) {
    if (outcome == ClaimOutcome.LOST) {
      return;
    }
    if (outcome == ClaimOutcome.PAUSED) {
      switchRead(true); // paused on another node, or through the store: the fire stays due until resumed
      return;
    }
    if (outcome == ClaimOutcome.DEFERRED) {
      queue.offer(job, now.plus(DEFER_RETRY));
      return;
    }
    // the job as the claim left it; one that will not fire again goes with its last row (unless it is kept)
    Job claimed = job.claimed(plan.nextRunTime(), now);
    boolean done = policyOf(job).removesDone(claimed);
    List<HistoryRecord> rows = new ArrayList<>();
    for (Instant missed : plan.missed()) {
      rows.add(row(job, missed, RunStatus.MISSED, "not run: " + lateBy(missed, now) + " late, past the misfire grace"
          + " of " + policyOf(job).grace().toSeconds() + " s", now));
    }
    if (plan.missedUncounted() > 0) {
      LOG.warn("job {}: {} more missed fires were passed over without a history row each", job.id(),
          plan.missedUncounted());
    }
    for (Instant coalesced : plan.coalesced()) {
      rows.add(row(job, coalesced, RunStatus.SKIPPED, "not run: coalesced into the run of " + plan.runFire(), now));
    }
    if (outcome == ClaimOutcome.SKIPPED) {
      rows.add(row(job, plan.runFire(), RunStatus.SKIPPED, "not run: the job already has max_instances ("
          + policyOf(job).maxInstances() + ") fires running", now));
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
      record(rows.get(i).removingDoneJob(done && outcome != ClaimOutcome.RUN && i == rows.size() - 1));
    }
    if (plan.nextRunTime() != null && !plan.nextRunTime().isAfter(window())) {
      enqueue(job.claimed(plan.nextRunTime(), now));
    }
  }

  /** Whether a fire claimed at {@code now} is so far ahead of its start that it is marked started separately. */
  private boolean marksItsStart(Instant start, Instant now) {
    return start.isAfter(now.plus(starter.lead()));
  }

  // ---- running ----

  /** How the starter reaches the store and the runners. */
  private final class StartHooks implements FireStarter.Hooks {
    @Override
    public Future<Set<FireRef>> mark(List<FireRef> fires) {
      return deps.claims().markStarted(deps.node(), fires, deps.clock().instant());
    }

    @Override
    public void start(FireStarter.Pending fire) {
      dispatch(fire.job(), fire.fire(), 1);
    }

    @Override
    public void waiting(Duration wait) {
      deps.metrics().markedWait(wait);
    }

    @Override
    public void lost(FireStarter.Pending fire) {
      held.release(fire.ref());
      LOG.warn("job {}: the fire of {} was taken over by a peer before it started here (this node's lease ran out)",
          fire.job().id(), fire.fire());
    }

    @Override
    public boolean giveUp(FireStarter.Pending fire, Throwable cause) {
      storeFailed("marking a fire started", cause);
      Instant now = deps.clock().instant();
      Duration grace = policyOf(fire.job()).grace();
      if (!now.isAfter(fire.fire().plus(grace))) {
        return false;
      }
      takeOver.abandon(fire.job(), fire.fire(), "not run: " + lateBy(fire.fire(), now)
          + " late, the store out of reach past the misfire grace of " + grace.toSeconds() + " s");
      return true;
    }
  }

  private void dispatch(Job job, Instant fire, int attempt) {
    Instant start = deps.clock().instant();
    long lateMs = Math.max(0, start.toEpochMilli() - fire.toEpochMilli());
    lateness.record(lateMs);
    deps.metrics().late(Duration.ofMillis(lateMs));
    CompiledJob compiled = compiler.of(job);
    Command command;
    try {
      command = compiled.command();
    } catch (CommandException e) {
      finish(job, fire, attempt, start, System.nanoTime(), RunResult.failed("cannot run cmd: " + e.getMessage()));
      return;
    }
    JobPolicy policy = compiled.policy();
    FireContext ctx = new FireContext(job.id(), job.name(), fire, new FireRef(job.id(), fire).id(), attempt,
        policy.timeout());
    long started = System.nanoTime();
    inFlight++;
    deps.events().started(job.id(), job.name(), fire, deps.node(), attempt);
    Future<RunResult> result;
    try {
      result = deps.runner().run(command, ctx);
    } catch (RuntimeException e) {
      result = Future.succeededFuture(RunResult.failed("runner failed: " + e));
    }
    result.recover(e -> Future.succeededFuture(RunResult.failed("runner failed: " + e.getMessage())))
        .onSuccess(r -> {
          inFlight--;
          finish(job, fire, attempt, start, started, r);
        });
  }

  private void finish(Job job, Instant fire, int attempt, Instant start, long startedNanos, RunResult r) {
    JobPolicy policy = policyOf(job);
    RunStatus status = r.success() ? RunStatus.SUCCESS : r.timedOut() ? RunStatus.TIMEOUT : RunStatus.FAILED;
    if (!r.success() && stopping) {
      status = RunStatus.INTERRUPTED;
    }
    boolean retry = !r.success() && !stopping && attempt <= policy.retries();
    // cut off by this node's stop, an at-least-once fire keeps its running row: a peer, or this node restarted,
    // runs it again once the lease has ended
    boolean handedOver = status == RunStatus.INTERRUPTED && policy.atLeastOnce();
    boolean last = !retry && !handedOver;
    double cost = (System.nanoTime() - startedNanos) / 1e9;
    deps.history().add(HistoryRecord.ran(job, fire, attempt, start, status, OutputCap.cap(r.output()), cost,
        r.exitCode(), deps.node(), deps.clock().instant(), last).removingDoneJob(last && policy.removesDone(job)));
    if (last) {
      held.release(new FireRef(job.id(), fire));
    }
    deps.events().ended(status, job.id(), job.name(), fire, deps.node(), attempt, cost, last);
    deps.metrics().fire(status);
    deps.metrics().run(Duration.ofNanos(System.nanoTime() - startedNanos));
    FIRES.info("fire job={} fire_time={} attempt={} status={} cost={}s node={}", job.id(), fire, attempt,
        status.wire(), String.format("%.3f", cost), deps.node());
    if (retry) {
      long backoff = Math.max(1, policy.retryBackoff().toMillis());
      vertx.setTimer(backoff, id -> dispatch(job, fire, attempt + 1));
    }
  }

  /** A fire that did not run (missed, skipped): it has no running row to end. */
  private HistoryRecord row(Job job, Instant fire, RunStatus status, String why, Instant now) {
    return HistoryRecord.notRun(job, fire, status, why, deps.node(), now);
  }

  private void record(HistoryRecord row) {
    deps.history().add(row);
    deps.events().ended(row.status(), row.jobId(), row.jobName(), row.fireTime(), deps.node(), 1, null, true);
    deps.metrics().fire(row.status());
  }

  /** A run outside the schedule ({@code job_run}): claimed like any fire, so max_instances holds. */
  private void runNow(Message<JsonObject> msg) {
    String jobId = RunNow.from(msg.body()).jobId();
    runNowAttempt(jobId, 1).onComplete(ar -> msg.reply(ar.succeeded() ? ar.result().toJson()
        : new JsonObject().put("error", ar.cause().getMessage())));
  }

  private Future<RunNowReply> runNowAttempt(String jobId, int attempt) {
    return deps.jobs().find(jobId).compose(job -> {
      if (job == null) {
        return Future.succeededFuture(RunNowReply.without(RunNowOutcome.NO_JOB));
      }
      Instant now = deps.clock().instant();
      Instant fire = Instant.ofEpochMilli(now.toEpochMilli());
      ClaimRequest request = new ClaimRequest(job.id(), job.version(), job.nextRunTime(), fire,
          policyOf(job).maxInstances());
      holdWhileClaimed(request, true);
      return deps.claims().claim(List.of(request), deps.node(), now, deps.history().endedNotWritten())
          .onFailure(e -> holdWhileClaimed(request, false))
          .compose(outcomes -> {
        ClaimOutcome outcome = outcomes.get(0);
        if (outcome != ClaimOutcome.RUN) {
          holdWhileClaimed(request, false);
        }
        if (outcome == ClaimOutcome.LOST && attempt < 5) {
          return runNowAttempt(jobId, attempt + 1);
        }
        if (outcome == ClaimOutcome.PAUSED) {
          return Future.succeededFuture(RunNowReply.without(RunNowOutcome.PAUSED));
        }
        String fireId = new FireRef(job.id(), fire).id();
        if (outcome == ClaimOutcome.RUN) {
          dispatch(job, fire, 1);
          return Future.succeededFuture(new RunNowReply(RunNowOutcome.STARTED, job.id(), fire, fireId));
        }
        if (outcome == ClaimOutcome.SKIPPED) {
          record(row(job, fire, RunStatus.SKIPPED, "not run: the job already has max_instances ("
              + policyOf(job).maxInstances() + ") fires running", now));
          return Future.succeededFuture(new RunNowReply(RunNowOutcome.SKIPPED, job.id(), fire, fireId));
        }
        return Future.succeededFuture(new RunNowReply(RunNowOutcome.CONFLICT, job.id(), fire, fireId));
      });
    });
  }

  // ---- start and stop ----

  /** What a take-over needs of this verticle. */
  private final class TakeOverHooks implements TakeOver.Hooks {
    @Override
    public JobPolicy policyOf(Job job) {
      return SchedulerVerticle.this.policyOf(job);
    }

    @Override
    public void run(Job job, Instant fire, int attempt) {
      dispatch(job, fire, attempt);
    }

    @Override
    public void ended(Job job, HistoryRecord row) {
      deps.events().ended(row.status(), row.jobId(), job == null ? null : job.name(), row.fireTime(), deps.node(),
          row.attempt(), null, row.endsTheFire());
      deps.metrics().fire(row.status());
    }

    @Override
    public void storeFailed(String what, Throwable e) {
      SchedulerVerticle.this.storeFailed(what, e);
    }

    @Override
    public Set<FireRef> endedNotWritten() {
      return deps.history().endedNotWritten();
    }

    @Override
    public boolean paused() {
      return paused;
    }
  }

  // ---- leases: how peers learn that a node died mid-run ----

  private void renewLease() {
    takeOver.renewLease()
        .onSuccess(n -> storeOk())
        .onFailure(e -> storeFailed("renewing leases", e));
  }

  /**
   * Fires whose node stopped before they ended: rows of this node's that it lost track of, and the fires of nodes
   * that stopped renewing their lease; the latter only once this node has itself reached the store for a whole
   * lease, so that a live node coming back from a database outage has renewed its lease before anyone judges it.
   */
  private void takeOverStranded() {
    if (stopping || storeOkSince == null) {
      return;
    }
    takeOver.orphans().onFailure(e -> storeFailed("looking for fires this node lost track of", e));
    if (!storeOkSince.plus(deps.lease()).isAfter(deps.clock().instant())) {
      takeOver.expiredPeers().onFailure(e -> storeFailed("looking for the fires of stopped nodes", e));
    }
  }

  // ---- peers: who claims which job first ----

  private void announce(String state) {
    vertx.eventBus().publish(SchedulerBus.PEERS, new JsonObject().put("node", deps.node()).put("state", state));
  }

  private void onPeer(JsonObject msg) {
    String node = msg.getString("node");
    if (node == null || node.equals(deps.node())) {
      return;
    }
    if ("bye".equals(msg.getString("state"))) {
      peers.left(node);
      LOG.info("scheduler {} left: this node takes its share of the jobs", node);
      requeueForPeers();
    } else {
      Instant now = deps.clock().instant();
      int before = peers.size(now);
      peers.heard(node, now);
      if (peers.size(now) != before) {
        LOG.info("scheduler {} joined: the jobs are shared among {} nodes", node, peers.size(now));
        requeueForPeers();
      }
    }
  }

  /** The share of each node changed: entries in the heap are due again by the new preference. */
  private void requeueForPeers() {
    for (FireQueue.Entry e : queue.entries()) {
      enqueue(e.job());
    }
    tick();
  }

  private void checkClock() {
    deps.dbClock().skew(deps.clock()).onSuccess(skew -> {
      clockSkew = skew;
      if (skew.abs().compareTo(SKEW_WARNING) > 0) {
        LOG.warn("this node's clock is {} ms off the database's: fires and leases are judged by clocks;"
            + " synchronise it (NTP)", skew.toMillis());
      }
    });
  }

  private void storeOk() {
    if (storeOkSince == null) {
      storeOkSince = deps.clock().instant();
      LOG.info("the store is reachable again");
    }
  }

  private void storeFailed(String what, Throwable e) {
    if (StoreErrors.isDeadlock(e)) {
      // another writer won (on Galera, a peer's commit through another member failed this one's certification): the
      // store answered at once, so /ready stays 200 and peers' leases are judged as before; the work is read again.
      // A lock wait timeout is no such sign: the database may be stalled (a Galera member being evicted)
      LOG.info("{} lost a race and is tried again: {}", what, e.getMessage());
      return;
    }
    storeErrors++;
    storeOkSince = null;
    LOG.warn("{} failed: {}", what, e.getMessage());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    timers.forEach(vertx::cancelTimer);
    if (queue != null) {
      queue.close();
    }
    List<Future<Void>> all = new ArrayList<>();
    consumers.forEach(c -> all.add(c.unregister()));
    // said once this node no longer listens, so that its own goodbye does not reach a consumer on its way out
    return Future.all(all).onComplete(v -> announce("bye"))
        .compose(v -> awaitRuns(deps.shutdownGrace())).compose(v -> deps.history().flush());
  }

  /** Lets runs in flight end (and record themselves) for at most {@code limit}. */
  private Future<Void> awaitRuns(Duration limit) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + limit.toNanos();
    vertx.setPeriodic(20, id -> {
      if ((inFlight == 0 && starter.size() == 0) || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }

  // ---- status ----

  /** RuQi's fields (the next wake-up is the heap's head, or the store's earliest fire beyond the window). */
  private Future<JsonObject> status() {
    FireQueue.Entry head = queue.head();
    Future<Instant> next = head != null ? Future.succeededFuture(head.due()) : deps.jobs().earliestNextRunTime();
    return next.map(wakeup -> statusWith(wakeup, head));
  }

  private JsonObject statusWith(Instant wakeup, FireQueue.Entry head) {
    Instant now = deps.clock().instant();
    return new JsonObject()
        .put("check_time", checkTime == null ? null : checkTime.toEpochMilli())
        .put("next_wakeup_time", wakeup == null ? null : wakeup.toEpochMilli())
        .put("wait_seconds", wakeup == null ? null : Math.max(0, wakeup.toEpochMilli() - now.toEpochMilli()) / 1000.0)
        .put("paused", paused)
        .put("heap_size", queue.size())
        .put("schedulers", peers.size(now))
        .put("in_flight", inFlight)
        .put("history_queue", deps.history().queued())
        .put("store_errors", storeErrors)
        .put("store_ok", storeOkSince != null)
        .put("clock_skew_ms", clockSkew.toMillis())
        .put("lateness", lateness.summary())
        .put("current_lateness_ms", head == null ? 0 : Math.max(0, now.toEpochMilli() - head.due().toEpochMilli()));
  }

  private JobPolicy policyOf(Job job) {
    return compiler.of(job).policy();
  }

  private static String lateBy(Instant fire, Instant now) {
    return Duration.between(fire, now).toSeconds() + " s";
  }
}
