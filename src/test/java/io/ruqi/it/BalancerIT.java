package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;
import io.ruqi.testing.MariaDbServer;
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
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's HA pair ({@code conf/ha/node-a.yaml}, {@code node-b.yaml}) behind the real HAProxy on the shipped
 * {@code conf/ha/haproxy.cfg}, as a client sees it: no read fails while a node is killed -9, and the balancer
 * sends calls to a node as soon as the node is ready.
 */
class BalancerIT {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static MariaDbServer db;

  private final List<AutoCloseable> running = new ArrayList<>();
  private Path dir;
  private String storeUrl;

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
    dir = Files.createDirectories(Path.of("target", "balancer-it", info.getTestMethod().orElseThrow().getName(),
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())).toAbsolutePath());
    storeUrl = db.createDatabase("ruqi_lb_" + DATABASES.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    for (AutoCloseable c : running) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("closing " + c + ": " + e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  @Test
  @Timeout(240)
  void no_read_fails_while_a_node_is_killed() throws Exception {
    Pair pair = pair();
    pair.a.start();
    pair.b.start();
    Haproxy lb = balancer(pair);
    awaitBothServing(lb);
    for (int k = 0; k < 3; k++) {
      HttpTestClient.Reply r = lb.http().post("/ruqi/job_add", job("lb-" + k));
      assertEquals(200, r.status(), r.toString());
    }

    List<Call> reads = List.of(
        Call.get("/ruqi/job_list"), Call.get("/ruqi/get_jobs?job_name=lb&page_index=1"),
        Call.post("/ruqi/job_show", new JsonObject().put("job_id", "lb-0")), Call.get("/ruqi/get_job?job_id=lb-1"),
        Call.get("/ruqi/scheduler_status"), Call.post("/ruqi/status", new JsonObject()),
        Call.post("/ruqi/job_history_list", new JsonObject().put("job_id", "lb-2")),
        Call.post("/ruqi/job_next_times", new JsonObject().put("job_trigger", "interval").put("rule", "1h")),
        Call.get("/ruqi/job_export?job_name=lb"), Call.get("/ruqi/audit_list?job_id=lb-0"));
    Outcomes readOutcomes = new Outcomes();
    Outcomes writeOutcomes = new Outcomes();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      int offset = t;
      clients.add(thread(() -> {
        for (int n = offset; !stop.get(); n++) {
          readOutcomes.record(reads.get(n % reads.size()).on(lb.http()), killedAt.get());
        }
      }));
    }
    // one writer: only a write in flight at the kill may be lost; new ones must reach the live node
    clients.add(thread(() -> {
      for (int n = 0; !stop.get(); n++) {
        writeOutcomes.record(Call.post("/ruqi/job_add", job("w-" + n)).on(lb.http()), killedAt.get());
        pause(100);
      }
    }));

    awaitCount(readOutcomes, 60, "60 reads through the balancer before the kill");
    killedAt.set(System.nanoTime());
    pair.a.kill9();
    long afterKill = readOutcomes.total.get();
    // past HAProxy's judgement of the dead node (its log says so), and at least 100 reads after the kill
    io.ruqi.testing.TestNode.eventually(30, "HAProxy takes node-a out", () -> lb.logText().contains("/node-a is DOWN"));
    awaitCount(readOutcomes, afterKill + 100, "100 reads after the kill");
    stop.set(true);
    for (Thread c : clients) {
      c.join(60_000);
    }

    System.out.printf("[lb] reads: %d (%d after the kill), failed: %s%n", readOutcomes.total.get(),
        readOutcomes.afterKill.get(), readOutcomes.failures);
    System.out.printf("[lb] writes: %d, failed: %s%n", writeOutcomes.total.get(), writeOutcomes.failures);
    assertTrue(readOutcomes.failures.isEmpty(), "no read may fail: " + readOutcomes.failures + "\n" + lb.logText());
    assertTrue(writeOutcomes.failures.size() <= 1,
        "only the write in flight at the kill may fail: " + writeOutcomes.failures + "\n" + lb.logText());
    JsonObject status = lb.http().get("/ruqi/scheduler_status").json().getJsonObject("data");
    assertEquals("node-b", status.getString("node"), "the live node serves");
  }

  @Test
  @Timeout(240)
  void the_balancer_serves_as_soon_as_a_node_is_ready() throws Exception {
    Pair pair = pair();
    // as the README starts them: the two nodes and HAProxy at once
    pair.a.launch();
    pair.b.launch();
    Haproxy lb = balancer(pair);
    Probe readyA = Probe.start(pair.a.http(), "/ready");
    Probe readyB = Probe.start(pair.b.http(), "/ready");
    Probe servesA = Probe.start(pair.a.http(), "/ruqi/job_list");
    Probe servesB = Probe.start(pair.b.http(), "/ruqi/job_list");
    Probe balanced = Probe.start(lb.http(), "/ruqi/job_list");
    List<Probe> probes = List.of(readyA, readyB, servesA, servesB, balanced);
    running.addAll(probes);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (probes.stream().anyMatch(p -> p.firstOk.get() == 0)) {
      if (System.nanoTime() > deadline || !pair.a.alive() || !pair.b.alive()) {
        throw new AssertionError("not all up within 120 s: " + probes + "\n" + pair.a.logTail()
            + pair.b.logTail() + lb.logText());
      }
      pause(50);
    }
    long launched = readyA.started;
    System.out.printf("[lb] from launch: node-a serves %d ms, ready %d ms; node-b serves %d ms, ready %d ms;"
            + " the balancer serves %d ms%n", servesA.since(launched), readyA.since(launched),
        servesB.since(launched), readyB.since(launched), balanced.since(launched));
    long firstReady = Math.min(readyA.firstOk.get(), readyB.firstOk.get());
    // a node is ready once it can serve: between its API's first answer and its /ready's there is only the
    // scheduler's start (its lease row, a look for fires left running), not a wait
    assertTrue(readyA.firstOk.get() - servesA.firstOk.get() < 5_000_000_000L, "node-a: " + readyA + " " + servesA);
    assertTrue(readyB.firstOk.get() - servesB.firstOk.get() < 5_000_000_000L, "node-b: " + readyB + " " + servesB);
    // the balancer takes a ready node in within a few of its checks (250 ms apart while a node is down)
    assertTrue(balanced.firstOk.get() - firstReady < 2_000_000_000L,
        "the balancer served " + (balanced.firstOk.get() - firstReady) / 1_000_000 + " ms after the first node was"
            + " ready\n" + lb.logText());
  }

  // ---------------------------------------------------------------------------------------------------------------

  private record Pair(Node a, Node b) {
  }

  /**
   * A node of the README's pair: the jar started with {@code --conf conf/ha/node-?.yaml}, this test's ports and
   * database in its environment.
   */
  private final class Node implements AutoCloseable {
    final String name;
    private final Map<String, String> env;
    private Process process;
    private Path log;

    Node(String name, Map<String, String> env) {
      this.name = name;
      this.env = env;
    }

    /** Starts the process and returns at once. */
    Node launch() throws IOException {
      log = Files.createTempFile(dir, name + "-", ".log");
      process = RuqiProcess.launch(dir, env, log, "--conf",
          Path.of("conf", "ha", name + ".yaml").toAbsolutePath().toString());
      return this;
    }

    /** Starts the process and waits until its {@code /ready} answers 200. */
    Node start() throws Exception {
      launch();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!ready()) {
        if (System.nanoTime() > deadline || !alive()) {
          throw new IllegalStateException(name + " not ready within 60 s\n" + logTail());
        }
        Thread.sleep(100);
      }
      return this;
    }

    private boolean ready() {
      try {
        return http().get("/ready").status() == 200;
      } catch (RuntimeException notListening) {
        return false;
      }
    }

    int port() {
      return Integer.parseInt(env.get("RUQI_HTTP_PORT"));
    }

    HttpTestClient http() {
      return new HttpTestClient(port());
    }

    boolean alive() {
      return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, nothing. */
    void kill9() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    String logTail() {
      try {
        List<String> all = Files.readAllLines(log);
        return "--- " + name + " (" + log + ")\n" + String.join("\n", all.subList(Math.max(0, all.size() - 40),
            all.size())) + "\n";
      } catch (IOException e) {
        return "(no log of " + name + ": " + e + ")\n";
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (alive()) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          kill9();
        }
      }
    }
  }

  /** The README's two nodes: the shipped node files, with this test's ports and database. */
  private Pair pair() throws IOException {
    int[] cluster = {RuqiProcess.freePort(), RuqiProcess.freePort()};
    String members = "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1];
    String secret = "balancer-it-" + Long.toHexString(System.nanoTime()) + "-secret";
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String name = i == 0 ? "node-a" : "node-b";
      Map<String, String> env = new HashMap<>();
      env.put("RUQI_HTTP_PORT", Integer.toString(RuqiProcess.freePort()));
      env.put("RUQI_STORE_URL", storeUrl);
      env.put("RUQI_CLUSTER_PORT", Integer.toString(cluster[i]));
      env.put("RUQI_CLUSTER_MEMBERS", members);
      env.put("RUQI_CLUSTER_SECRET", secret);
      env.put("RUQI_TIMEZONE", "UTC");
      Node node = new Node(name, env);
      running.add(node);
      nodes.add(node);
    }
    return new Pair(nodes.get(0), nodes.get(1));
  }

  private Haproxy balancer(Pair pair) throws IOException {
    Haproxy lb = Haproxy.start(dir, RuqiProcess.freePort(), pair.a.port(), pair.b.port());
    running.add(lb);
    return lb;
  }

  /** Until calls through the balancer have been answered by both nodes. */
  private static void awaitBothServing(Haproxy lb) {
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (seen.size() < 2) {
      if (System.nanoTime() > deadline || !lb.alive()) {
        throw new AssertionError("the balancer did not reach both nodes within 60 s (saw " + seen + ")\n"
            + lb.logText());
      }
      try {
        HttpTestClient.Reply r = lb.http().get("/ruqi/scheduler_status");
        if (r.status() == 200) {
          seen.add(r.json().getJsonObject("data").getString("node"));
        }
      } catch (RuntimeException notYet) {
        // HAProxy not listening yet
      }
      pause(50);
    }
  }

  private static JsonObject job(String id) {
    return new JsonObject().put("job_id", id).put("job_name", "lb").put("job_trigger", "cron")
        .put("rule", "0 0 3 1 1 *").put("cmd", "true");
  }

  private static void awaitCount(Outcomes outcomes, long count, String what) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (outcomes.total.get() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 120 s: " + what + " (" + outcomes.total.get() + ")");
      }
      pause(20);
    }
  }

  private static Thread thread(Runnable body) {
    Thread t = new Thread(body, "balancer-it-client");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One API call as a RuQi client makes it: GET with a query, or POST with a JSON body. */
  private record Call(String method, String path, JsonObject body) {
    static Call get(String pathAndQuery) {
      return new Call("GET", pathAndQuery, null);
    }

    static Call post(String path, JsonObject body) {
      return new Call("POST", path, body);
    }

    /** "200" or what went wrong, in one line. */
    String on(HttpTestClient client) {
      try {
        HttpTestClient.Reply r = body == null ? client.get(path) : client.post(path, body);
        if (r.status() == 200 && "OK".equals(r.stat())) {
          return "200";
        }
        return method + " " + path + " -> " + r.status() + " " + r.text().replaceAll("\\s+", " ");
      } catch (RuntimeException e) {
        return method + " " + path + " -> " + e.getMessage();
      }
    }
  }

  private static final class Outcomes {
    final AtomicLong total = new AtomicLong();
    final AtomicLong afterKill = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    void record(String outcome, long killedAt) {
      total.incrementAndGet();
      if (System.nanoTime() > killedAt) {
        afterKill.incrementAndGet();
      }
      if (!outcome.equals("200")) {
        failures.add(outcome);
      }
    }
  }

  /** Polls one URL every 50 ms from its own thread and remembers when it first answered 200. */
  private static final class Probe implements AutoCloseable {
    final long started = System.nanoTime();
    final AtomicLong firstOk = new AtomicLong();
    private final String path;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    private Probe(HttpTestClient client, String path) {
      this.path = path;
      this.thread = thread(() -> {
        while (!stop.get() && firstOk.get() == 0) {
          try {
            if (client.get(path).status() == 200) {
              firstOk.compareAndSet(0, System.nanoTime());
            }
          } catch (RuntimeException notYet) {
            // not listening yet
          }
          pause(50);
        }
      });
    }

    static Probe start(HttpTestClient client, String path) {
      return new Probe(client, path);
    }

    long since(long t0) {
      return (firstOk.get() - t0) / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
    }

    @Override
    public String toString() {
      return path + (firstOk.get() == 0 ? " not yet" : " ok at +" + since(started) + " ms");
    }
  }
}
