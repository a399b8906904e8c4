package io.ruqi.it;

import io.ruqi.testing.FireLedger;
import io.ruqi.testing.FireSink;
import io.ruqi.testing.HistoryTable;
import io.ruqi.testing.HttpTestClient;
import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The HA pair of issue 4, as separate processes of the packaged jar on a private MariaDB: modifies racing fires, a
 * dead node's running fire, change notices over the clustered event bus. (Exactly once through a {@code kill -9}
 * and restart, and through a database outage, are {@link ChaosIT}'s, counted by fire id with more disruptions;
 * the event-bus API from a cluster peer is the Java client's {@code EventBusClientIT}.)
 *
 * <p>Fires are counted twice, independently: by the history (read from the tables, {@link HistoryTable}) and by a
 * real HTTP sink that records every request's {@code Idempotency-Key} ({@code <job_id>@<fire epoch ms>},
 * {@link FireSink}); {@link FireLedger} holds them against each other and against the job's schedule. All nodes
 * run in UTC.
 */
class HaPairIT {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String CLUSTER_SECRET = "ha-pair-it-" + Long.toHexString(System.nanoTime());

  private static MariaDbServer db;

  private final List<HaNode> nodes = new ArrayList<>();
  private FireSink sink;
  private Path dir;
  private String storeUrl;
  private String database;
  private String testName;

  @BeforeAll
  static void startMariaDb() {
    db = MariaDbServer.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void setUp(TestInfo info) throws IOException {
    testName = info.getTestMethod().orElseThrow().getName();
    // logs stay under target/ for a look after a failure
    dir = Files.createDirectories(Path.of("target", "ha-it", testName,
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())).toAbsolutePath());
    database = "ruqi_ha_" + DATABASES.incrementAndGet();
    storeUrl = db.createDatabase(database);
    sink = new FireSink();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (HaNode n : nodes) {
      try {
        n.close();
      } catch (Exception e) {
        System.err.println("closing " + n.name + ": " + e);
      }
    }
    sink.close();
    if (!db.isRunning()) {
      db.startAgain();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 2. job_modify racing the fires of the job it changes

  @Test
  @Timeout(180)
  void a_modify_racing_fires_never_reverts_and_never_doubles() throws Exception {
    int[] cluster = RuqiProcess.freePorts(2);
    HaNode a = node("node-a", cluster, 0, Map.of());
    HaNode b = node("node-b", cluster, 1, Map.of());
    a.start();
    b.start();
    String name = "race";
    Instant added = Instant.now();
    a.ok("job_add", job("race", name, "interval", "1s", url("/race-init")));
    TestNode.eventually(10, "the job fires", () -> !sink.arrivals().isEmpty());
    long firstFireMs = fireMs(sink.arrivals().get(0));

    Race race = new Race(new HaNode[] {a, b}, firstFireMs);
    Instant raceStart = Instant.now();
    race.run();
    Instant raceEnd = Instant.now();
    assertTrue(race.errors.isEmpty(), "errors: " + race.errors);

    // a few more fires on the final command, then stop
    Thread.sleep(3_000);
    System.out.printf("[%s] lateness of the runs (ms): %s%n", testName, lateness(name));
    Instant paused = Instant.now();
    JsonObject finalJob = b.ok("job_pause", new JsonObject().put("job_id", "race")).getJsonObject("data");
    awaitQuiet(List.of(a, b), name, 30);

    List<Edit> all = new ArrayList<>(race.edits);
    Map<String, Long> outcomes = all.stream().collect(Collectors.groupingBy(e -> e.status + " " + e.stat,
        TreeMap::new, Collectors.counting()));
    System.out.printf("[%s] %d modifies in %d ms: %s%n", testName, all.size(), ms(raceStart, raceEnd), outcomes);

    List<String> problems = editProblems(all, finalJob, race.seenVersions);
    // each fire of the 1 s grid from the add to the pause ran once, on the command its history row names
    FireLedger.Verdict verdict = ledger().job(FireLedger.Job.every("race", FireLedger.Mode.AT_MOST_ONCE, 30_000,
        1_000, firstFireMs, added.toEpochMilli(), paused.toEpochMilli(), 2_000)).check();
    problems.addAll(verdict.problems());
    System.out.printf("[%s] the ledger's counts:%n%s", testName, verdict.counts());
    report(problems, verdict.counts(), a, b);
  }

  /**
   * Two threads editing the race job's command through both nodes, 40 edits each, while a third reads its version:
   * thread 0 aims every other edit a few ms before a fire (at its claim), thread 1 names the version it read through
   * the other node (so it may meet a conflict).
   */
  private final class Race {
    final HaNode[] via;
    final long firstFireMs;
    final ConcurrentLinkedQueue<Edit> edits = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    final List<Long> seenVersions = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean racing = new AtomicBoolean(true);

    Race(HaNode[] via, long firstFireMs) {
      this.via = via;
      this.firstFireMs = firstFireMs;
    }

    void run() throws InterruptedException {
      List<Thread> editors = List.of(new Thread(() -> edit(0), "modify-0"), new Thread(() -> edit(1), "modify-1"));
      Thread watcher = new Thread(this::watch, "version-watcher");
      editors.forEach(Thread::start);
      watcher.start();
      for (Thread t : editors) {
        t.join(120_000);
      }
      racing.set(false);
      watcher.join(10_000);
    }

    private void edit(int thread) {
      try {
        for (int i = 0; i < 40; i++) {
          HaNode node = via[(i + thread) % 2];
          if (thread == 0 && i % 2 == 0) {
            // an interval job fires on a fixed ms grid: wake a few ms before its next fire
            long phase = Math.floorMod(firstFireMs, 1000);
            long nowMs = System.currentTimeMillis();
            long nextFire = nowMs - Math.floorMod(nowMs - phase, 1000) + 1000;
            Thread.sleep(Math.max(0, nextFire - nowMs - ThreadLocalRandom.current().nextLong(0, 25)));
          }
          String cmd = url("/race-" + thread + "-" + i);
          JsonObject params = new JsonObject().put("job_id", "race").put("cmd", cmd);
          if (thread == 1) {
            params.put("version", via[(i + thread + 1) % 2].ok("job_show", new JsonObject().put("job_id", "race"))
                .getJsonObject("data").getLong("version"));
          }
          HttpTestClient.Reply r = node.http().post("/ruqi/job_modify", params);
          JsonObject body = r.json();
          Long version = body.getJsonObject("data") == null ? null : body.getJsonObject("data").getLong("version");
          edits.add(new Edit(thread, i, cmd, r.status(), body.getString("stat"), version, System.nanoTime()));
          if (thread == 1) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(100, 450));
          }
        }
      } catch (Throwable e) {
        errors.add(thread + ": " + e);
      }
    }

    private void watch() {
      int i = 0;
      while (racing.get()) {
        try {
          seenVersions.add(via[i++ % 2].ok("job_show", new JsonObject().put("job_id", "race"))
              .getJsonObject("data").getLong("version"));
          Thread.sleep(20);
        } catch (Throwable e) {
          errors.add("watcher: " + e);
          return;
        }
      }
    }
  }

  /** A job_modify of the race, as its caller saw it. */
  record Edit(int thread, int i, String cmd, int status, String stat, Long version, long doneNanos) {
  }

  /**
   * The edits' promises: each answered OK or 409 ERR_CONFLICT, none written on a version another got, the job left
   * with the last one written, versions never going back, and no fire on a refused edit's command.
   */
  private List<String> editProblems(List<Edit> all, JsonObject finalJob, List<Long> seenVersions) {
    List<String> problems = new ArrayList<>();
    List<Edit> oks = all.stream().filter(e -> e.status == 200).sorted(Comparator.comparingLong(Edit::version)).toList();
    if (all.size() != 80) {
      problems.add("expected 80 replies, got " + all.size());
    }
    all.stream().filter(e -> !(e.status == 200 && "OK".equals(e.stat))
            && !(e.status == 409 && "ERR_CONFLICT".equals(e.stat)))
        .forEach(e -> problems.add("a reply neither OK nor 409 ERR_CONFLICT: " + e));
    // no two edits were written on the same version: none overwrote another unseen
    Map<Long, List<Edit>> byVersion = oks.stream().collect(Collectors.groupingBy(Edit::version));
    byVersion.values().stream().filter(l -> l.size() > 1)
        .forEach(l -> problems.add("edits answered the same version: " + l));
    // the job ends with the command of the last edit written (highest version); never an older one
    Edit last = oks.get(oks.size() - 1);
    if (!finalJob.getString("cmd").equals(last.cmd)) {
      problems.add("final cmd " + finalJob.getString("cmd") + " is not that of the last edit written " + last);
    }
    Edit lastDone = oks.stream().max((x, y) -> Long.compare(x.doneNanos, y.doneNanos)).orElseThrow();
    System.out.printf("[%s] last OK by version %s; last OK by completion %s%n", testName, last, lastDone);
    if (finalJob.getLong("version") < last.version) {
      problems.add("final version " + finalJob.getLong("version") + " below an acknowledged one " + last);
    }
    for (int i = 1; i < seenVersions.size(); i++) {
      if (seenVersions.get(i) < seenVersions.get(i - 1)) {
        problems.add("the version went back from " + seenVersions.get(i - 1) + " to " + seenVersions.get(i));
      }
    }
    // a refused edit never took effect: no fire ran its command
    Set<String> refusedPaths = all.stream().filter(e -> e.status != 200).map(e -> pathOf(e.cmd))
        .collect(Collectors.toSet());
    sink.arrivals().stream().filter(x -> refusedPaths.contains(x.path))
        .forEach(x -> problems.add("a refused edit's cmd ran: " + x));
    FireSink.Arrival lastArrival = sink.arrivals().stream().max(Comparator.comparingLong(HaPairIT::fireMs))
        .orElseThrow();
    if (!lastArrival.path.equals(pathOf(last.cmd))) {
      problems.add("the last fire went to " + lastArrival.path + ", not to the final command " + last.cmd);
    }
    return problems;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 4. a node dies while running a fire; its peer records it interrupted when the lease ends

  @Test
  @Timeout(120)
  void a_dead_nodes_running_fire_becomes_interrupted_on_its_peer() throws Exception {
    int[] cluster = RuqiProcess.freePorts(2);
    Map<String, String> lease = Map.of("RUQI_SCHEDULER_LEASE", "3");
    HaNode a = node("node-a", cluster, 0, lease);
    HaNode b = node("node-b", cluster, 1, lease);
    nodeRunsALongFire(a);
    peerJoinsWithoutTakingIt(b);
    Instant killed = Instant.now();
    a.kill9();
    long tookMs = peerRecordsItInterrupted(b, killed);
    FireLedger.Row row = theOnlyRowOnceTheFireIsReleased(b, "long");
    System.out.printf("[%s] node-b recorded %s %d ms after the kill%n", testName, row, tookMs);
    assertEquals("interrupted", row.status(), row.toString());
    assertEquals("node-b", row.node(), row.toString());
    assertTrue(row.output().contains("node-a"), "the row names the dead node: " + row.output());
    assertEquals("sleep 45", new HistoryTable(db, database).commands().get(row.jobId() + "@" + row.fireMs()));
  }

  /** A one-shot that runs for 45 s is in flight on node-a, alone. */
  private void nodeRunsALongFire(HaNode a) throws Exception {
    a.start();
    a.ok("job_add", job("long", "long", "date", "now", "sleep 45"));
    TestNode.eventually(15, "node-a runs the fire", () -> a.status().getInteger("in_flight") == 1);
  }

  /** node-b joins while node-a lives: the fire stays node-a's, with no row yet. */
  private void peerJoinsWithoutTakingIt(HaNode b) throws Exception {
    b.start();
    assertEquals(0, b.status().getInteger("in_flight"));
    assertEquals(List.of(), new HistoryTable(db, database).rows(), "no row while the fire runs");
  }

  /** After the kill, node-b writes the row once node-a's 3 s lease has ended, not before; answers how long. */
  private long peerRecordsItInterrupted(HaNode b, Instant killed) {
    TestNode.eventually(15, "node-b records the fire interrupted", () -> !new HistoryTable(db, database).rows()
        .isEmpty());
    long tookMs = ms(killed, Instant.now());
    assertTrue(tookMs >= 2_000, "not before the 3 s lease ended: " + tookMs + " ms");
    return tookMs;
  }

  /**
   * Once a one-shot's fire is released (its running row, the fence a second row would need, is gone) and the job
   * removed with its last row: the history's one row.
   */
  private FireLedger.Row theOnlyRowOnceTheFireIsReleased(HaNode via, String oneShot) {
    HistoryTable table = new HistoryTable(db, database);
    TestNode.eventually(15, "the fire released and its job removed", () -> table.running().isEmpty()
        && "ERR".equals(via.http().get("/ruqi/job_show?job_id=" + oneShot).stat()));
    List<FireLedger.Row> rows = table.rows();
    assertEquals(1, rows.size(), "one row: " + rows);
    return rows.get(0);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 5. change notices: over the clustered event bus at once; without it, through the database within read-ahead

  @Test
  @Timeout(180)
  void changes_reach_the_other_nodes_heap_at_once() throws Exception {
    int[] cluster = RuqiProcess.freePorts(2);
    Map<String, String> slow = Map.of("RUQI_SCHEDULER_READ_AHEAD", "120", "RUQI_SCHEDULER_POLL_INTERVAL", "60");
    HaNode a = node("node-a", cluster, 0, slow);
    HaNode b = node("node-b", cluster, 1, slow);
    a.start();
    b.start();
    // a node is ready before it has heard its peer: wait until each has, over the event bus that carries the notices
    TestNode.eventually(15, "each node counts two schedulers", () -> a.status().getInteger("schedulers") == 2
        && b.status().getInteger("schedulers") == 2);
    assertEquals(0, b.status().getInteger("heap_size"));
    long tookMs = -1;
    for (int attempt = 1; attempt <= 3 && tookMs < 0; attempt++) {
      String checkBefore = b.status().getString("check_time");
      Instant due = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
      Instant sent = Instant.now();
      a.ok("job_add", job("soon-" + attempt, "soon", "date", TIME.format(due.atOffset(ZoneOffset.UTC)), url("/soon")));
      TestNode.eventually(2, "node-b has the job added through node-a in its heap", () ->
          b.status().getInteger("heap_size") == 1);
      long took = ms(sent, Instant.now());
      if (b.status().getString("check_time").equals(checkBefore)) {
        tookMs = took;
      } else {
        System.out.printf("[%s] node-b happened to read the store meanwhile; again%n", testName);
      }
      a.ok("job_remove", new JsonObject().put("job_id", "soon-" + attempt));
      TestNode.eventually(2, "a removal through node-a leaves node-b's heap",
          () -> b.status().getInteger("heap_size") == 0);
    }
    assertTrue(tookMs >= 0, "node-b read the store at each try; the event bus was not shown");
    assertEquals(0, a.status().getInteger("heap_size"), "node-a's heap is empty again too");
    System.out.printf("[%s] clustered: in node-b's heap %d ms after the add through node-a%n", testName, tookMs);
    a.close();
    b.close();

    // control: no cluster; node-d learns of a job added through node-c only by reading the store ahead
    database = "ruqi_ha_" + DATABASES.incrementAndGet();
    storeUrl = db.createDatabase(database);
    Map<String, String> plain = Map.of("RUQI_CLUSTER_ENABLED", "false", "RUQI_SCHEDULER_READ_AHEAD", "4",
        "RUQI_SCHEDULER_POLL_INTERVAL", "1");
    int[] unused = RuqiProcess.freePorts(2);
    HaNode c = node("node-c", unused, 0, plain);
    HaNode d = node("node-d", unused, 1, plain);
    c.start();
    d.start();
    Instant due = Instant.now().plusSeconds(12).truncatedTo(ChronoUnit.SECONDS);
    c.ok("job_add", job("later", "later", "date", TIME.format(due.atOffset(ZoneOffset.UTC)), url("/later")));
    Instant[] seen = new Instant[1];
    TestNode.eventually(15, "node-d reads the job ahead of its time", () -> {
      if (d.status().getInteger("heap_size") == 1) {
        seen[0] = Instant.now();
        return true;
      }
      return false;
    });
    long ahead = Duration.between(seen[0], due).toMillis();
    System.out.printf("[%s] unclustered: node-d had the job in its heap %d ms before it was due%n", testName, ahead);
    // read-ahead is 4 s and the poll 1 s, so the job is in the heap 3-5 s before it is due; a node that only found
    // it at its time (no read-ahead) would be seen after it, a full second of slack is left for a slow machine; one
    // that learnt of it from node-c at once (no cluster here) would be seen about 12 s ahead
    assertTrue(ahead <= 5_500 && ahead >= 1_000, "read within the 4 s read-ahead (+1 s poll): " + ahead + " ms ahead");
    assertEquals("success", theOnlyRowOnceTheFireIsReleased(d, "later").status());
    assertEquals(1, sink.arrivals().size(), "the sink got one request: " + sink.arrivals());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // nodes

  /** A node of this test on the test's database; {@code cluster} holds every member's cluster port. */
  private HaNode node(String name, int[] cluster, int index, Map<String, String> extra) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()));
    env.put("RUQI_STORE_URL", storeUrl);
    env.put("RUQI_STORE_POOL_SIZE", "8");
    env.put("RUQI_NODE_NAME", name);
    env.put("RUQI_TIMEZONE", "UTC");
    // the REST codes: the event-bus API's status header is compared with the HTTP status (RuqiClientTest pins 200)
    env.put("RUQI_API_HTTP_STATUS", "rest");
    env.put("RUQI_CLUSTER_ENABLED", "true");
    env.put("RUQI_CLUSTER_HOST", "127.0.0.1");
    env.put("RUQI_CLUSTER_PORT", Integer.toString(cluster[index]));
    env.put("RUQI_CLUSTER_MEMBERS", "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1]);
    env.put("RUQI_CLUSTER_SECRET", CLUSTER_SECRET);
    env.putAll(extra);
    HaNode node = new HaNode(name, dir, env);
    nodes.add(node);
    return node;
  }


  private static JsonObject job(String id, String name, String trigger, String rule, String cmd) {
    return new JsonObject().put("job_id", id).put("job_name", name).put("job_trigger", trigger).put("rule", rule)
        .put("cmd", cmd).put("misfire_grace_time", 30).put("max_instances", 1);
  }

  /**
   * Until no node has a run in flight or a history row queued, and the history has stopped growing for 3 s.
   */
  private static void awaitQuiet(List<HaNode> live, String jobName, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long lastTotal = -1;
    long stableSince = System.nanoTime();
    String last = "";
    while (System.nanoTime() < deadline) {
      boolean idle = true;
      StringBuilder state = new StringBuilder();
      for (HaNode n : live) {
        JsonObject s = n.status();
        state.append(n.name).append(": in_flight ").append(s.getInteger("in_flight")).append(", history_queue ")
            .append(s.getInteger("history_queue")).append("; ");
        idle &= s.getInteger("in_flight") == 0 && s.getInteger("history_queue", 0) == 0;
      }
      long total = live.get(0).ok("job_history_list", new JsonObject().put("job_name", jobName).put("page_index", 1)
          .put("page_size", 1)).getJsonObject("data").getLong("total");
      if (total != lastTotal || !idle) {
        lastTotal = total;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 3_000_000_000L) {
        return;
      }
      last = state + "history rows " + total;
      Thread.sleep(250);
    }
    throw new AssertionError("not quiet within " + seconds + " s: " + last);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // the two counts: history rows and sink requests, held against each other by the ledger

  private String url(String path) {
    return sink.baseFor("pair") + "/now" + path;
  }

  private static long fireMs(FireSink.Arrival arrival) {
    String key = arrival.idempotencyKey;
    if (key == null || key.lastIndexOf('@') < 0) {
      throw new AssertionError("a sink request without an Idempotency-Key: " + arrival);
    }
    return Long.parseLong(key.substring(key.lastIndexOf('@') + 1));
  }

  /** The test database's history and running rows, the sink's deliveries, and the command each fire ran. */
  private FireLedger ledger() {
    HistoryTable table = new HistoryTable(db, database);
    Map<String, String> recorded = new TreeMap<>();
    table.commands().forEach((fire, cmd) -> recorded.put(fire, pathOf(cmd)));
    Map<String, String> delivered = new TreeMap<>();
    sink.arrivals().forEach(x -> delivered.putIfAbsent(x.idempotencyKey, x.path));
    return new FireLedger(new FireLedger.Settings(200, 10_000)).recorded(table.rows()).leftRunning(table.running())
        .delivered(sink.deliveries()).commands(recorded, delivered);
  }

  /** Start minus fire time of the successful runs, in ms, read from the table (the API shows whole seconds). */
  private String lateness(String jobName) {
    String out = db.sql("SELECT COUNT(*), ROUND(AVG(l)), MAX(l) FROM (SELECT TIMESTAMPDIFF(MICROSECOND, fire_time,"
        + " start_time) / 1000 AS l FROM `" + database + "`.ruqi_jobs_history WHERE job_name = '" + jobName
        + "' AND status = 'success') x").strip();
    String[] f = out.split("\t");
    return f.length == 3 ? "runs " + f[0] + ", mean " + f[1] + ", max " + f[2] : out;
  }

  private void report(List<String> problems, String summary, HaNode... nodes) {
    if (problems.isEmpty()) {
      return;
    }
    // the nodes' logs first and the problems last: a report that only keeps the tail of the output keeps them
    StringBuilder out = new StringBuilder();
    for (HaNode n : nodes) {
      out.append(n.logTail(40).lines().filter(Predicate.not(String::isBlank)).collect(Collectors.joining("\n")))
          .append('\n');
    }
    out.append(testName).append(": ").append(problems.size()).append(" problems\n").append(summary).append('\n');
    problems.stream().limit(60).forEach(p -> out.append("  ").append(p).append('\n'));
    System.out.print(out);
    fail(out.toString());
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static String pathOf(String url) {
    return url.replaceFirst("^https?://[^/]+", "");
  }

  private static long ms(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }
}
