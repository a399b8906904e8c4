package io.ruqi.bench;

import io.ruqi.progress.Progress;
import io.ruqi.testing.MariaDbServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ruqi's benchmark: {@code bash scripts/bench.sh [scenario...] [--configs=embedded,mariadb,pair] [--quick] [--jfr]}.
 *
 * <p>Scenarios: {@code drain lateness add processes} (the default), {@code drain-large} (the drain of 50,000 alone)
 * and {@code scale} (opt-in: 1,000,000 jobs, a few minutes). Configurations: {@code embedded} (SQLite file, one node),
 * {@code mariadb} (one node), {@code pair} (two nodes on one MariaDB). MariaDB is a private mariadbd with its durable
 * defaults (see MariaDbServer) and MariaDB's default buffer pool and redo log. Prints a table and writes
 * {@code bench/results.json}.
 */
public final class Benchmark {
  record Settings(Path runDir, Path jar, Path logback, boolean jfr, boolean quick, int mariadbPool, int h2Pool,
                  int httpBase, Map<String, String> nodeEnv, long warmMs) {
  }

  private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

  private Benchmark() {
  }

  static void track(Process p) {
    PROCESSES.add(p);
  }

  static void untrack(Process p) {
    PROCESSES.remove(p);
  }

  static void log(String format, Object... args) {
    System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + String.format(format, args));
    System.out.flush();
  }

  /**
   * How far a long step is (jobs stored, fires recorded): a bar on stderr when the benchmark runs on a terminal,
   * else a log line every 10 s.
   */
  static Progress progress(String what, String unit, long total) {
    return Progress.of(what, unit, total, Clock.systemUTC(), line -> log("%s", line));
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("spawn")) {
      SpawnRate.run(List.of(args).subList(1, args.length)); // this JVM alone, no node: see SpawnRate
      return;
    }
    if (args.length > 0 && args[0].equals("replay")) {
      StoreReplay.run(List.of(args).subList(1, args.length)); // the embedded store's statements alone, no node
      return;
    }
    Set<String> scenarios = new LinkedHashSet<>();
    List<String> configs = new ArrayList<>(List.of("embedded", "mariadb", "pair"));
    boolean jfr = false;
    boolean quick = false;
    int pool = 8;
    int h2Pool = 4;
    Path out = Path.of("bench/results.json");
    int httpBase = 18_585;
    long warmS = 60;
    Map<String, String> nodeEnv = new LinkedHashMap<>();
    for (String a : args) {
      if (a.startsWith("--configs=")) {
        configs = List.of(a.substring("--configs=".length()).split(","));
      } else if (a.equals("--jfr")) {
        jfr = true;
      } else if (a.equals("--quick")) {
        quick = true;
      } else if (a.startsWith("--pool=")) {
        pool = Integer.parseInt(a.substring("--pool=".length()));
      } else if (a.startsWith("--h2-pool=")) {
        h2Pool = Integer.parseInt(a.substring("--h2-pool=".length()));
      } else if (a.startsWith("--set=") && a.indexOf('=', 6) > 6) {
        // a node setting for an experiment, e.g. --set=RUQI_SCHEDULER_CLAIM_AHEAD=0
        String kv = a.substring("--set=".length());
        nodeEnv.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      } else if (a.startsWith("--http-base=")) {
        // another benchmark on this machine may hold the default ports: its node would answer our /ready
        httpBase = Integer.parseInt(a.substring("--http-base=".length()));
      } else if (a.startsWith("--warm-s=")) {
        warmS = Long.parseLong(a.substring("--warm-s=".length()));
      } else if (a.startsWith("--out=")) {
        out = Path.of(a.substring("--out=".length()));
      } else if (List.of("drain", "drain-large", "lateness", "add", "processes", "scale", "all").contains(a)) {
        scenarios.add(a);
      } else {
        System.err.println("unknown argument: " + a);
        System.err.println("usage: bash scripts/bench.sh [drain] [drain-large] [lateness] [add] [processes] [scale]"
            + " [all] [--configs=embedded,mariadb,pair] [--quick] [--jfr] [--pool=N] [--h2-pool=N] [--set=RUQI_KEY=VALUE]"
            + " [--http-base=PORT] [--warm-s=SECONDS] [--out=FILE]");
        System.exit(2);
      }
    }
    if (scenarios.isEmpty()) {
      scenarios.addAll(List.of("drain", "lateness", "add", "processes"));
    }
    if (scenarios.remove("all")) {
      scenarios.addAll(List.of("drain", "lateness", "add", "processes", "scale"));
    }
    Path jar = Path.of("target/ruqi.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build the jar first (mvn package -DskipTests): " + jar);
    }
    Settings settings = new Settings(Path.of("target/bench-run").toAbsolutePath(), jar,
        Path.of("src/bench/resources/bench-logback.xml").toAbsolutePath(), jfr, quick, pool, h2Pool, httpBase,
        Map.copyOf(nodeEnv), quick ? warmS * 100 : warmS * 1000);
    Runtime.getRuntime().addShutdownHook(new Thread(Benchmark::killAll, "bench-cleanup"));

    JsonObject meta = new JsonObject()
        .put("command", "bash scripts/bench.sh " + String.join(" ", args))
        .put("started", Instant.now().toString())
        .put("machine", machine())
        .put("settings", new JsonObject().put("scenarios", new JsonArray(List.copyOf(scenarios)))
            .put("configs", new JsonArray(configs)).put("quick", quick).put("jfr", jfr)
            .put("warm_up_ms", settings.warmMs())
            .put("mariadb_pool_size", pool).put("h2_pool_size", h2Pool)
            .put("node_env", "RUQI_JOBS_MISFIRE_GRACE_TIME=600, RUQI_TIMEZONE=UTC, RUQI_STORE_POOL_SIZE=" + pool
                + " (MariaDB) / " + h2Pool + " (embedded), clustered with the benchmark JVM (event-bus target)"
                + (nodeEnv.isEmpty() ? "" : "; set: " + nodeEnv))
            .put("node_logging", "src/bench/resources/bench-logback.xml: io.ruqi.fire at WARN (no per-fire line)"));
    Report report = new Report(meta);
    MariaDbServer mariadb = null;
    long t0 = System.currentTimeMillis();
    try {
      if (configs.stream().anyMatch(c -> !c.equals("embedded"))) {
        log("starting a private MariaDB");
        mariadb = MariaDbServer.start();
        // MariaDB's own defaults (a packaged server's, as Debian's here), not the halves the tests' private servers
        // take to run many at once: a drain of 50,000 writes ~150 MB of redo, and with a 32 MB log InnoDB flushed
        // pages all along to make room (the pair's drain 6.2 s of MariaDB's CPU with it, 5.5 s without)
        mariadb.sql("SET GLOBAL innodb_buffer_pool_size = " + (128 << 20) + "; SET GLOBAL innodb_log_file_size = "
            + (96 << 20));
        meta.getJsonObject("machine").put("mariadb", mariadb.sql("SELECT VERSION()").strip())
            .put("mariadb_settings", mariadb.sql("SELECT CONCAT('innodb_buffer_pool_size=', @@innodb_buffer_pool_size,"
                + " ', innodb_log_file_size=', @@innodb_log_file_size, ', innodb_flush_log_at_trx_commit=',"
                + " @@innodb_flush_log_at_trx_commit)").strip());
      }
      int index = 0;
      for (String c : configs) {
        index++;
        Deployment d = switch (c) {
          case "embedded" -> new Deployment("embedded-1", "embedded/1 node", Deployment.Store.EMBEDDED, 1, settings,
              null, 5_700 + 100 * index);
          case "mariadb" -> new Deployment("mariadb-1", "MariaDB/1 node", Deployment.Store.MARIADB, 1, settings,
              mariadb, 5_700 + 100 * index);
          case "pair" -> new Deployment("mariadb-2", "MariaDB/pair", Deployment.Store.MARIADB, 2, settings, mariadb,
              5_700 + 100 * index);
          default -> throw new IllegalArgumentException("unknown configuration " + c);
        };
        report.config(d.label);
        try (d) {
          runAll(d, scenarios, settings, report);
        }
        report.write(out);
      }
    } finally {
      killAll();
      if (mariadb != null) {
        mariadb.close();
      }
    }
    meta.put("finished", Instant.now().toString()).put("duration_s", (System.currentTimeMillis() - t0) / 1000);
    report.write(out);
    System.out.println();
    System.out.println(report.table());
    System.out.println("JSON: " + out.toAbsolutePath() + "   node logs: " + settings.runDir());
    System.exit(0);
  }

  private static void runAll(Deployment d, Set<String> scenarios, Settings s, Report report) {
    boolean q = s.quick();
    for (String scenario : scenarios) {
      try {
        switch (scenario) {
          case "drain" -> {
            Drain.run(d, q ? 500 : 5_000, s.warmMs(), report);
            Drain.run(d, q ? 2_000 : 50_000, s.warmMs(), report);
          }
          case "drain-large" -> Drain.run(d, q ? 2_000 : 50_000, s.warmMs(), report); // the drain of 50,000 alone
          case "lateness" -> {
            Lateness.run(d, q ? 200 : 2_000, 200, s.warmMs(), report);
            Lateness.run(d, q ? 2_000 : 20_000, 2_000, s.warmMs(), report);
          }
          case "add" -> Add.run(d, q ? 1_000 : s.warmMs(), q ? 3_000 : 10_000, report);
          case "processes" -> Processes.run(d, q ? 200 : 1_000, q, report);
          case "scale" -> {
            if (d.nodeCount == 1) {
              Scale.run(d, q ? 100_000 : 1_000_000, report);
            }
          }
          default -> throw new IllegalStateException(scenario);
        }
      } catch (RuntimeException e) {
        log("%s — %s FAILED: %s", d.label, scenario, e);
        e.printStackTrace(System.out);
        report.add(new Result(d.label, scenario + " (failed)", "error: " + e.getMessage(), false,
            new JsonObject().put("error", String.valueOf(e))));
        d.stopNodes();
      }
    }
  }

  private static JsonObject machine() {
    JsonObject m = new JsonObject().put("cpus", Runtime.getRuntime().availableProcessors())
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          m.put("cpu", line.substring(line.indexOf(':') + 1).strip());
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal")) {
          m.put("memory", line.substring(line.indexOf(':') + 1).strip());
          break;
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return m;
  }

  /** Ends every node process this benchmark started that is still running (SIGKILL after a grace). */
  static void killAll() {
    for (Process p : List.copyOf(PROCESSES)) {
      if (p.isAlive()) {
        p.destroy();
      }
    }
    for (Process p : List.copyOf(PROCESSES)) {
      try {
        if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
      PROCESSES.remove(p);
    }
  }
}
