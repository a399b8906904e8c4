package io.ruqi.it;

import io.ruqi.testing.FireLedger;
import io.ruqi.testing.FireLedger.Kind;
import io.ruqi.testing.FireLedger.Mode;
import io.ruqi.testing.FireSink;
import io.ruqi.testing.HistoryTable;
import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 15, "prove it under chaos": the clustered pair on a private MariaDB, with every-second cron jobs and a stream
 * of one-shots posting to an HTTP sink, while its nodes are killed -9 and restarted, one is frozen past its lease,
 * one runs with its clock 6 s ahead, and the database is restarted (a node killed and started while it is down).
 * Then {@link FireLedger} holds the deliveries (by fire id) against the history rows (by fire id) and the schedule.
 *
 * <p>The phases, in order, each named in the counts: warm-up; kill -9 node-a and restart it; the same for node-b;
 * node-a frozen (SIGSTOP) past its lease and continued; node-b back with its clock 6 s ahead (libfaketime) while
 * node-a runs a long fire; kill -9 node-a again; the database down 12-35 s while node-b is killed and started; calm.
 * Phases never overlap: each starts once the nodes of the one before are ready again.
 *
 * <p>Settings that make the chaos bite: a 5 s lease (so that a freeze of 10 s outlasts it, and a clock 6 s ahead,
 * more than a lease, would take a live peer for dead were leases judged on the nodes' clocks rather than the
 * database's; with 3 s, a CI run under load once saw a live node's fire taken over, most likely a stall of the
 * node; a node that stalls past its lease now logs it, and the report shows it); fires
 * claimed 1 s ahead ({@code scheduler.claim_ahead}, its most), so that every kill, freeze and the database stop
 * finds fires claimed and not yet started; most jobs have a misfire grace of 120 s, so that every delayed fire
 * must still run, and four have 5 s, shorter than the database outage, so that their fires may be missed but the
 * jobs must fire again after.
 * Each node posts its {@code /path} commands to a base URL of its own ({@code exec.base_url}), so the sink knows
 * which node sent a fire. A few jobs opt into at-least-once delivery ({@link #AT_LEAST_ONCE}).
 */
class ChaosIT {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final long LEASE_MS = 5_000;
  /** What LeaseKeeper's warning of a stall past the lease says (its text, in the nodes' logs). */
  private static final String LEASE_STALL = "without renewal (scheduler.lease";
  private static final long CLAIM_AHEAD_MS = 1_000;
  private static final int LONG_GRACE_S = 120;
  private static final int SHORT_GRACE_S = 5;
  private static final long FREEZE_MS = LEASE_MS + 5_000;
  /** The database is down at least this long, and until the node started in the outage has exited or run 25 s. */
  private static final long DB_DOWN_MS = 12_000;
  private static final long STARTING_IN_OUTAGE_MS = 25_000;
  private static final long SKEW_MS = 6_000;
  private static final int ONE_SHOTS = 1_000;
  private static final long ONE_SHOT_SPACING_MS = 100;
  /** After each phase, before the next: the nodes' leases renewed, their backlogs worked off. */
  private static final long SETTLE_MS = 3_000;
  /** How long after the chaos the jobs may take to be on time again, then how long they must stay on time. */
  private static final long RECOVER_MS = 20_000;
  private static final long CALM_MS = 15_000;
  private static final long ON_TIME_MS = 3_000;
  /** Item 10's opt-in, as its branch names it (main ignores the field until that lands; a rename goes here). */
  private static final JsonObject AT_LEAST_ONCE = new JsonObject().put("delivery", "at_least_once");
  /** Debian's libfaketime (multi-threaded build), in the directory of this machine's architecture. */
  private static final Path LIBFAKETIME = libfaketime();

  private MariaDbServer db;
  private FireSink sink;
  private HaNode a;
  private HaNode b;
  private Path dir;
  private final ChaosTimeline timeline = new ChaosTimeline("chaos");
  /** Broken promises seen along the way, not in the ledger's view (a node that would not start, ...). */
  private final List<String> problems = new ArrayList<>();
  /** Every job, as the ledger sees it, by id (recurring ones are completed when they are paused). */
  private final Map<String, JobPlan> plans = new LinkedHashMap<>();

  @AfterEach
  void tearDown() throws Exception {
    for (HaNode n : new HaNode[] {a, b}) {
      if (n != null) {
        try {
          n.close();
        } catch (Exception e) {
          System.err.println("closing " + n.name + ": " + e);
        }
      }
    }
    if (sink != null) {
      sink.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Timeout(900)
  void the_pair_keeps_its_promises_under_chaos() throws Exception {
    startThePair();
    addTheJobs();
    timeline.begin("0 warm-up");
    sleepMs(5_000);
    killAndRestart(a, "1 kill -9 node-a, restart", 990);
    killAndRestart(b, "2 kill -9 node-b, restart", 990);
    freezePastTheLease(a, "3 node-a frozen 10 s (lease 5 s)");
    clockAhead(b, "4 node-b back with its clock 6 s ahead");
    killAndRestart(a, "5 kill -9 node-a, restart", 500);
    restartTheDatabase(b, "6 db down; node-b killed and started in it");
    long chaosEnd = timeline.begin("7 calm");
    sleepUntil(Math.max(chaosEnd + RECOVER_MS + CALM_MS, plans.values().stream().mapToLong(p -> p.atMs).max()
        .orElse(0) + 2_000));
    long calmTo = pauseTheRecurringJobs();
    timeline.end();
    awaitQuiet();
    verify(chaosEnd + RECOVER_MS, calmTo);
  }

  // ---- the pair ----

  private void startThePair() throws Exception {
    if (!Files.isReadable(LIBFAKETIME)) {
      throw new IllegalStateException("the chaos test skews a node's clock with libfaketime: install Debian's"
          + " libfaketime (scripts/setup.sh does): " + LIBFAKETIME + " is missing");
    }
    dir = Files.createDirectories(Path.of("target", "chaos-it",
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())).toAbsolutePath());
    db = MariaDbServer.start();
    sink = new FireSink();
    int[] cluster = RuqiProcess.freePorts(2);
    a = node("node-a", cluster, 0);
    b = node("node-b", cluster, 1);
    a.start();
    b.start();
  }

  private HaNode node(String name, int[] cluster, int index) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()));
    env.put("RUQI_STORE_URL", db.url());
    env.put("RUQI_STORE_POOL_SIZE", "8");
    env.put("RUQI_NODE_NAME", name);
    env.put("RUQI_TIMEZONE", "UTC");
    env.put("RUQI_CLUSTER_ENABLED", "true");
    env.put("RUQI_CLUSTER_SECRET", "test-cluster-secret-" + ProcessHandle.current().pid());
    env.put("RUQI_CLUSTER_HOST", "127.0.0.1");
    env.put("RUQI_CLUSTER_PORT", Integer.toString(cluster[index]));
    env.put("RUQI_CLUSTER_MEMBERS", "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1]);
    env.put("RUQI_SCHEDULER_LEASE", Long.toString(LEASE_MS / 1000));
    env.put("RUQI_SCHEDULER_CLAIM_AHEAD", Double.toString(CLAIM_AHEAD_MS / 1000.0));
    env.put("RUQI_EXEC_BASE_URL", sink.baseFor(name));
    return new HaNode(name, dir, env);
  }

  // ---- the jobs ----

  /** What a job is, as the ledger needs it: one-shots at {@code atMs}; recurring ones every {@code periodMs}. */
  private static final class JobPlan {
    final String id;
    final Mode mode;
    final int graceS;
    final long periodMs;
    final long atMs;
    final long addedMs;
    long pausedMs;

    JobPlan(String id, Mode mode, int graceS, long periodMs, long atMs, long addedMs) {
      this.id = id;
      this.mode = mode;
      this.graceS = graceS;
      this.periodMs = periodMs;
      this.atMs = atMs;
      this.addedMs = addedMs;
    }

    FireLedger.Job ledgerJob() {
      return periodMs == 0 ? FireLedger.Job.oneShot(id, mode, graceS * 1000L, atMs)
          : FireLedger.Job.every(id, mode, graceS * 1000L, periodMs, atMs, addedMs, pausedMs, 1_500);
    }
  }

  /**
   * 20 cron jobs every second (12 plain, 4 at-least-once, 4 with a 5 s grace); 4 slow ones every 10 s whose requests
   * the sink answers after 3 s (runs in flight for kills and freezes to cut, yet able to catch up after the outage);
   * and 1,000 one-shots, 10 a second at random milliseconds over the chaos, answered after 0.5 s (one in five
   * at-least-once).
   */
  private void addTheJobs() throws Exception {
    for (int k = 0; k < 20; k++) {
      String id = String.format("cron-%02d", k);
      Mode mode = k >= 12 && k < 16 ? Mode.AT_LEAST_ONCE : Mode.AT_MOST_ONCE;
      int grace = k >= 16 ? SHORT_GRACE_S : LONG_GRACE_S;
      add(k % 2 == 0 ? a : b, new JobPlan(id, mode, grace, 1_000, 0, System.currentTimeMillis()), "cron",
          "* * * * * *", "/now/" + id);
    }
    for (int s : new int[] {1, 3, 6, 8}) {
      String id = "slow-" + s;
      String rule = String.format("%d,%d,%d,%d,%d,%d * * * * *", s, s + 10, s + 20, s + 30, s + 40, s + 50);
      add(s % 2 == 0 ? a : b, new JobPlan(id, Mode.AT_MOST_ONCE, LONG_GRACE_S, 10_000, s * 1_000L,
          System.currentTimeMillis()), "cron", rule, "/wait3000/" + id);
    }
    // imported a hundred at a time: a thousand job_adds kept a loaded machine busy for half a minute
    long first = System.currentTimeMillis() + 10_000;
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 0; i < ONE_SHOTS; i++) {
      String id = String.format("once-%04d", i);
      long at = first + i * ONE_SHOT_SPACING_MS + ThreadLocalRandom.current().nextLong(ONE_SHOT_SPACING_MS);
      Mode mode = i % 5 == 0 ? Mode.AT_LEAST_ONCE : Mode.AT_MOST_ONCE;
      JobPlan plan = new JobPlan(id, mode, LONG_GRACE_S, 0, at, System.currentTimeMillis());
      batch.add(params(plan, "date", date(at), "/wait500/" + id));
      plans.put(id, plan);
      if (batch.size() == 100 || i == ONE_SHOTS - 1) {
        (i / 100 % 2 == 0 ? a : b).ok("job_import", new JsonObject().put("jobs", new JsonArray(
            new ArrayList<Object>(batch))));
        batch.clear();
      }
    }
    System.out.printf("[chaos] %d jobs added; the first one-shot is due %s%n", plans.size(),
        Instant.ofEpochMilli(first));
  }

  private void add(HaNode via, JobPlan plan, String trigger, String rule, String cmd) {
    via.ok("job_add", params(plan, trigger, rule, cmd));
    plans.put(plan.id, plan);
  }

  private static JsonObject params(JobPlan plan, String trigger, String rule, String cmd) {
    JsonObject params = new JsonObject().put("job_id", plan.id).put("job_name", "chaos").put("job_trigger", trigger)
        .put("rule", rule).put("cmd", cmd).put("misfire_grace_time", plan.graceS).put("max_instances", 1);
    return plan.mode == Mode.AT_LEAST_ONCE ? params.mergeIn(AT_LEAST_ONCE) : params;
  }

  // ---- the phases ----

  /**
   * Kills {@code node} at {@code ms} into a second: at 990 the cron fires of the next second are marked started and
   * not yet sent (issue 15 item 10: they end interrupted, never run); at 500 they are claimed and not yet marked (a
   * peer must run them once the lease is over).
   */
  private void killAndRestart(HaNode node, String phase, long ms) throws Exception {
    timeline.begin(phase);
    awaitBusy(node);
    sleepUntil(System.currentTimeMillis() / 1000 * 1000 + 1000 + ms);
    long killed = System.currentTimeMillis();
    node.kill9();
    node.start();
    timeline.disruption(Kind.KILL, node.name, killed, System.currentTimeMillis(), "kill -9 " + node.name);
    sleepMs(SETTLE_MS);
  }

  private void freezePastTheLease(HaNode node, String phase) throws Exception {
    timeline.begin(phase);
    awaitBusy(node);
    long frozen = System.currentTimeMillis();
    node.freeze();
    sleepMs(FREEZE_MS);
    node.thaw();
    timeline.disruption(Kind.FREEZE, node.name, frozen, System.currentTimeMillis(), "SIGSTOP " + node.name);
    node.awaitReady(60);
    sleepMs(SETTLE_MS);
  }

  /**
   * Issue 15 item 7: {@code node} comes back with its clock ahead by more than a lease while its peer runs a long
   * fire (the sink holds its request). A node that judges its peer's lease by its own clock takes the live peer for
   * dead and records that fire interrupted: the ledger finds no kill or freeze of the peer to excuse it.
   */
  private void clockAhead(HaNode node, String phase) throws Exception {
    timeline.begin(phase);
    HaNode peer = node == a ? b : a;
    awaitBusy(node);
    long killed = System.currentTimeMillis();
    node.kill9();
    long at = System.currentTimeMillis() + 1_500;
    add(peer, new JobPlan("held", Mode.AT_MOST_ONCE, LONG_GRACE_S, 0, at, System.currentTimeMillis()), "date",
        date(at), "/hold/held");
    TestNode.eventually(30, "the sink holds the long fire's request", () -> sink.arrivals().stream()
        .anyMatch(x -> x.path.endsWith("/hold/held")));
    // the monotonic clock moves by the same constant (harmless): left real, the JVM's timed waits return at once
    node.start(Map.of("LD_PRELOAD", LIBFAKETIME.toString(), "FAKETIME", "+" + SKEW_MS / 1000));
    long back = System.currentTimeMillis();
    timeline.disruption(Kind.KILL, node.name, killed, back, "kill -9 " + node.name);
    // the node compares its clock with the database's as its scheduler starts: a test that meant to skew it checks
    TestNode.eventually(20, node.name + " reports its clock " + SKEW_MS + " ms ahead of the database's (libfaketime)",
        () -> Math.abs(node.status().getLong("clock_skew_ms", 0L) - SKEW_MS) < 1_000);
    System.out.printf("[chaos] %s is back with clock_skew_ms %d; the held fire came from %s%n", node.name,
        node.status().getLong("clock_skew_ms"), sink.arrivals().stream().filter(x -> x.path.endsWith("/hold/held"))
            .map(x -> x.node).toList());
    // the node reads expired leases every half lease, once it has reached the store for a whole lease
    sleepMs(LEASE_MS + 3 * LEASE_MS / 2 + 2_000);
    sink.release("/hold/held");
    TestNode.eventually(60, "the held fire has its history row", () -> !db.sql("SELECT 1 FROM ruqi.ruqi_jobs_history"
        + " WHERE job_id = 'held'").isBlank());
    long unskewed = System.currentTimeMillis();
    node.kill9();
    timeline.skew(new FireLedger.Skew(node.name, SKEW_MS, killed, unskewed));
    node.start();
    timeline.disruption(Kind.KILL, node.name, unskewed, System.currentTimeMillis(), "kill -9 " + node.name
        + " (skewed)");
    sleepMs(SETTLE_MS);
  }

  /**
   * The database stopped half-way through a second (fires claimed for the next one wait to be marked started) for
   * longer than the short grace; meanwhile {@code node} is killed and started again (issue 15 item 9: it must wait
   * for the database, not exit).
   */
  private void restartTheDatabase(HaNode node, String phase) throws Exception {
    timeline.begin(phase);
    HaNode peer = node == a ? b : a;
    sleepUntil((System.currentTimeMillis() / 1000 + 1) * 1000 + 500);
    long down = System.currentTimeMillis();
    db.stop();
    // after both nodes have given up the fires they claimed for the short-grace jobs (due half a second after the
    // stop, grace 5 s)
    sleepUntil(down + 8_000);
    long killed = System.currentTimeMillis();
    node.kill9();
    sleepUntil(down + 9_000);
    node.launch(Map.of());
    long launched = System.currentTimeMillis();
    // a JVM joining the cluster on a loaded machine takes a while to reach its store: the database stays down until
    // the node has given up on it (exited) or has had the time to reach it and wait
    while (node.alive() && System.currentTimeMillis() < launched + STARTING_IN_OUTAGE_MS) {
      Thread.sleep(100);
    }
    sleepUntil(down + DB_DOWN_MS);
    db.startAgain();
    peer.awaitReady(60);
    long back = System.currentTimeMillis();
    timeline.disruption(Kind.DATABASE, null, down, back, "database down");
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!node.ready() && node.alive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (!node.alive()) {
      problems.add(node.name + ", started while the database was down, exited with " + node.exitCode()
          + " instead of waiting for it (issue 15 item 9): " + node.lastLines(1));
      node.start();
    } else {
      node.awaitReady(1);
    }
    timeline.disruption(Kind.KILL, node.name, killed, System.currentTimeMillis(), "kill -9 " + node.name
        + " (db down)");
    sleepMs(SETTLE_MS);
  }

  /** Waits (a while) until {@code node} has runs in flight, so that what is done to it cuts something. */
  private static void awaitBusy(HaNode node) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (node.status().getInteger("in_flight", 0) > 0) {
          return;
        }
      } catch (AssertionError | RuntimeException notNow) {
        // asked again below
      }
      Thread.sleep(50);
    }
    System.out.printf("[chaos] %s had no run in flight for 10 s; going on%n", node.name);
  }

  private long pauseTheRecurringJobs() {
    HaNode[] via = {a, b};
    int n = 0;
    for (JobPlan plan : plans.values()) {
      if (plan.periodMs > 0) {
        plan.pausedMs = System.currentTimeMillis();
        via[n++ % 2].ok("job_pause", new JsonObject().put("job_id", plan.id));
      }
    }
    return plans.values().stream().filter(p -> p.periodMs > 0).mapToLong(p -> p.pausedMs).min().orElseThrow()
        - 2_000;
  }

  /** Until no node has a run in flight or a history row queued, and the history has not grown for 3 s. */
  private void awaitQuiet() throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    String last = "";
    String seen = "";
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      JsonObject sa = a.status();
      JsonObject sb = b.status();
      String now = db.sql("SELECT COUNT(*) FROM ruqi.ruqi_jobs_history").strip();
      boolean idle = sa.getInteger("in_flight") + sb.getInteger("in_flight") == 0
          && sa.getInteger("history_queue", 0) + sb.getInteger("history_queue", 0) == 0;
      if (!idle || !now.equals(seen)) {
        seen = now;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 3_000_000_000L) {
        return;
      }
      last = "in flight " + sa.getInteger("in_flight") + "/" + sb.getInteger("in_flight") + ", rows " + now;
      Thread.sleep(250);
    }
    problems.add("the pair was not quiet within 120 s of the pause: " + last);
  }

  // ---- the verdict ----

  private void verify(long calmFrom, long calmTo) throws Exception {
    FireLedger ledger = new FireLedger(new FireLedger.Settings(CLAIM_AHEAD_MS, LEASE_MS));
    plans.values().forEach(p -> ledger.job(p.ledgerJob()));
    List<FireSink.Arrival> arrivals = sink.arrivals();
    arrivals.stream().filter(x -> x.idempotencyKey == null || !x.idempotencyKey.equals(x.fireIdHeader))
        .forEach(x -> problems.add("Idempotency-Key and X-Ruqi-Fire-Id differ: " + x + " / " + x.fireIdHeader));
    HistoryTable table = new HistoryTable(db, "ruqi");
    ledger.delivered(sink.deliveries()).recorded(table.rows()).leftRunning(table.running()).calm(calmFrom, calmTo,
        ON_TIME_MS);
    timeline.into(ledger);
    FireLedger.Verdict verdict = ledger.check();

    StringBuilder out = new StringBuilder();
    // the nodes' logs first and the problems last: a report that keeps only the tail of the output keeps them
    for (HaNode n : new HaNode[] {a, b}) {
      out.append(n.logTail(25)).append('\n');
    }
    out.append("[chaos] timeline:\n").append(timeline.describe());
    // a node that stalled past its lease on its own (a loaded machine) says so; a fire it lost so has no disruption
    for (HaNode n : new HaNode[] {a, b}) {
      n.linesWith(LEASE_STALL).forEach(l -> out.append("[chaos] lease stall: ").append(l).append('\n'));
    }
    Map<String, Long> byNode = arrivals.stream()
        .collect(Collectors.groupingBy(x -> x.node, TreeMap::new, Collectors.counting()));
    out.append("[chaos] deliveries ").append(arrivals.size()).append(" by node ").append(byNode).append(", cut ")
        .append(arrivals.stream().filter(x -> x.cutMs() >= 0).count()).append(", delivered before their fire time ")
        .append(early(arrivals)).append('\n');
    out.append("[chaos] history rows by status ").append(db.sql("SELECT status, COUNT(*) FROM ruqi.ruqi_jobs_history"
        + " GROUP BY status").strip().replace('\n', ' ').replace('\t', '=')).append('\n');
    out.append(verdict.counts());
    List<String> all = new ArrayList<>(problems);
    all.addAll(verdict.problems());
    out.append("[chaos] ").append(all.size()).append(" problems\n");
    all.stream().limit(80).forEach(p -> out.append("  ").append(p).append('\n'));
    if (all.size() > 80) {
      out.append("  ... and ").append(all.size() - 80).append(" more, all in ").append(dir.resolve("problems.txt"))
          .append('\n');
    }
    System.out.print(out);
    Files.writeString(dir.resolve("problems.txt"), String.join("\n", all) + "\n");
    if (!all.isEmpty()) {
      fail(all.size() + " broken promises under chaos; the first: " + all.get(0) + "\n(the whole report is in the"
          + " test's output)");
    }
  }

  /** Deliveries that arrived more than 0.2 s before their fire time (a node whose clock ran ahead fired early). */
  private static String early(List<FireSink.Arrival> arrivals) {
    Map<String, Long> byNode = new TreeMap<>();
    for (FireSink.Arrival x : arrivals) {
      int at = x.idempotencyKey == null ? -1 : x.idempotencyKey.lastIndexOf('@');
      if (at > 0 && x.arrivedMs < Long.parseLong(x.idempotencyKey.substring(at + 1)) - 200) {
        byNode.merge(x.node, 1L, Long::sum);
      }
    }
    return byNode.toString();
  }

  // ---- small things ----

  private static Path libfaketime() {
    for (String arch : List.of("x86_64-linux-gnu", "aarch64-linux-gnu", "")) {
      Path p = Path.of("/usr/lib", arch, "faketime", "libfaketimeMT.so.1");
      if (Files.isReadable(p)) {
        return p;
      }
    }
    return Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
  }

  private static String date(long ms) {
    return DATE.format(Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC));
  }

  private static void sleepMs(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }

  private static void sleepUntil(long ms) throws InterruptedException {
    long wait = ms - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

}
