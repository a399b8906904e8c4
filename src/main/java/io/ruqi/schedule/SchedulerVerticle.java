package io.ruqi.schedule;

import io.ruqi.config.JobDefaults;
import io.ruqi.events.RuqiEvents;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.CommandRunner;
import io.ruqi.schedule.SchedulerBus.DoneJobsRemoved;
import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.schedule.SchedulerBus.JobsChanged;
import io.ruqi.schedule.SchedulerBus.RunNow;
import io.ruqi.schedule.SchedulerBus.RunNowReply;
import io.ruqi.store.CalendarStore;
import io.ruqi.store.ChainStarts;
import io.ruqi.store.ClaimStore;
import io.ruqi.store.DbClock;
import io.ruqi.store.FireRef;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.HistoryWriter;
import io.ruqi.store.Job;
import io.ruqi.store.JobStore;
import io.ruqi.store.SchedulerSwitch;
import io.ruqi.time.Ticker;
import io.ruqi.worker.RemoteRuns;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Owns time on one node: wires the scheduler's parts together on this verticle's event loop, and starts and stops
 * them. The {@link Timeline} reads ahead and keeps the heap, the {@link FireClaimer} claims due fires, the
 * {@link FireStarter} marks and starts them, the {@link FireDispatcher} runs them, {@link FireOutcomes} records how
 * each ended, {@link TakeOver} and {@link LeaseKeeper} look after fires whose node stopped. Every fire ends as a
 * history row; everything here runs on this verticle's event loop.
 */
public final class SchedulerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
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

  /** What the scheduler needs from the rest of the node. */
  public record Deps(JobStore jobs, ClaimStore claims, HistoryWriter history, DbClock dbClock, CommandRunner runner,
                     CommandPolicy policy, RuqiEvents events, SchedulerMetrics metrics, Clock clock,
                     JobDefaults defaults, SchedulerSwitch schedulerSwitch, String node,
                     Duration readAhead,
                     Duration pollInterval, Duration lease, Duration shutdownGrace, Duration claimAhead) {
  }

  private final Deps deps;
  private final Calendars calendars;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private final HeldFires held = new HeldFires();
  private JobCompiler compiler;
  private StoreHealth health;
  private Timeline timeline;
  private FireStarter starter;
  private FireClaimer claimer;
  private FireDispatcher dispatcher;
  private PeerAnnouncer announcer;
  private TakeOver takeOver;
  private RemoteRuns remote;
  private boolean stopping;

  /** A scheduler without calendars: a job that names one judges it as a calendar without days. */
  public SchedulerVerticle(Deps deps) {
    this(deps, null);
  }

  /** @param calendarStore where the calendars are, which this node keeps a copy of ({@link Calendars}) */
  public SchedulerVerticle(Deps deps, CalendarStore calendarStore) {
    this.deps = deps;
    this.calendars = new Calendars(calendarStore);
  }

  @Override
  public Future<?> start() {
    Ticker ticker = Ticker.of(vertx);
    compiler = new JobCompiler(deps.policy(), deps.defaults());
    health = new StoreHealth(deps.clock(), deps.history()::storeReached);
    FireOutcomes outcomes = new FireOutcomes(deps);
    remote = new RemoteRuns(vertx, deps.node(), System::nanoTime);
    dispatcher = new FireDispatcher(deps, ticker, compiler, held, outcomes, () -> stopping, remote);
    SchedulerPeers peers = new SchedulerPeers(deps.node());
    timeline = new Timeline(deps, ticker, compiler, peers, health, () -> stopping,
        (due, now) -> claimer.claim(due, now));
    Duration maxLead = deps.claimAhead().compareTo(MAX_START_MARK_LEAD) < 0 ? deps.claimAhead() : MAX_START_MARK_LEAD;
    starter = new FireStarter(ticker, deps.clock(), START_MARK_LEAD, maxLead, new StartHooks());
    claimer = new FireClaimer(deps, compiler, held, starter, outcomes, timeline, calendars);
    takeOver = new TakeOver(deps.claims(), deps.jobs(), deps.node(), deps.clock(), deps.lease(), held,
        new TakeOverHooks(outcomes));
    LeaseKeeper leases = new LeaseKeeper(takeOver, health, deps.clock(), deps.lease(), () -> stopping);
    announcer = new PeerAnnouncer(vertx.eventBus(), peers, deps.node(), deps.clock(),
        timeline::requeueForPeers);
    ClockSkew skew = new ClockSkew(deps.dbClock(), deps.clock());
    SchedulerStatus status = new SchedulerStatus(deps, timeline, peers, dispatcher, health, skew, remote);
    ManualFire runNow = new ManualFire(deps, compiler, held, dispatcher, outcomes);
    chainStarts(runNow, outcomes);
    deps.metrics().gauges(timeline::size, dispatcher::inFlight, () -> deps.history().queued(),
        () -> skew.skew().toMillis());
    listen(status, runNow);
    List<Future<Void>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    ready.add(remote.start());
    // the lease is there before the first claim: a peer judges this node's fires by it
    return Future.all(ready)
        .compose(v -> takeOver.renewLease())
        .compose(v -> deps.schedulerSwitch().paused().onSuccess(timeline::switchRead))
        .compose(v -> calendars.load())
        .compose(v -> takeOver.recover())
        .onSuccess(v -> {
          health.started();
          long leaseMs = deps.lease().toMillis();
          // read at least twice per window, so that no fire can fall between two reads
          long poll = Math.min(deps.pollInterval().toMillis(), deps.readAhead().toMillis() / 2);
          timers.add(vertx.setPeriodic(Math.max(1, poll), id -> timeline.readAhead()));
          timers.add(vertx.setPeriodic(Math.max(1, leaseMs / 3), id -> leases.renew()));
          timers.add(vertx.setPeriodic(Math.max(1, leaseMs / 2), id -> leases.takeOverStranded()));
          timers.add(vertx.setPeriodic(60_000, id -> skew.check()));
          timers.add(vertx.setPeriodic(Calendars.REFRESH.toMillis(), id -> calendars.refresh()));
          // a read-ahead goes out this often at least (a slow one is waited for: the next follows it)
          Duration quiet = Duration.ofMillis(2 * Math.max(1, poll) + 2_000);
          timers.add(vertx.setPeriodic(SchedulerPeers.HELLO_EVERY.toMillis(), id -> helloWhileWorking(quiet)));
          announcer.announce("hello");
          skew.check();
          timeline.readAhead();
        });
  }

  /**
   * This node says hello to its peers only while it reads and claims through the store ({@link Timeline#working}):
   * one that cannot (its database member cut off, its connections hanging, its database read-only) while its event
   * bus works would keep its share of the jobs, and a peer that has a full read of its own share never reads the
   * others' (Timeline). Silent, it is forgotten within SchedulerPeers.FORGET_AFTER and its peers take its share;
   * it keeps its own peers meanwhile (SchedulerPeers.holdAll).
   */
  private void helloWhileWorking(Duration quiet) {
    announcer.tick(timeline.working(quiet));
  }

  /**
   * Job chains: the store claims a fire's children in the transaction that writes its end ({@link ChainStarts}),
   * judged by the policies and schedules known here; the children claimed for this node are then started as any
   * fire claimed ahead (marked, then run). A node stopping leaves them claimed and unstarted: its restart's recovery,
   * or a peer once its lease ends, runs them.
   */
  private void chainStarts(ManualFire runNow, FireOutcomes outcomes) {
    ChainStarts chains = deps.history().chains();
    chains.policy(new ChainStarts.Policy() {
      @Override
      public int maxInstances(Job job) {
        return compiler.of(job).policy().maxInstances();
      }

      @Override
      public Instant offSchedule(Job job, Instant at) {
        return runNow.offSchedule(job, at);
      }
    });
    chains.onChained(chained -> context.runOnContext(v -> {
      chained.notStarted().forEach(n -> outcomes.endedByTakeOver(n.job(), n.row()));
      for (ChainStarts.Started child : chained.started()) {
        if (stopping) {
          LOG.info("job {}: the chained fire of {} (parent {}) is left to this node's restart or a peer, as this"
              + " node stops", child.job().id(), child.fireTime(), child.parentFireId());
          continue;
        }
        held.hold(child.ref());
        starter.add(child.job(), child.fireTime(), child.fireTime(), child.parentFireId());
      }
    }));
  }

  private void listen(SchedulerStatus status, ManualFire runNow) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(SchedulerBus.JOBS_CHANGED, m -> {
      if (DoneJobsRemoved.isOne(m.body())) {
        timeline.onDoneJobsRemoved(DoneJobsRemoved.from(m.body()).jobIds());
      } else if (JobsChanged.isOne(m.body())) {
        JobsChanged.from(m.body()).changes().forEach(timeline::onJobChanged);
      } else {
        timeline.onJobChanged(JobChanged.from(m.body()));
      }
    }));
    // a wake-up reads the calendars again too, before the store's jobs (a node's nudge after a change elsewhere)
    consumers.add(vertx.eventBus().consumer(SchedulerBus.WAKEUP,
        m -> calendars.refresh().onComplete(ar -> timeline.readAhead())));
    consumers.add(vertx.eventBus().consumer(SchedulerBus.CALENDARS_CHANGED, m -> calendars.refresh()));
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(SchedulerBus.STATUS,
        m -> status.status().onComplete(ar -> m.reply(ar.succeeded() ? ar.result() : new JsonObject()))));
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(SchedulerBus.RUN,
        m -> runNow.run(RunNow.from(m.body()).jobId()).onComplete(ar -> m.reply(ar.succeeded()
            ? ar.result().toJson() : RunNowReply.failed(ar.cause())))));
    consumers.add(vertx.eventBus().<JsonObject>consumer(SchedulerBus.PEERS, m -> announcer.onPeer(m.body())));
  }

  /** How the starter reaches the store and the runners. */
  private final class StartHooks implements FireStarter.Hooks {
    @Override
    public Future<Set<FireRef>> mark(List<FireRef> fires) {
      return deps.claims().markStarted(deps.node(), fires, deps.clock().instant());
    }

    @Override
    public void start(FireStarter.Pending fire) {
      dispatcher.dispatch(fire.job(), fire.fire(), 1, fire.parentFireId());
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
      health.failed("marking a fire started", cause);
      Instant now = deps.clock().instant();
      Duration grace = compiler.of(fire.job()).policy().grace();
      if (!now.isAfter(fire.fire().plus(grace))) {
        return false;
      }
      takeOver.abandon(fire.job(), fire.fire(), "not run: " + FireOutcomes.lateBy(fire.fire(), now)
          + " late, the store out of reach past the misfire grace of " + grace.toSeconds() + " s", fire.parentFireId());
      return true;
    }
  }

  /** What a take-over needs of the scheduler. */
  private final class TakeOverHooks implements TakeOver.Hooks {
    private final FireOutcomes outcomes;

    TakeOverHooks(FireOutcomes outcomes) {
      this.outcomes = outcomes;
    }

    @Override
    public JobPolicy policyOf(Job job) {
      return compiler.of(job).policy();
    }

    @Override
    public void run(Job job, Instant fire, int attempt, String parentFireId) {
      dispatcher.dispatch(job, fire, attempt, parentFireId);
    }

    @Override
    public void ended(Job job, HistoryRecord row) {
      outcomes.endedByTakeOver(job, row);
    }

    @Override
    public void storeFailed(String what, Throwable e) {
      health.failed(what, e);
    }

    @Override
    public Set<FireRef> endedNotWritten() {
      return deps.history().endedNotWritten();
    }

    @Override
    public boolean paused() {
      return timeline.paused();
    }
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    timers.forEach(vertx::cancelTimer);
    if (timeline != null) {
      timeline.close();
    }
    List<Future<Void>> all = new ArrayList<>();
    consumers.forEach(c -> all.add(c.unregister()));
    // said once this node no longer listens, so that its own goodbye does not reach a consumer on its way out
    return Future.all(all).onComplete(v -> announceBye())
        .compose(v -> awaitRuns(deps.shutdownGrace()))
        // runs on workers still going past the grace: no report can reach this node once it has gone
        .compose(v -> remote == null ? Future.succeededFuture() : remote.close("still running when scheduler "
            + deps.node() + " stopped"))
        .compose(v -> deps.history().flush());
  }

  /**
   * Completes once every history row added so far is written. The runs still going at the end of the grace are
   * ended only as the runners close, after this verticle has stopped: their rows ({@code interrupted}) are added
   * then, on this verticle's event loop, and must be written before the store closes.
   */
  public Future<Void> flushHistory() {
    Promise<Void> flushed = Promise.promise();
    context.runOnContext(v -> deps.history().flush().onComplete(flushed));
    return flushed.future();
  }

  private void announceBye() {
    if (announcer != null) { // null only if the start failed before it
      announcer.announce("bye");
    }
  }

  /** Lets runs in flight end (and record themselves) for at most {@code limit}. */
  private Future<Void> awaitRuns(Duration limit) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + limit.toNanos();
    vertx.setPeriodic(20, id -> {
      if ((dispatcher.inFlight() == 0 && starter.size() == 0) || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }
}
