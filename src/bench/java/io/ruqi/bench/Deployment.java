package io.ruqi.bench;

import io.ruqi.progress.Progress;
import io.ruqi.store.Dialect;
import io.ruqi.store.SchemaInstaller;
import io.ruqi.store.SqliteDecoder;
import io.ruqi.store.SqliteEncoder;
import io.ruqi.testing.MariaDbServer;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration under test: a store (embedded SQLite file, or a database on the benchmark's private MariaDB) and one
 * or two ruqi processes on it. Between scenarios the nodes are stopped, the store emptied and filled directly
 * (while no node runs, so the jobs are stored before any scheduler may fire them), and the nodes started again.
 */
final class Deployment implements AutoCloseable {
  enum Store { EMBEDDED, MARIADB }

  static final String DB = "ruqi_bench";

  final String key;
  final String label;
  final Store store;
  final int nodeCount;
  final Path dir;
  private final Benchmark.Settings settings;
  private final MariaDbServer mariadb;
  private final int clusterBase;
  final Target target;
  final List<Node> nodes = new ArrayList<>();
  private Pool pool;
  /** How long the last start of the nodes took (launch to all ready), to place due times after the next start. */
  long lastStartMs = 10_000;
  private int starts;

  Deployment(String key, String label, Store store, int nodeCount, Benchmark.Settings settings, MariaDbServer mariadb,
             int clusterBase) throws IOException {
    this.key = key;
    this.label = label;
    this.store = store;
    this.nodeCount = nodeCount;
    this.settings = settings;
    this.mariadb = mariadb;
    this.clusterBase = clusterBase;
    this.dir = settings.runDir().resolve(key);
    deleteRecursively(dir);
    Files.createDirectories(dir);
    this.target = Target.clustered("ruqi-bench-" + key + "-" + ProcessHandle.current().pid(), clusterBase,
        memberList());
  }

  private List<String> memberList() {
    List<String> members = new ArrayList<>();
    members.add("127.0.0.1:" + clusterBase);
    for (int i = 0; i < nodeCount; i++) {
      members.add("127.0.0.1:" + (clusterBase + 20 * (i + 1)));
    }
    return members;
  }

  String storeUrl() {
    return store == Store.MARIADB ? mariadb.url(DB) : "sqlite:" + sqliteFile();
  }

  private Path sqliteFile() {
    return dir.resolve("data").resolve("ruqi.db").toAbsolutePath();
  }

  /** Statements run as MariaDB's root (null on the embedded store); the tab-separated rows. */
  String mariadbRoot(String statements) {
    return store == Store.MARIADB ? mariadb.sql(statements) : null;
  }

  /** MariaDB's process id, or -1 on the embedded store. */
  long mariadbPid() {
    return store == Store.MARIADB ? mariadb.pid() : -1;
  }

  /** Stops the nodes and empties the store (schema.sql freshly applied). */
  void reset() {
    countedRows = 0;
    stopNodes();
    closePool();
    if (store == Store.MARIADB) {
      mariadb.createDatabase(DB);
    } else {
      deleteRecursively(dir.resolve("data"));
    }
    // as a node would: a column or index that schema.sql adds after its table is already in a new table
    if (store == Store.EMBEDDED) {
      try {
        Files.createDirectories(dir.resolve("data"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Sync.await(SchemaInstaller.install(pool(), store == Store.MARIADB ? Dialect.MYSQL : Dialect.SQLITE));
  }

  /** The benchmark's own connections to the store (on SQLite as the node's own are set up: times as text). */
  Pool pool() {
    if (pool == null) {
      PoolOptions options = new PoolOptions().setMaxSize(4);
      if (store == Store.MARIADB) {
        pool = MySQLBuilder.pool().with(options)
            .connectingTo(MySQLConnectOptions.fromUri(storeUrl()).setCharset("utf8mb4"))
            .using(target.vertx).build();
      } else {
        pool = JDBCPool.pool(target.vertx, new JDBCConnectOptions()
            .setJdbcUrl("jdbc:sqlite:" + sqliteFile() + "?journal_mode=WAL&busy_timeout=5000")
            .setExtraConfig(new JsonObject().put("encoderCls", SqliteEncoder.class.getName())
                .put("decoderCls", SqliteDecoder.class.getName())), options.setMaxSize(1));
      }
    }
    return pool;
  }

  void closePool() {
    if (pool != null) {
      Sync.await(pool.close());
      pool = null;
    }
  }

  /** Starts the nodes (in parallel) and waits until all are ready. */
  void start(boolean clustered, List<String> extraJvmOpts) {
    if (store == Store.EMBEDDED) {
      closePool();
    }
    long t0 = System.currentTimeMillis();
    starts++;
    List<String> members = memberList();
    try {
      for (int i = 0; i < nodeCount; i++) {
        String name = "node-" + (char) ('a' + i);
        int httpPort = settings.httpBase() + i;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RUQI_STORE_URL", storeUrl());
        env.put("RUQI_STORE_POOL_SIZE", Integer.toString(store == Store.MARIADB ? settings.mariadbPool() : settings.h2Pool()));
        env.put("RUQI_HTTP_PORT", Integer.toString(httpPort));
        env.put("RUQI_NODE_NAME", name);
        env.put("RUQI_JOBS_MISFIRE_GRACE_TIME", "600");
        env.put("RUQI_TIMEZONE", "UTC");
        env.put("RUQI_CLUSTER_ENABLED", Boolean.toString(clustered));
        env.put("RUQI_CLUSTER_NAME", "ruqi-bench-" + key + "-" + ProcessHandle.current().pid());
        env.put("RUQI_CLUSTER_HOST", "127.0.0.1");
        env.put("RUQI_CLUSTER_PORT", Integer.toString(clusterBase + 20 * (i + 1)));
        env.put("RUQI_CLUSTER_MEMBERS", String.join(",", members));
        env.put("RUQI_CLUSTER_SECRET", Target.CLUSTER_SECRET);
        env.putAll(settings.nodeEnv());
        List<String> jvm = new ArrayList<>();
        jvm.add("-Dlogback.configurationFile=" + settings.logback());
        jvm.addAll(extraJvmOpts);
        if (settings.jfr()) {
          // deep enough to reach ruqi's frames under Netty's and the SQL client's (64 by default)
          jvm.add("-XX:FlightRecorderOptions=stackdepth=1024");
          // BENCH_JFC: a recording's settings of one's own (JFR's profile samples each thread every 10 ms or 20 ms)
          jvm.add("-XX:StartFlightRecording=dumponexit=true,settings="
              + System.getenv().getOrDefault("BENCH_JFC", "profile") + ",filename="
              + dir.resolve(name + "-" + starts + ".jfr"));
        }
        nodes.add(Node.launch(settings.jar(), dir, name, httpPort, env, jvm));
      }
      for (Node n : nodes) {
        n.awaitReady(Duration.ofSeconds(90));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lastStartMs = System.currentTimeMillis() - t0;
    Benchmark.log("  %s: %d node(s) ready in %d ms", label, nodeCount, lastStartMs);
  }

  /** A due time that falls after the nodes, started right now, are ready: the jobs wait for it in the store. */
  long dueAfterStart() {
    return System.currentTimeMillis() + Math.max(5_000, lastStartMs * 6 / 5 + 2_000);
  }

  /**
   * Each node's claims by outcome so far, from its /metrics ({@code ruqi_claims_total}): in a pair, the fires one
   * node lost to the other are claims both paid for.
   */
  JsonObject claimsByNode() {
    JsonObject out = new JsonObject();
    for (Node n : nodes) {
      JsonObject outcomes = new JsonObject();
      try {
        Matcher m = CLAIMS.matcher(n.get("/metrics").body());
        while (m.find()) {
          outcomes.put(m.group(1), Math.round(Double.parseDouble(m.group(2))));
        }
      } catch (IOException | RuntimeException e) {
        outcomes.put("error", String.valueOf(e));
      }
      out.put(n.name, outcomes);
    }
    return out;
  }

  private static final Pattern CLAIMS =
      Pattern.compile("(?m)^ruqi_claims_total\\{[^}]*outcome=\"([a-z_]+)\"[^}]*} (\\S+)$");

  /** Every node's /metrics as it is now, to {@code <node>-<tag>.metrics} in the run's directory (for a look after). */
  void saveMetrics(String tag) {
    for (Node n : nodes) {
      try {
        Files.writeString(dir.resolve(n.name + "-" + tag + ".metrics"), n.get("/metrics").body());
      } catch (IOException | RuntimeException e) {
        Benchmark.log("%s: /metrics not saved: %s", n.name, e);
      }
    }
  }

  void stopNodes() {
    nodes.parallelStream().forEach(Node::close);
    nodes.clear();
  }

  /** The history rows the embedded store was last seen to hold: where its next count starts (see historyCount). */
  private long countedRows;

  /** Rows in the history table; on the embedded store through the node's API, as it was when H2 locked its file. */
  long historyCount() {
    if (store == Store.MARIADB) {
      return Sync.await(pool().query("SELECT COUNT(*) FROM ruqi_jobs_history").execute())
          .iterator().next().getLong(0);
    }
    try {
      // a list counts at most 10,000 rows past its page's start (total_exact): counting from the rows already seen
      // keeps the count exact for the next 10,000, and a deeper page at once moves it further
      while (true) {
        JsonObject data = new JsonObject(nodes.get(0).get("/ruqi/job_history_list?page_size=1&page_index="
            + Math.max(1, countedRows)).body()).getJsonObject("data");
        countedRows = data.getLong("total");
        if (data.getBoolean("total_exact", true)) {
          return countedRows;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean anyRunning() {
    return Sync.await(pool().query("SELECT 1 FROM ruqi_running LIMIT 1").execute()).size() > 0;
  }

  /** Rows in the jobs table, through the node's API. */
  long jobCount() {
    try {
      JsonObject reply = new JsonObject(nodes.get(0).get("/ruqi/job_list?page_index=1&page_size=1").body());
      return reply.getJsonObject("data").getLong("total");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node's own view of lateness (scheduler_status: the last 1,024 fires, dispatch − scheduled time). */
  JsonObject nodeLateness(int i) {
    try {
      return new JsonObject(nodes.get(i).get("/ruqi/scheduler_status").body()).getJsonObject("data")
          .getJsonObject("lateness");
    } catch (IOException | RuntimeException e) {
      return new JsonObject().put("error", e.toString());
    }
  }

  /** Polls the history until it has {@code n} rows or the deadline passes; answers when it got there (or -1). */
  long awaitHistory(long n, long deadlineMs) {
    Progress progress = Benchmark.progress("  fires recorded", "rows", n);
    try {
      long seen = 0;
      long countedAt = 0;
      while (true) {
        // a fire's last row removes its running row in the same transaction: while the small running table holds
        // rows, the fires being written are not all in, and a count of the whole history (40 ms of MariaDB's time at
        // 100,000 rows, every 50 ms, in the window measured) is put off, up to 0.5 s (rows claimed ahead of fires
        // not waited for may stay that long). Counted at least once, and at the deadline
        long now = System.currentTimeMillis();
        boolean putOff = countedAt > 0 && now - countedAt < 500 && now < deadlineMs && store == Store.MARIADB
            && anyRunning();
        if (!putOff) {
          long count = historyCount();
          countedAt = now;
          progress.advance(count - seen);
          seen = count;
          if (count >= n) {
            return System.currentTimeMillis();
          }
          if (now >= deadlineMs) {
            return -1;
          }
        }
        Sync.sleep(putOff ? 20 : 50);
      }
    } finally {
      progress.finish();
    }
  }

  /**
   * When the fires of the jobs whose ids start with {@code prefix} started, and when their last row was written, in
   * ms after {@code dueMs}: where a burst's time went (claims before the first start, the runs, the history after).
   * Read after {@link #statusCounts}, so that the embedded store is already stopped.
   */
  JsonObject timeline(String prefix, long dueMs) {
    Row r = Sync.await(pool().preparedQuery("SELECT MIN(start_time), MAX(start_time), MAX(c_time)"
        + " FROM ruqi_jobs_history WHERE job_id LIKE ?").execute(Tuple.of(prefix + "%"))).iterator().next();
    JsonObject out = new JsonObject();
    String[] names = {"first_start_ms_after_due", "last_start_ms_after_due", "last_row_ms_after_due"};
    for (int i = 0; i < names.length; i++) {
      // a MIN of a time column has no declared type on SQLite: its text
      Object v = r.getValue(i);
      LocalDateTime t = v instanceof String text ? LocalDateTime.parse(text) : (LocalDateTime) v;
      out.put(names[i], t == null ? null : t.toInstant(ZoneOffset.UTC).toEpochMilli() - dueMs);
    }
    return out;
  }

  /** History rows by status; stops nodes first on the embedded store. */
  Map<String, Long> statusCounts() {
    return statusCounts("");
  }

  /** History rows by status of the jobs whose ids start with {@code prefix}; stops nodes first on the embedded store. */
  Map<String, Long> statusCounts(String prefix) {
    if (store == Store.EMBEDDED) {
      stopNodes();
    }
    Map<String, Long> out = new HashMap<>();
    for (Row r : Sync.await(pool().preparedQuery("SELECT status, COUNT(*) FROM ruqi_jobs_history WHERE job_id LIKE ?"
        + " GROUP BY status").execute(Tuple.of(prefix + "%")))) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  @Override
  public void close() {
    stopNodes();
    closePool();
    target.close();
  }

  static void deleteRecursively(Path root) {
    MariaDbServer.deleteRecursively(root);
  }

}
