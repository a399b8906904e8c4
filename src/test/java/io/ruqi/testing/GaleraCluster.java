package io.ruqi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A private three-member MariaDB Galera cluster on loopback, as {@link MariaDbServer} is a private server: each member
 * a mariadbd of its own with a temp datadir, a socket and four free ports (SQL, group communication, incremental and
 * snapshot state transfer), so that a test can kill -9 one member and start it again, to rejoin by state transfer.
 * Database {@code ruqi} and user {@code ruqi}/{@code ruqi} are ready on every member after {@link #start()}.
 *
 * <p>The members run as the {@code mysql} user (mariadbd switches to it; the joiner's rsync state transfer runs as that
 * user, and the tests run as root), on Debian's {@code galera-4} provider; {@code bash scripts/test.sh} installs it and
 * rsync. When they are missing this throws instead of skipping, so that the suite fails rather than counting a pass.
 */
public final class GaleraCluster implements AutoCloseable {
  public static final int MEMBERS = 3;
  private static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
  private static final long READY_TIMEOUT_MS = 90_000;
  private static final String USER = "mysql";

  private final Path dir;
  private final Path mariadbd;
  private final Path client;
  private final int[] sqlPorts = new int[MEMBERS];
  private final int[] groupPorts = new int[MEMBERS];
  private final int[] istPorts = new int[MEMBERS];
  private final int[] sstPorts = new int[MEMBERS];
  private final Process[] processes = new Process[MEMBERS];
  private final Thread cleanupHook;

  private GaleraCluster(Path dir, Path mariadbd, Path client) {
    this.dir = dir;
    this.mariadbd = mariadbd;
    this.client = client;
    this.cleanupHook = new Thread(this::shutdown, "galera-cleanup-" + dir.getFileName());
  }

  /** Bootstraps member 0, lets 1 and 2 join it by state transfer, and waits until all three are Synced. */
  public static GaleraCluster start() throws Exception {
    if (!Files.isReadable(PROVIDER)) {
      throw new IllegalStateException("Galera's provider " + PROVIDER + " is missing: install Debian's galera-4 and"
          + " rsync (bash scripts/test.sh does)");
    }
    if (run(List.of("id", USER)).exitCode != 0) {
      throw new IllegalStateException("the Galera members run as the user '" + USER + "', which does not exist"
          + " (Debian's mariadb-server-core makes it; bash scripts/test.sh does)");
    }
    Path mariadbd = MariaDbServer.findBinary("mariadbd", "mysqld");
    Path installDb = MariaDbServer.findBinary("mariadb-install-db", "mysql_install_db");
    Path client = MariaDbServer.findBinary("mariadb", "mysql");
    Path dir = Files.createTempDirectory("ruqi-galera-");
    GaleraCluster cluster = new GaleraCluster(dir, mariadbd, client);
    Runtime.getRuntime().addShutdownHook(cluster.cleanupHook);
    try {
      cluster.ports();
      chown(dir);
      cluster.installDb(installDb);
      cluster.launch(0, true);
      cluster.sql(0, "CREATE DATABASE ruqi;" + createUser("127.0.0.1") + createUser("localhost"));
      // the joiners side by side: a donor busy with one makes the other wait and retry
      for (int i = 1; i < MEMBERS; i++) {
        cluster.spawn(i, false);
      }
      for (int i = 1; i < MEMBERS; i++) {
        cluster.awaitSynced(i);
      }
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  private static String createUser(String host) {
    String user = "'ruqi'@'" + host + "'";
    return "CREATE USER " + user + " IDENTIFIED VIA mysql_native_password USING PASSWORD('ruqi');"
        + "GRANT ALL PRIVILEGES ON `ruqi`.* TO " + user + ";";
  }

  /** The members' SQL ports. */
  public int port(int member) {
    return sqlPorts[member];
  }

  /** A {@code store.url} listing the members in {@code order}, e.g. {@code url(1, 2, 0)}. */
  public String url(int... order) {
    return "mysql://ruqi:ruqi@" + IntStream.of(order).mapToObj(i -> "127.0.0.1:" + sqlPorts[i])
        .collect(Collectors.joining(",")) + "/ruqi";
  }

  /** Runs statements as root on {@code member}; returns the tab-separated result rows. */
  public String sql(int member, String statements) {
    Result result = client(member, statements);
    if (result.exitCode != 0) {
      throw new IllegalStateException("mariadb client on member " + member + " failed (exit " + result.exitCode
          + ") on: " + statements + "\n" + result.output);
    }
    return result.output;
  }

  /** The first running member, for reading the cluster's tables. */
  public int anyRunning() {
    for (int i = 0; i < MEMBERS; i++) {
      if (isRunning(i)) {
        return i;
      }
    }
    throw new IllegalStateException("no member of the cluster runs");
  }

  /** wsrep_* status of {@code member}, by name. */
  public Map<String, String> status(int member) {
    Map<String, String> out = new HashMap<>();
    for (String line : sql(member, "SHOW GLOBAL STATUS LIKE 'wsrep_%'").split("\n")) {
      String[] f = line.split("\t", 2);
      if (f.length == 2) {
        out.put(f[0], f[1]);
      }
    }
    return out;
  }

  public boolean isRunning(int member) {
    return processes[member] != null && processes[member].isAlive();
  }

  /** SIGKILL, as in a crash: the member leaves the cluster without a word, and recovers from its redo log later. */
  public void kill(int member) throws InterruptedException {
    if (isRunning(member)) {
      processes[member].destroyForcibly();
      processes[member].waitFor(60, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code member} again on its datadir: it rejoins (incremental or full state transfer) and is Synced. */
  public void startAgain(int member) throws Exception {
    launchAgain(member);
    awaitSynced(member);
  }

  /** Starts {@code member} again and returns at once: it rejoins while the test goes on ({@link #awaitSynced}). */
  public void launchAgain(int member) throws Exception {
    if (isRunning(member)) {
      throw new IllegalStateException("member " + member + " already runs");
    }
    spawn(member, false);
  }

  /** Until {@code member} says it is Synced; fails if it exits or takes longer than a joiner may. */
  public void awaitSynced(int i) throws InterruptedException {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    while (true) {
      if (!processes[i].isAlive()) {
        throw new IllegalStateException("member " + i + " exited with " + processes[i].exitValue() + " while starting"
            + logTail(i));
      }
      Result r = client(i, "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'");
      if (r.exitCode == 0 && r.output.contains("Synced")) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        processes[i].destroyForcibly();
        throw new IllegalStateException("member " + i + " not Synced within " + READY_TIMEOUT_MS + " ms"
            + logTail(i));
      }
      Thread.sleep(200);
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs shutdown() itself
    }
    shutdown();
  }

  private void shutdown() {
    for (int i = 0; i < MEMBERS; i++) {
      if (isRunning(i)) {
        processes[i].destroyForcibly();
        try {
          processes[i].waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    MariaDbServer.deleteRecursively(dir);
  }

  private void ports() {
    // each member is killed and started again on its ports: they come from this JVM's own slot (TestPorts)
    int[] ports = TestPorts.free(4 * MEMBERS);
    for (int i = 0; i < MEMBERS; i++) {
      sqlPorts[i] = ports[4 * i];
      groupPorts[i] = ports[4 * i + 1];
      istPorts[i] = ports[4 * i + 2];
      sstPorts[i] = ports[4 * i + 3];
    }
  }

  /** One datadir made by mariadb-install-db and copied: the joiners take the first member's state anyway. */
  private void installDb(Path installDb) throws Exception {
    Path first = member(0).resolve("data");
    Result made = MariaDbServer.oneInstallAtATime(() -> run(List.of(installDb.toString(), "--no-defaults",
        "--datadir=" + first, "--user=" + USER, "--auth-root-authentication-method=normal", "--skip-test-db")));
    if (made.exitCode != 0) {
      throw new IllegalStateException("mariadb-install-db failed:\n" + made.output);
    }
    for (int i = 1; i < MEMBERS; i++) {
      Files.createDirectories(member(i));
      Result copied = run(List.of("cp", "-a", first.toString(), member(i).resolve("data").toString()));
      if (copied.exitCode != 0) {
        throw new IllegalStateException("copying the datadir failed:\n" + copied.output);
      }
    }
    chown(dir);
  }

  private void launch(int i, boolean bootstrap) throws Exception {
    spawn(i, bootstrap);
    awaitSynced(i);
  }

  private void spawn(int i, boolean bootstrap) throws IOException {
    String members = IntStream.range(0, MEMBERS).mapToObj(k -> "127.0.0.1:" + groupPorts[k])
        .collect(Collectors.joining(","));
    List<String> cmd = new ArrayList<>(List.of(mariadbd.toString(),
        "--no-defaults",
        "--datadir=" + member(i).resolve("data"),
        "--port=" + sqlPorts[i],
        "--bind-address=127.0.0.1",
        "--socket=" + socket(i),
        "--pid-file=" + member(i).resolve("mdb.pid"),
        "--user=" + USER,
        "--skip-name-resolve",
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_general_ci",
        "--innodb-buffer-pool-size=64M",
        "--innodb-log-file-size=32M",
        "--max-connections=300",
        // what Galera requires: row-based replication, InnoDB, interleaved auto-increment locks
        "--binlog-format=ROW",
        "--default-storage-engine=InnoDB",
        "--innodb-autoinc-lock-mode=2",
        "--wsrep-on=ON",
        "--wsrep-provider=" + PROVIDER,
        "--wsrep-cluster-name=ruqi-test",
        "--wsrep-cluster-address=gcomm://" + members,
        "--wsrep-node-name=member-" + i,
        "--wsrep-node-address=127.0.0.1:" + groupPorts[i],
        "--wsrep-node-incoming-address=127.0.0.1:" + sqlPorts[i],
        "--wsrep-sst-method=rsync",
        "--wsrep-sst-receive-address=127.0.0.1:" + sstPorts[i],
        "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" + groupPorts[i] + ";ist.recv_addr=127.0.0.1:"
            + istPorts[i] + ";gcache.size=64M"));
    if (bootstrap) {
      cmd.add("--wsrep-new-cluster");
    }
    processes[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(member(i).resolve("mariadbd.log").toFile())).start();
  }

  private Path member(int i) {
    return dir.resolve("member-" + i);
  }

  private Path socket(int i) {
    return member(i).resolve("mdb.sock");
  }

  private String logTail(int i) {
    try {
      List<String> lines = Files.readAllLines(member(i).resolve("mariadbd.log"), StandardCharsets.UTF_8);
      return "\n--- tail of member " + i + "'s log ---\n" + String.join("\n",
          lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private record Result(int exitCode, String output) {
  }

  private Result client(int i, String statements) {
    return run(List.of(client.toString(), "--no-defaults", "--protocol=socket", "--socket=" + socket(i), "--user=root",
        "--batch", "--skip-column-names", "--connect-timeout=5", "--execute=" + statements));
  }

  private static void chown(Path path) {
    Result r = run(List.of("chown", "-R", USER + ":" + USER, path.toString()));
    if (r.exitCode != 0) {
      throw new IllegalStateException("chown " + path + " failed: " + r.output);
    }
  }

  private static Result run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
