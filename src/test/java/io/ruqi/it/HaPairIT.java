package io.ruqi.it;

import io.ruqi.testing.HttpSink;
import io.ruqi.testing.HttpTestClient;
import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.TestNode;
import io.vertx.core.json.JsonArray;
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
 * <p>Fires are counted twice, independently: by the history ({@code job_history_list}) and by a real HTTP sink that
 * records every request's {@code Idempotency-Key} ({@code <job_id>@<fire epoch ms>}). All nodes run in UTC.
 */
class HaPairIT {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String CLUSTER_SECRET = "ha-pair-it-" + Long.toHexString(System.nanoTime());

  private static MariaDbServer db;

  private final List<HaNode> nodes = new ArrayList<>();
  private HttpSink sink;
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
    sink = new HttpSink();
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
    HaNode[] via = {a, b};
    String name = "race";
    Instant added = Instant.now();
    a.ok("job_add", job("race", name, "interval", "1s", sink.url("/race-init")));
    TestNode.eventually(10, "the job fires", () -> !hits().isEmpty());

    record Edit(int thread, int i, String cmd, int status, String stat, Long version, long doneNanos) {
    }
    ConcurrentLinkedQueue<Edit> edits = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    List<Long> seenVersions = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean racing = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int thread = t;
      threads.add(new Thread(() -> {
        try {
          for (int i = 0; i < 40; i++) {
            HaNode node = via[(i + thread) % 2];
            if (thread == 0 && i % 2 == 0) {
              // aim at the claim: a few ms before the job's next fire (an interval job fires on a fixed ms grid)
              long phase = Math.floorMod(hits().get(0).fireMs, 1000);
              long nowMs = System.currentTimeMillis();
              long nextFire = nowMs - Math.floorMod(nowMs - phase, 1000) + 1000;
              Thread.sleep(Math.max(0, nextFire - nowMs - ThreadLocalRandom.current().nextLong(0, 25)));
            }
            String cmd = sink.url("/race-" + thread + "-" + i);
            JsonObject params = new JsonObject().put("job_id", "race").put("cmd", cmd);
            if (thread == 1) {
              // the second thread names the version it read (through the other node): it may get a conflict
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
      }, "modify-" + t));
    }
    Thread watcher = new Thread(() -> {
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
    }, "version-watcher");
    Instant raceStart = Instant.now();
    threads.forEach(Thread::start);
    watcher.start();
    for (Thread t : threads) {
      t.join(120_000);
    }
    Instant raceEnd = Instant.now();
    racing.set(false);
    watcher.join(10_000);
    assertTrue(errors.isEmpty(), "errors: " + errors);

    // a few more fires on the final command, then stop
    Thread.sleep(3_000);
    System.out.printf("[%s] lateness of the runs (ms): %s%n", testName, lateness(name));
    JsonObject finalJob = b.ok("job_pause", new JsonObject().put("job_id", "race")).getJsonObject("data");
    awaitQuiet(List.of(a, b), name, 30);

    List<Row> rows = history(a, name);
    List<Hit> hits = hits();
    String summary = summary(rows, hits);
    List<Edit> all = new ArrayList<>(edits);
    List<Edit> oks = all.stream().filter(e -> e.status == 200).sorted((x, y) -> Long.compare(x.version, y.version)).toList();
    Map<String, Long> outcomes = all.stream().collect(Collectors.groupingBy(e -> e.status + " " + e.stat,
        TreeMap::new, Collectors.counting()));
    System.out.printf("[%s] %d modifies in %d ms: %s; %d fires during the race; %s%n", testName, all.size(),
        ms(raceStart, raceEnd), outcomes, rows.stream().filter(r -> !r.fire.isBefore(raceStart)
            && !r.fire.isAfter(raceEnd)).count(), summary);

    List<String> problems = new ArrayList<>();
    if (all.size() != 80) {
      problems.add("expected 80 replies, got " + all.size());
    }
    all.stream().filter(e -> !(e.status == 200 && "OK".equals(e.stat)) && !(e.status == 409 && "ERR_CONFLICT".equals(e.stat)))
        .forEach(e -> problems.add("a reply neither OK nor 409 ERR_CONFLICT: " + e));
    // no two edits were written on the same version: none overwrote another unseen
    Map<Long, List<Edit>> byVersion = oks.stream().collect(Collectors.groupingBy(Edit::version));
    byVersion.values().stream().filter(l -> l.size() > 1).forEach(l -> problems.add("edits answered the same version: " + l));
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
    Set<String> refusedPaths = all.stream().filter(e -> e.status != 200).map(e -> pathOf(e.cmd)).collect(Collectors.toSet());
    hits.stream().filter(h -> refusedPaths.contains(h.path)).forEach(h -> problems.add("a refused edit's cmd ran: " + h));
    // each fire ran once, none was lost to a lost claim, and the history names the command that ran
    problems.addAll(duplicateKeys(hits));
    problems.addAll(duplicateRows(rows));
    problems.addAll(successMatchesSink(rows, hits));
    problems.addAll(contiguous("race", rows, added, new Instant[] {raceEnd.plusSeconds(3), Instant.now()}));
    problems.addAll(notRun(rows, "not a success", "success"));
    Map<String, String> pathByFire = new HashMap<>();
    hits.forEach(h -> pathByFire.put(h.fireKey(), h.path));
    for (Row r : rows) {
      String ran = pathByFire.get(r.fireKey());
      if (ran != null && !pathOf(r.cmd).equals(ran)) {
        problems.add("history says " + r.cmd + " but the sink got " + ran + " for " + r);
      }
    }
    Hit lastHit = hits.stream().max((x, y) -> Long.compare(x.fireMs, y.fireMs)).orElseThrow();
    if (!lastHit.path.equals(pathOf(last.cmd))) {
      problems.add("the last fire went to " + lastHit.path + ", not to the final command " + last.cmd);
    }
    report(problems, summary, a, b);
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
    a.start();
    a.ok("job_add", job("long", "long", "date", "now", "sleep 45"));
    TestNode.eventually(15, "node-a runs the fire", () -> a.status().getInteger("in_flight") == 1);
    b.start();
    assertEquals(0, b.status().getInteger("in_flight"));
    assertEquals(0, history(b, "long").size(), "no row while the fire runs");
    Instant killAt = Instant.now();
    a.kill9();
    TestNode.eventually(15, "node-b records the fire interrupted", () -> !history(b, "long").isEmpty());
    long tookMs = ms(killAt, Instant.now());
    Thread.sleep(4_000); // another lease: the row is written once
    List<Row> rows = history(b, "long");
    System.out.printf("[%s] node-b recorded %s %d ms after the kill%n", testName, rows, tookMs);
    assertEquals(1, rows.size(), "one row: " + rows);
    Row row = rows.get(0);
    assertEquals("interrupted", row.status, row.toString());
    assertEquals("node-b", row.node, row.toString());
    assertEquals("sleep 45", row.cmd, row.toString());
    assertTrue(row.output.contains("node-a"), "the row names the dead node: " + row.output);
    assertTrue(tookMs >= 2_000, "not before the 3 s lease ended: " + tookMs + " ms");
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
    assertEquals(0, b.status().getInteger("heap_size"));
    long tookMs = -1;
    for (int attempt = 1; attempt <= 3 && tookMs < 0; attempt++) {
      String checkBefore = b.status().getString("check_time");
      Instant due = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
      Instant sent = Instant.now();
      a.ok("job_add", job("soon-" + attempt, "soon", "date", TIME.format(due.atOffset(ZoneOffset.UTC)), sink.url("/soon")));
      TestNode.eventually(2, "node-b has the job added through node-a in its heap", () ->
          b.status().getInteger("heap_size") == 1);
      long took = ms(sent, Instant.now());
      if (b.status().getString("check_time").equals(checkBefore)) {
        tookMs = took;
      } else {
        System.out.printf("[%s] node-b happened to read the store meanwhile; again%n", testName);
      }
      a.ok("job_remove", new JsonObject().put("job_id", "soon-" + attempt));
      TestNode.eventually(2, "a removal through node-a leaves node-b's heap", () -> b.status().getInteger("heap_size") == 0);
    }
    assertTrue(tookMs >= 0, "node-b read the store at each try; the event bus was not shown");
    assertEquals(0, a.status().getInteger("heap_size"), "node-a's heap is empty again too");
    System.out.printf("[%s] clustered: in node-b's heap %d ms after the add through node-a%n", testName, tookMs);
    a.close();
    b.close();

    // control: no cluster; node-d learns of a job added through node-c only by reading the store ahead
    storeUrl = db.createDatabase("ruqi_ha_" + DATABASES.incrementAndGet());
    Map<String, String> plain = Map.of("RUQI_CLUSTER_ENABLED", "false", "RUQI_SCHEDULER_READ_AHEAD", "4",
        "RUQI_SCHEDULER_POLL_INTERVAL", "1");
    int[] unused = RuqiProcess.freePorts(2);
    HaNode c = node("node-c", unused, 0, plain);
    HaNode d = node("node-d", unused, 1, plain);
    c.start();
    d.start();
    Instant due = Instant.now().plusSeconds(12).truncatedTo(ChronoUnit.SECONDS);
    c.ok("job_add", job("later", "later", "date", TIME.format(due.atOffset(ZoneOffset.UTC)), sink.url("/later")));
    Thread.sleep(1_500);
    assertEquals(0, d.status().getInteger("heap_size"), "without a cluster, node-d cannot know yet");
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
    // it at its time (no read-ahead) would be seen after it, a full second of slack is left for a slow machine
    assertTrue(ahead <= 5_500 && ahead >= 1_000, "read within the 4 s read-ahead (+1 s poll): " + ahead + " ms ahead");
    TestNode.eventually(15, "the job fired", () -> !history(d, "later").isEmpty());
    Thread.sleep(1_000);
    List<Row> rows = history(d, "later");
    assertEquals(1, rows.size(), "fired once: " + rows);
    assertEquals("success", rows.get(0).status);
    assertEquals(1, hits().size(), "the sink got one request: " + hits());
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
  // the two counts: history rows and sink requests

  record Row(String jobId, Instant fire, String status, String node, int attempt, Instant start, String cmd,
             String output) {
    String fireKey() {
      return jobId + "@" + fire.getEpochSecond();
    }

    @Override
    public String toString() {
      return jobId + "@" + fire + " " + status + " by " + node + " attempt " + attempt + " started " + start
          + (output == null || output.isEmpty() ? "" : " (" + output.substring(0, Math.min(120, output.length())) + ")");
    }
  }

  record Hit(String jobId, long fireMs, String path) {
    String key() {
      return jobId + "@" + fireMs;
    }

    /** Whole seconds, as the history shows fire times. */
    String fireKey() {
      return jobId + "@" + Math.floorDiv(fireMs, 1000);
    }
  }

  /** Every row, page by page: a reply carries at most api.max_page_size (1,000) rows. */
  private static List<Row> history(HaNode via, String jobName) {
    List<Row> rows = new ArrayList<>();
    for (int page = 1; ; page++) {
      HttpTestClient.Reply r = via.http().get("/ruqi/job_history_list?job_name=" + jobName + "&page_size=1000"
          + "&page_index=" + page);
      if (r.status() != 200) {
        throw new AssertionError(via.name + ": job_history_list answered " + r);
      }
      JsonArray list = r.json().getJsonObject("data").getJsonArray("list");
      for (int i = 0; i < list.size(); i++) {
        JsonObject o = list.getJsonObject(i);
        rows.add(new Row(o.getString("job_id"), time(o.getString("fire_time")), o.getString("status"),
            o.getString("scheduler_name"), o.getInteger("attempt"), time(o.getString("start_time")),
            o.getString("cmd"), o.getString("cmd_output")));
      }
      if (list.size() < 1000) {
        return rows;
      }
    }
  }

  private List<Hit> hits() {
    List<Hit> hits = new ArrayList<>();
    for (HttpSink.Request r : sink.requests) {
      String key = r.headers().getString("idempotency-key");
      int at = key == null ? -1 : key.lastIndexOf('@');
      if (at < 0) {
        throw new AssertionError("a sink request without an Idempotency-Key: " + r);
      }
      hits.add(new Hit(key.substring(0, at), Long.parseLong(key.substring(at + 1)), r.path()));
    }
    return hits;
  }

  private static Instant time(String text) {
    return text == null ? null : LocalDateTime.parse(text, TIME).toInstant(ZoneOffset.UTC);
  }

  private static List<Row> rowsOf(List<Row> rows, String jobId) {
    return rows.stream().filter(r -> r.jobId.equals(jobId)).sorted((x, y) -> x.fire.compareTo(y.fire)).toList();
  }

  private static List<String> duplicateKeys(List<Hit> hits) {
    Map<String, Long> counts = hits.stream().collect(Collectors.groupingBy(Hit::key, Collectors.counting()));
    return counts.entrySet().stream().filter(e -> e.getValue() > 1).sorted(Map.Entry.comparingByKey())
        .map(e -> "the sink got " + e.getKey() + " " + e.getValue() + " times").toList();
  }

  private static List<String> duplicateRows(List<Row> rows) {
    Map<String, List<Row>> by = rows.stream().collect(Collectors.groupingBy(r -> r.fireKey() + "#" + r.attempt));
    return by.values().stream().filter(l -> l.size() > 1).map(l -> "rows for one fire: " + l).sorted().toList();
  }

  /**
   * Every success row has its sink request and every sink request its success row, fire by fire; a request whose
   * fire ended otherwise is allowed only for the given statuses (a run cut off after its request was sent).
   */
  private static List<String> successMatchesSink(List<Row> rows, List<Hit> hits, String... alsoSent) {
    Set<String> success = rows.stream().filter(r -> r.status.equals("success")).map(Row::fireKey).collect(Collectors.toSet());
    Set<String> other = rows.stream().filter(r -> Set.of(alsoSent).contains(r.status)).map(Row::fireKey)
        .collect(Collectors.toSet());
    Set<String> sent = hits.stream().map(Hit::fireKey).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    success.stream().filter(k -> !sent.contains(k)).sorted()
        .forEach(k -> problems.add("a success row without a sink request: " + k));
    sent.stream().filter(k -> !success.contains(k) && !other.contains(k)).sorted()
        .forEach(k -> problems.add("a sink request without a success row: " + k));
    return problems;
  }

  /**
   * The fires of a 1-second job: one row for every second from its first fire to its last, the first within 2 s
   * of the add and the last within 2 s of the pause ({@code pause[0]} sent, {@code pause[1]} answered), or as much
   * more as the last run started late.
   */
  private static List<String> contiguous(String jobId, List<Row> rows, Instant added, Instant[] pause) {
    List<Row> mine = rowsOf(rows, jobId).stream().filter(r -> r.attempt == 1).toList();
    List<String> problems = new ArrayList<>();
    if (mine.isEmpty()) {
      return List.of(jobId + ": no rows at all");
    }
    Instant first = mine.get(0).fire;
    Instant last = mine.get(mine.size() - 1).fire;
    if (first.isAfter(added.plusSeconds(2))) {
      problems.add(jobId + ": first fire " + first + " is late for an add at " + added);
    }
    // a job running behind (a slow job whose run was cut off by the kill waits for the lease, then works through
    // its backlog one run at a time) has its last fire as far before the pause as it was late
    Row lastRow = mine.get(mine.size() - 1);
    Duration behind = lastRow.start == null || lastRow.start.isBefore(last) ? Duration.ZERO
        : Duration.between(last, lastRow.start);
    if (last.isBefore(pause[0].minusSeconds(2).minus(behind)) || last.isAfter(pause[1].plusSeconds(1))) {
      problems.add(jobId + ": last fire " + last + " does not meet the pause at " + pause[0] + ".." + pause[1]);
    }
    List<String> gaps = new ArrayList<>();
    for (int i = 1; i < mine.size(); i++) {
      long step = Duration.between(mine.get(i - 1).fire, mine.get(i).fire).toSeconds();
      if (step != 1) {
        gaps.add(mine.get(i - 1).fire + " -> " + mine.get(i).fire);
      }
    }
    if (!gaps.isEmpty()) {
      problems.add(jobId + ": fire times not 1 s apart (" + gaps.size() + "): " + gaps.subList(0, Math.min(5, gaps.size())));
    }
    return problems;
  }

  /** Start minus fire time of the successful runs, in ms, read from the table (the API shows whole seconds). */
  private String lateness(String jobName) {
    String out = db.sql("SELECT COUNT(*), ROUND(AVG(l)), MAX(l) FROM (SELECT TIMESTAMPDIFF(MICROSECOND, fire_time,"
        + " start_time) / 1000 AS l FROM `" + database + "`.ruqi_jobs_history WHERE job_name = '" + jobName
        + "' AND status = 'success') x").strip();
    String[] f = out.split("\t");
    return f.length == 3 ? "runs " + f[0] + ", mean " + f[1] + ", max " + f[2] : out;
  }

  /** One line per job whose rows have another status than {@code ok}: how many, which fires, the first in full. */
  private static List<String> notRun(List<Row> rows, String what, String... ok) {
    Map<String, List<Row>> bad = rows.stream().filter(r -> !Set.of(ok).contains(r.status))
        .sorted((x, y) -> x.fire.compareTo(y.fire))
        .collect(Collectors.groupingBy(Row::jobId, TreeMap::new, Collectors.toList()));
    List<String> out = new ArrayList<>();
    bad.forEach((job, list) -> out.add(what + ": " + job + " " + list.size() + " fires "
        + list.stream().collect(Collectors.groupingBy(Row::status, TreeMap::new, Collectors.counting())) + " from "
        + list.get(0).fire + " to " + list.get(list.size() - 1).fire + "; first: " + list.get(0)
        + whySkipped(list.get(0), rows)));
    return out;
  }

  /** What the row before a skipped one says: the run that max_instances counted. */
  private static String whySkipped(Row r, List<Row> rows) {
    if (!r.status.equals("skipped")) {
      return "";
    }
    Row before = null;
    for (Row o : rowsOf(rows, r.jobId)) {
      if (o.fire.isBefore(r.fire) && !o.status.equals("skipped")) {
        before = o;
      }
    }
    return before == null ? "" : "; the run it waited for: " + before.fire + " " + before.status + " by " + before.node;
  }

  private static String summary(List<Row> rows, List<Hit> hits) {
    Map<String, Long> byStatus = rows.stream().collect(Collectors.groupingBy(Row::status, TreeMap::new, Collectors.counting()));
    Map<String, Long> byNode = rows.stream().collect(Collectors.groupingBy(r -> r.node + "/" + r.status, TreeMap::new,
        Collectors.counting()));
    return "history rows " + rows.size() + " " + byStatus + ", per node " + byNode + "; sink requests " + hits.size()
        + " (" + hits.stream().map(Hit::key).distinct().count() + " distinct keys)";
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
