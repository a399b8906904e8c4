package io.ruqi.schedule;

import io.ruqi.schedule.SchedulerBus.JobChanged;
import io.ruqi.store.ClaimStore;
import io.ruqi.store.Job;
import io.ruqi.store.StoreErrors;
import io.ruqi.time.Ticker;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * When this node acts: it reads ahead the fires due within the next few seconds (an indexed query, so memory is
 * bounded by that window, not by the number of jobs), keeps them in a {@link FireQueue} with one timer for the
 * head, and hands the due ones, claim_ahead early and in batches ({@link #claimWindow}), to the claims
 * ({@link FireClaimer}), a few batches at once. API changes reach the heap at once; the scheduler's pause switch, as
 * read from the store, empties it. The polling half of the scheduler, as db-scheduler's poll strategy is; confined
 * to its event loop.
 */
final class Timeline {
  private static final Logger LOG = LoggerFactory.getLogger(Timeline.class);
  private static final int READ_LIMIT = 2000;
  private static final int CLAIM_BATCH = 500;
  /**
   * Claim transactions in flight at once. A claim is mostly waiting for the database's durable commit; a few at once
   * let the store group their commits (the drain benchmark doubled from one to three). Each takes the fires it
   * polled off the heap, so they never claim the same fire twice.
   */
  private static final int CLAIMS_IN_FLIGHT = 3;
  /** How near its cut the heap is when a full read is read on ({@link #readOn}). */
  private static final Duration READ_ON_BEFORE_CUT = Duration.ofMillis(500);
  /** The longest {@link #claimWindow}. */
  static final Duration MAX_CLAIM_WINDOW = Duration.ofMillis(50);
  /** A fire a peer prefers is claimed here only this late: the peer is dead, or too far behind. */
  static final Duration TAKEOVER_AFTER = Duration.ofSeconds(1);

  /** Claims a batch of due fires; fails when the store could not be reached (the fires stay due there). */
  interface Claims {
    Future<Void> claim(List<FireQueue.Entry> due, Instant now);
  }

  private final SchedulerVerticle.Deps deps;
  private final JobCompiler compiler;
  private final SchedulerPeers peers;
  private final StoreHealth health;
  private final BooleanSupplier stopping;
  private final Claims claimer;
  private final FireQueue queue;
  /** How long before the head's time a claim is set off: claim_ahead less the claim window. */
  private final Duration claimLead;
  /** Jobs in a claim transaction now: a read-ahead meanwhile still sees their old rows and must not queue them. */
  private final Set<String> beingClaimed = new HashSet<>();
  /** Jobs whose deferred fire waits out its pause before it goes back to the heap, by the version deferred. */
  private final Map<String, Long> retrying = new HashMap<>();
  /**
   * Jobs whose claim ended while a read-ahead was under way, with the version the claim read: that read may have
   * seen their rows as they were before the claim (the claim committed after its snapshot) and must not queue them
   * again, or they are claimed a second time and lost (a claim that writes nothing, but a round trip and its share
   * of the store's work: ~8 % of the claims in a drain on MariaDB). Kept for the read under way only.
   */
  private final Map<String, Long> claimedDuringRead = new HashMap<>();
  /**
   * Jobs changed through the API while a read-ahead was under way: the read may hold the row from before the change,
   * which would put back a fire the change took out (paused, moved out of the window). The change queues them itself.
   */
  private final Set<String> changedDuringRead = new HashSet<>();
  private Instant checkTime;
  private Instant horizon = Instant.EPOCH;
  private boolean reading;
  private boolean readAgain;
  /** Where the last read stopped at its limit (the next fire time of its last row), or null: it read all due. */
  private Instant lastReadCut;
  private int claiming;
  /** When (System.nanoTime) the last read-ahead succeeded; when each claim in flight began. */
  private long lastReadNanos = System.nanoTime();
  private final ArrayDeque<Long> claimsBegun = new ArrayDeque<>();
  /** When the last claim failed (not a lost race), if no claim succeeded since: a store may answer reads only. */
  private Long claimFailedNanos;
  /** The whole scheduler is paused (scheduler_pause, read from the store): nothing is claimed here. */
  private boolean paused;
  private final Ticker ticker;

  Timeline(SchedulerVerticle.Deps deps, Ticker ticker, JobCompiler compiler, SchedulerPeers peers,
           StoreHealth health, BooleanSupplier stopping, Claims claimer) {
    this.deps = deps;
    this.compiler = compiler;
    this.peers = peers;
    this.health = health;
    this.stopping = stopping;
    this.claimer = claimer;
    this.ticker = ticker;
    this.claimLead = deps.claimAhead().minus(claimWindow(deps.claimAhead()));
    this.queue = new FireQueue(ticker, deps.clock(), claimLead, this::tick);
  }

  /**
   * A claim also takes the fires due up to this much after the first it was set off for: the first is claimed
   * claim_ahead less the window before its time, the last claim_ahead before it, never earlier. Fires spread evenly
   * (2,000 a second) were claimed one or two at a time, each claim a transaction of five statements and a durable
   * commit; a window of 50 ms puts a hundred of them in one. A quarter of claim_ahead, at most 50 ms, so that the
   * claim's round trips are still over in time; none with claim_ahead 0.
   */
  static Duration claimWindow(Duration claimAhead) {
    Duration quarter = claimAhead.dividedBy(4);
    return quarter.compareTo(MAX_CLAIM_WINDOW) < 0 ? quarter : MAX_CLAIM_WINDOW;
  }

  // ---- reading ahead ----

  void readAhead() {
    if (stopping.getAsBoolean()) {
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
              peers.share(now), (id, version) -> beingClaimed.contains(id) || queue.holds(id, version)
                  || Long.valueOf(version).equals(retrying.get(id)) || readBeforeItsClaim(id, version));
        })
        .onSuccess(read -> {
          health.ok();
          lastReadNanos = System.nanoTime();
          if (read != null) {
            horizon = until;
            lastReadCut = read.cut();
            deps.metrics().readAhead(read.rows());
            read.jobs().stream().filter(job -> !changedDuringRead.contains(job.id())).forEach(this::enqueue);
          }
        })
        .onFailure(e -> health.failed("reading due jobs", e))
        .onComplete(ar -> {
          reading = false;
          claimedDuringRead.clear(); // a read that starts from now on sees those claims committed
          changedDuringRead.clear();
          if (readAgain) {
            readAgain = false;
            readAhead();
          } else {
            tick();
          }
        });
  }

  /**
   * A row the read under way may have taken before a claim of its job committed: at the version that claim read, or
   * older. Versions only grow, so a row past it is news (a fresh read, an edit). A row at it whose claim moved
   * nothing is a deferral's (known already), a lost race's (the store holds another version) or a job's that could
   * not be planned (the next read brings it back); a failed claim is not recorded. A job removed and added again
   * meanwhile starts at version 0 and may be skipped here: its change notice queues it.
   */
  private boolean readBeforeItsClaim(String jobId, long version) {
    Long claimed = claimedDuringRead.get(jobId);
    return claimed != null && version <= claimed;
  }

  /** Queues the job's next fire (with its jitter; later if a peer is to claim it first), or drops it. */
  void enqueue(Job job) {
    retrying.remove(job.id());
    if (job.paused() || job.nextRunTime() == null) {
      queue.remove(job.id());
      return;
    }
    FireQueue.Entry queued = queue.entryOf(job);
    long jitter = queued != null ? queued.jitterMillis() : jitterMillis(job);
    Instant due = job.nextRunTime().plusMillis(jitter);
    if (!peers.prefers(job.id(), deps.clock().instant())) {
      due = due.plus(TAKEOVER_AFTER);
    }
    queue.offer(job, jitter, due);
  }

  private long jitterMillis(Job job) {
    Duration jitter = compiler.of(job).policy().jitter();
    return jitter.isZero() ? 0 : ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1);
  }

  /**
   * Asks for the job's fire again {@code pause} from now, as it is (a claim deferred it: the job is at
   * max_instances), unless news of the job comes meanwhile. It goes back to the heap only then, due at once: put
   * there due {@code pause} from now, a pause shorter than the claim's lead ({@code scheduler.claim_ahead}) had it
   * claimed again at once: some thousand claims a second for as long as the job stayed busy, filling the claim
   * slots and the event loop (seen in the chaos test, whose lead is 1 s).
   */
  void defer(Job job, Duration pause) {
    retrying.put(job.id(), job.version());
    ticker.schedule(Math.max(1, pause.toMillis()), () -> {
      if (retrying.remove(job.id(), job.version()) && !paused && !queue.contains(job.id())) {
        queue.offer(job, 0, deps.clock().instant());
        tick();
      }
    });
  }

  void onJobChanged(JobChanged change) {
    String jobId = change.jobId();
    if (jobId == null) {
      readAhead();
      return;
    }
    retrying.remove(jobId);
    if (reading) {
      changedDuringRead.add(jobId);
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

  /** Jobs removed once done: none has a fire to come, so each leaves the heap as a removed job's notice has it. */
  void onDoneJobsRemoved(List<String> jobIds) {
    for (String jobId : jobIds) {
      retrying.remove(jobId);
      if (reading) {
        changedDuringRead.add(jobId);
      }
      queue.remove(jobId);
    }
    tick();
  }

  /** The share of each node changed: entries in the heap are due again by the new preference. */
  void requeueForPeers() {
    for (FireQueue.Entry e : queue.entries()) {
      enqueue(e.job());
    }
    tick();
  }

  /**
   * The switch as read from the store. Paused, the heap is let go (nothing is claimed; fires already claimed still
   * start); resumed, the read that follows brings back the due fires, and each claim judges the fires due meanwhile
   * by their misfire grace and coalescing, as APScheduler does on resume.
   */
  void switchRead(boolean pausedNow) {
    if (pausedNow && !paused) {
      LOG.warn("the scheduler is paused (scheduler_pause): no fire is claimed until scheduler_resume");
      queue.entries().forEach(e -> queue.remove(e.job().id()));
      retrying.clear();
      horizon = Instant.EPOCH;
    } else if (!pausedNow && paused) {
      LOG.info("the scheduler is resumed: fires due meanwhile run now or are recorded missed, by their grace");
    }
    paused = pausedNow;
  }

  /** The end of the read-ahead window: fires up to it belong in the queue. */
  Instant window() {
    Instant ahead = deps.clock().instant().plus(deps.readAhead());
    return ahead.isAfter(horizon) ? ahead : horizon;
  }

  // ---- handing due fires to the claims ----

  private void tick() {
    if (claiming >= CLAIMS_IN_FLIGHT || stopping.getAsBoolean() || paused) {
      return;
    }
    Instant now = deps.clock().instant();
    // claimed a little ahead, so that the claim's round trips are over when the fire is due; each starts on time
    List<FireQueue.Entry> due = claimable(now) ? queue.pollDue(now.plus(deps.claimAhead()), CLAIM_BATCH) : List.of();
    if (due.isEmpty()) {
      queue.arm();
      return;
    }
    claiming++;
    Long begun = System.nanoTime();
    claimsBegun.add(begun);
    due.forEach(e -> beingClaimed.add(e.job().id()));
    withoutClaimedTheirs(due, now).compose(current -> current.isEmpty() ? Future.<Void>succeededFuture()
        : claimer.claim(current, now)).onComplete(ar -> {
      claiming--;
      claimsBegun.remove(begun);
      if (ar.succeeded()) {
        claimFailedNanos = null;
      } else if (!StoreErrors.isLostRace(ar.cause())) {
        claimFailedNanos = System.nanoTime();
      }
      due.forEach(e -> beingClaimed.remove(e.job().id()));
      if (reading && ar.succeeded()) {
        // a failed claim moved nothing: its jobs' rows, still due, are not to be skipped
        due.forEach(e -> claimedDuringRead.merge(e.job().id(), e.job().version(), Math::max));
      }
      if (ar.failed()) {
        health.failed("claiming " + due.size() + " fires", ar.cause());
      } else {
        health.ok();
      }
      // a failed claim's fires are still due in the store, and only a read brings them back before the poll
      if (ar.failed() || readOn(deps.clock().instant())) {
        readAhead();
      }
      tick();
    });
    tick(); // more due fires than one batch: the next claim goes out beside this one
  }

  /**
   * Whether to read again before the poll: the window held more fires than one read, nothing is left to claim now,
   * and the heap is near where the read stopped (a backlog, or fires due faster than one read a poll). With fires
   * spread evenly at 2,000 a second, every claim's end read the same 2,000 rows again (190 reads a second, nearly
   * all of MariaDB's row reads) though the heap held the next second's fires.
   */
  private boolean readOn(Instant now) {
    return lastReadCut != null && !claimable(now)
        && lastReadCut.isBefore(now.plus(deps.claimAhead()).plus(READ_ON_BEFORE_CUT));
  }

  /** Whether a claim is due: the head is due within claim_ahead less the window. */
  private boolean claimable(Instant now) {
    return queue.hasDue(now.plus(claimLead));
  }

  /**
   * {@code due} without the peers' fires that the store has at another version now. A peer's fire comes due here a
   * second late, and by then the peer has most often claimed it: a one-shot's row is then no longer due, so no
   * read-ahead replaces the entry, and its claim here locked the row and lost (a pair's drain of 5,000: about 2,000
   * such claims per node). One read by the primary key, only for batches that hold a peer's fire.
   */
  private Future<List<FireQueue.Entry>> withoutClaimedTheirs(List<FireQueue.Entry> due, Instant now) {
    Set<String> theirs = new HashSet<>();
    due.forEach(e -> {
      if (!peers.prefers(e.job().id(), now)) {
        theirs.add(e.job().id());
      }
    });
    if (theirs.isEmpty()) {
      return Future.succeededFuture(due);
    }
    return deps.claims().versions(List.copyOf(theirs)).map(versions -> {
      List<FireQueue.Entry> current = due.stream().filter(e -> !theirs.contains(e.job().id())
          || Long.valueOf(e.job().version()).equals(versions.get(e.job().id()))).toList();
      deps.metrics().staleClaims(due.size() - current.size());
      return current;
    }).recover(e -> Future.succeededFuture(due)); // unread, the claim itself decides, as it always does
  }

  /**
   * Whether this node's scheduler gets its work done through the store: a read-ahead succeeded within {@code quiet},
   * no claim has been in flight longer, and no claim failed within it unless one succeeded since. Not merely "no
   * statement failed": one that hangs fails late or never; nor "some statement succeeded": a store that answers reads
   * may refuse writes (a former primary gone read-only), and a lease renewed on another connection says nothing of a
   * hung read. On System.nanoTime, so that a step of the wall clock says nothing either.
   */
  boolean working(Duration quiet) {
    long now = System.nanoTime();
    long limit = quiet.toNanos();
    Long oldestClaim = claimsBegun.peek();
    return now - lastReadNanos <= limit && (oldestClaim == null || now - oldestClaim <= limit)
        && (claimFailedNanos == null || now - claimFailedNanos > limit);
  }

  // ---- what the status shows ----

  boolean paused() {
    return paused;
  }

  /** Whether a read of the store is under way (a read asked for meanwhile follows it). */
  boolean reading() {
    return reading;
  }

  /** When the store was last read. */
  Instant checkTime() {
    return checkTime;
  }

  int size() {
    return queue.size();
  }

  /** The earliest fire queued, or null. */
  FireQueue.Entry head() {
    return queue.head();
  }

  void close() {
    queue.close();
  }
}
