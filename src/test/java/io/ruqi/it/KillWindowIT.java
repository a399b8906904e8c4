package io.ruqi.it;

import io.ruqi.testing.MariaDbServer;
import io.ruqi.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * How many fires a {@code kill -9} cuts, and what {@code delivery: at_least_once} saves of them. Two nodes of the
 * packaged jar on a private MariaDB take 25 one-shot HTTP fires a second (half of them at-least-once); one node is
 * killed and restarted every 8 s. Every fire is counted twice: by its history rows and by the sink's requests
 * (their {@code Idempotency-Key}). The figures per kill are printed; the test asserts what must hold whatever the
 * machine's load: no at-most-once fire reaches the sink twice, every at-least-once fire reaches it, and every fire
 * has a last row.
 */
class KillWindowIT {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final int FIRES_PER_SECOND = 25;
  /** Kills in a run: {@code -Dkill.window.kills=20} for a longer measurement. */
  private static final int KILLS = Integer.getInteger("kill.window.kills", 5);
  private static final long KILL_EVERY_MS = 8_000;

  private MariaDbServer db;
  private Vertx sinkVertx;
  private final List<HaNode> nodes = new ArrayList<>();

  /** Each request's Idempotency-Key and when it arrived (epoch ms). */
  record Hit(String key, long at) {
  }

  /** A history row straight from the table, times in epoch ms. */
  record DbRow(String jobId, String status, String node, long fireMs, int attempt) {
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
    if (sinkVertx != null) {
      TestNode.await(sinkVertx.close());
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Timeout(600)
  void a_kill_cuts_few_fires_and_at_least_once_fires_lose_none() throws Exception {
    db = MariaDbServer.start();
    String storeUrl = db.createDatabase("ruqi_kill");
    List<Hit> hits = new CopyOnWriteArrayList<>();
    sinkVertx = Vertx.vertx();
    HttpServer server = TestNode.await(sinkVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      hits.add(new Hit(req.getHeader("Idempotency-Key"), System.currentTimeMillis()));
      req.response().putHeader("content-type", "application/json").end("{\"stat\":\"OK\"}");
    })).listen(0, "127.0.0.1"));
    String sinkUrl = "http://127.0.0.1:" + server.actualPort();

    Path dir = Files.createDirectories(Path.of("target", "ha-it", "kill-window",
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())).toAbsolutePath());
    int[] cluster = {freePort(), freePort()};
    HaNode a = node("node-a", dir, storeUrl, cluster, 0);
    HaNode b = node("node-b", dir, storeUrl, cluster, 1);
    a.start();
    b.start();
    HaNode[] both = {a, b};

    Map<String, Boolean> atLeastOnce = new ConcurrentHashMap<>();
    AtomicBoolean feeding = new AtomicBoolean(true);
    List<String> addErrors = new CopyOnWriteArrayList<>();
    Thread feeder = new Thread(() -> {
      long next = System.currentTimeMillis();
      for (int i = 0; feeding.get(); i++) {
        String id = "os-" + i;
        boolean alo = i % 2 == 1;
        Instant at = Instant.now().plusSeconds(3);
        JsonObject job = new JsonObject().put("job_id", id).put("job_name", "kill").put("job_trigger", "date")
            .put("rule", DATE.format(at.atOffset(ZoneOffset.UTC))).put("cmd", sinkUrl + "/" + id);
        if (alo) {
          job.put("delivery", "at_least_once");
        }
        boolean added = false;
        for (int k = 0; k < 4 && !added; k++) {
          HaNode via = both[(i + k) % 2];
          try {
            added = via.alive() && "OK".equals(via.http().post("/ruqi/job_add", job).stat());
          } catch (RuntimeException e) {
            // the node was killed under the request: the other one takes it
          }
        }
        if (added) {
          atLeastOnce.put(id, alo);
        } else {
          addErrors.add(id);
        }
        next += 1000 / FIRES_PER_SECOND;
        long wait = next - System.currentTimeMillis();
        if (wait > 0) {
          TestNode.sleep(wait);
        }
      }
    }, "feeder");
    feeder.start();

    List<Long> kills = new ArrayList<>();
    TestNode.sleep(KILL_EVERY_MS);
    for (int k = 0; k < KILLS; k++) {
      HaNode victim = both[k % 2];
      long planned = System.currentTimeMillis() + KILL_EVERY_MS;
      kills.add(System.currentTimeMillis());
      victim.kill9();
      victim.start();
      TestNode.sleep(Math.max(0, planned - System.currentTimeMillis()));
    }
    feeding.set(false);
    feeder.join();
    int expected = atLeastOnce.size();
    // every fire has a row and none is left running (an at-least-once fire run again has a row per attempt)
    TestNode.eventually(120, "rows for each of " + expected + " fires, none running", () -> runningRows() == 0
        && rows().stream().map(DbRow::jobId).distinct().count() >= expected);

    List<DbRow> rows = rows();
    Map<String, List<Hit>> byKey = hits.stream().collect(Collectors.groupingBy(Hit::key));
    List<String> problems = new ArrayList<>();
    if (!addErrors.isEmpty()) {
      System.out.printf("[kill-window] %d adds failed on both nodes (not counted)%n", addErrors.size());
    }
    Map<String, List<DbRow>> rowsByJob = rows.stream().collect(Collectors.groupingBy(DbRow::jobId));
    for (Map.Entry<String, Boolean> e : atLeastOnce.entrySet()) {
      List<DbRow> mine = rowsByJob.getOrDefault(e.getKey(), List.of());
      String key = mine.isEmpty() ? null : e.getKey() + "@" + mine.get(0).fireMs();
      int sent = key == null ? 0 : byKey.getOrDefault(key, List.of()).size();
      if (e.getValue() && sent == 0) {
        problems.add("at-least-once fire " + e.getKey() + " never reached the sink: " + mine);
      }
      if (!e.getValue() && sent > 1) {
        problems.add("at-most-once fire " + e.getKey() + " reached the sink " + sent + " times: " + mine);
      }
      if (mine.isEmpty()) {
        problems.add(e.getKey() + " has no row");
      }
    }
    // per kill: the fires recorded interrupted, and of those the ones that never reached the sink (cut), with how
    // far each fire's time was from the kill
    for (long kill : kills) {
      List<String> cut = new ArrayList<>();
      int interrupted = 0;
      int rerun = 0;
      for (DbRow r : rows) {
        if (!r.status().equals("interrupted") || r.fireMs() < kill - 3_000 || r.fireMs() > kill + 1_000) {
          continue;
        }
        interrupted++;
        boolean alo = atLeastOnce.getOrDefault(r.jobId(), false);
        List<Hit> got = byKey.getOrDefault(r.jobId() + "@" + r.fireMs(), List.of());
        if (alo) {
          rerun++;
        }
        if (got.stream().noneMatch(h -> h.at() < kill + 200)) {
          cut.add((r.fireMs() - kill) + " ms" + (alo ? " (run again: " + got.size() + " hit)" : ""));
        }
      }
      System.out.printf("[kill-window] kill at %s: %d interrupted (%d at-least-once), %d never sent before the"
          + " kill: %s%n", Instant.ofEpochMilli(kill), interrupted, rerun, cut.size(), cut);
    }
    Map<String, Long> statuses = rows.stream().collect(Collectors.groupingBy(DbRow::status, TreeMap::new,
        Collectors.counting()));
    System.out.printf("[kill-window] %d fires, %d sink requests, rows %s%n", expected, hits.size(), statuses);
    if (!problems.isEmpty()) {
      throw new AssertionError(problems.size() + " problems:\n" + String.join("\n",
          problems.subList(0, Math.min(30, problems.size()))) + "\n" + a.logTail(40) + b.logTail(40));
    }
  }

  private HaNode node(String name, Path dir, String storeUrl, int[] cluster, int index) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("RUQI_HTTP_PORT", Integer.toString(freePort()));
    env.put("RUQI_STORE_URL", storeUrl);
    env.put("RUQI_STORE_POOL_SIZE", "8");
    env.put("RUQI_NODE_NAME", name);
    env.put("RUQI_TIMEZONE", "UTC");
    env.put("RUQI_CLUSTER_ENABLED", "true");
    env.put("RUQI_CLUSTER_SECRET", "test-cluster-secret-" + ProcessHandle.current().pid());
    env.put("RUQI_CLUSTER_HOST", "127.0.0.1");
    env.put("RUQI_CLUSTER_PORT", Integer.toString(cluster[index]));
    env.put("RUQI_CLUSTER_MEMBERS", "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1]);
    HaNode node = new HaNode(name, dir, env);
    nodes.add(node);
    return node;
  }

  private int runningRows() {
    String[] lines = db.sql("SELECT COUNT(*) FROM ruqi_kill.ruqi_running").strip().split("\n");
    return Integer.parseInt(lines[lines.length - 1].strip());
  }

  private List<DbRow> rows() {
    String out = db.sql("SET time_zone = '+00:00'; SELECT job_id, status, scheduler_name,"
        + " ROUND(UNIX_TIMESTAMP(fire_time) * 1000), attempt FROM ruqi_kill.ruqi_jobs_history");
    List<DbRow> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 5 && !f[0].equals("job_id")) {
        rows.add(new DbRow(f[0], f[1], f[2], Long.parseLong(f[3]), Integer.parseInt(f[4])));
      }
    }
    return rows;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
