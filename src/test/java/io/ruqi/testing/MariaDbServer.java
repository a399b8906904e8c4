package io.ruqi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private mariadbd that a test fully controls: its own temp datadir, socket and free port on 127.0.0.1,
 * so it never touches a system MariaDB on 3306, and it can be stopped, killed and started again to test
 * database outages. Database {@code ruqi} and user {@code ruqi}/{@code ruqi} (mysql_native_password, the
 * only MariaDB plugin vertx-mysql-client speaks) are ready after {@link #start()}.
 *
 * <p>Needs Debian's MariaDB 10.11 binaries ({@code bash scripts/test.sh} installs them). When they are
 * missing it throws instead of skipping, so the suite fails rather than counting a skip as a pass.
 */
public final class MariaDbServer implements AutoCloseable {

  private static final long READY_TIMEOUT_MS = 60_000;
  private static final long STOP_TIMEOUT_MS = 60_000;
  private static final Pattern DATABASE_NAME = Pattern.compile("ruqi(_[A-Za-z0-9_]+)?");

  /**
   * Options for both mariadb-install-db and mariadbd. With --no-defaults the compiled-in charset is latin1, so
   * set what Debian's packaged config sets (utf8mb4). Durability settings stay at MariaDB's defaults
   * (innodb_flush_log_at_trx_commit=1): crash tests must see what production would.
   */
  private static final List<String> SERVER_OPTIONS = List.of(
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
    "--innodb-buffer-pool-size=64M",
    "--innodb-log-file-size=32M",
    "--max-connections=300",
    "--skip-name-resolve");

  private static final Path INSTALL_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "ruqi-mariadb-install.lock");

  private static MariaDbServer shared;

  private final Path dir;
  private final Path mariadbd;
  private final Path client;
  private final Thread cleanupHook;
  private final boolean isShared;
  private int port;
  private volatile Process process;

  private MariaDbServer(Path dir, Path mariadbd, Path client, boolean isShared) {
    this.dir = dir;
    this.mariadbd = mariadbd;
    this.client = client;
    this.isShared = isShared;
    // A test that fails before close() must not leave a mariadbd running after the JVM exits.
    this.cleanupHook = new Thread(this::shutdown, "mariadb-cleanup-" + dir.getFileName());
  }

  /** A new private server, initialized and ready for connections as {@code ruqi}. */
  public static MariaDbServer start() {
    return create(false);
  }

  /**
   * One server per JVM for test classes that only need "a MariaDB": each class calls
   * {@code createDatabase("ruqi_" + something)} to stay isolated. It cannot be stopped, killed or closed
   * (that would break the other classes); it stops when the JVM exits. Outage tests use {@link #start()}.
   */
  public static synchronized MariaDbServer shared() {
    if (shared == null) {
      shared = create(true);
    }
    return shared;
  }

  private static MariaDbServer create(boolean isShared) {
    Path mariadbd = findBinary("mariadbd", "mysqld");
    Path installDb = findBinary("mariadb-install-db", "mysql_install_db");
    Path client = findBinary("mariadb", "mysql");
    Path dir;
    try {
      dir = Files.createTempDirectory("ruqi-mariadb-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MariaDbServer server = new MariaDbServer(dir, mariadbd, client, isShared);
    Runtime.getRuntime().addShutdownHook(server.cleanupHook);
    try {
      server.installDb(installDb);
      server.launchOnFreePort();
      server.sql("CREATE DATABASE ruqi;"
        + createUser("127.0.0.1") + createUser("localhost"));
      return server;
    } catch (RuntimeException e) {
      server.release();
      throw e;
    }
  }

  private static String createUser(String host) {
    String user = "'ruqi'@'" + host + "'";
    return "CREATE USER " + user + " IDENTIFIED VIA mysql_native_password USING PASSWORD('ruqi');"
      + "GRANT ALL PRIVILEGES ON `ruqi`.* TO " + user + ";"
      // Extra databases from createDatabase(), or made by tests themselves.
      + "GRANT ALL PRIVILEGES ON `ruqi\\_%`.* TO " + user + ";"
      // To read other sessions in SHOW PROCESSLIST / information_schema, e.g. to find a connection to kill.
      + "GRANT PROCESS ON *.* TO " + user + ";";
  }

  /** The server's process id, or -1 when it is not running (the benchmark reads its CPU time). */
  public long pid() {
    Process p = process;
    return p != null && p.isAlive() ? p.pid() : -1;
  }

  public int port() {
    return port;
  }

  /** {@code mysql://ruqi:ruqi@127.0.0.1:<port>/ruqi}, for {@code MySQLConnectOptions.fromUri}. */
  public String url() {
    return url("ruqi");
  }

  public String url(String database) {
    return "mysql://ruqi:ruqi@127.0.0.1:" + port + "/" + database;
  }

  /**
   * Drops and creates {@code name}, so a test class gets an empty database even when reusing the shared
   * server, and returns its {@link #url(String)}. The name must be {@code ruqi} or start with {@code ruqi_}:
   * that is what user ruqi is granted.
   */
  public String createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("database name must be ruqi or ruqi_[A-Za-z0-9_]+, was: " + name);
    }
    sql("DROP DATABASE IF EXISTS `" + name + "`; CREATE DATABASE `" + name + "`;");
    return url(name);
  }

  /** Runs statements as MariaDB's root over the private socket; returns the tab-separated result rows. */
  public String sql(String statements) {
    Result result = runClient(statements);
    if (result.exitCode != 0) {
      // a server that died on its own (once, in a CI run, mid-suite) says how: its log goes with its directory
      Process p = process;
      String died = p == null || p.isAlive() ? ""
        : "\nmariadbd is not running (exit " + p.exitValue() + ")" + logTail();
      throw new IllegalStateException("mariadb client failed (exit " + result.exitCode + ") on: " + statements
        + "\n" + result.output + died);
    }
    return result.output;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Graceful shutdown (SIGTERM: mariadbd flushes and exits cleanly); returns once the process is gone. */
  public void stop() {
    refuseIfShared("stop");
    terminate();
  }

  /** Starts mariadbd again on the same datadir and port and waits until it accepts connections. */
  public void startAgain() {
    if (isRunning()) {
      throw new IllegalStateException("mariadbd is already running on port " + port);
    }
    launch();
  }

  /** SIGKILL, as in a crash: no clean shutdown, InnoDB recovers from its redo log on the next start. */
  public void kill() {
    refuseIfShared("kill");
    if (isRunning()) {
      process.destroyForcibly();
      waitForExit();
    }
  }

  /** Stops the server and deletes its temp directory. Does nothing on the {@link #shared()} server. */
  @Override
  public void close() {
    if (!isShared) {
      release();
    }
  }

  private void release() {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs shutdown() itself
    }
    shutdown();
  }

  private void shutdown() {
    terminate();
    deleteRecursively(dir);
  }

  private void refuseIfShared(String what) {
    if (isShared) {
      throw new IllegalStateException("cannot " + what + " the shared MariaDB: other test classes use it;"
        + " use MariaDbServer.start() for outage tests");
    }
  }

  private void terminate() {
    if (isRunning()) {
      process.destroy();
      waitForExit();
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("mariadbd did not stop within " + STOP_TIMEOUT_MS + " ms; killed it"
          + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * One install at a time on this machine, and a second try on a fresh datadir: two JVMs of the suite installing at
   * the same moment once saw one bootstrap fail within half a second (the tests that start the jar run two at once).
   */
  private void installDb(Path installDb) {
    oneInstallAtATime(() -> {
      try {
        installDbOnce(installDb);
      } catch (IllegalStateException firstTry) {
        System.err.println("mariadb-install-db failed, trying once more: " + firstTry.getMessage());
        deleteRecursively(dir.resolve("data"));
        installDbOnce(installDb);
      }
      return null;
    });
  }

  /** Runs {@code install} holding the machine-wide lock of mariadb-install-db (GaleraCluster's too). */
  public static synchronized <T> T oneInstallAtATime(java.util.concurrent.Callable<T> install) {
    try (FileChannel lock = FileChannel.open(INSTALL_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock held = lock.lock()) {
      return install.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void installDbOnce(Path installDb) {
    List<String> cmd = new ArrayList<>(List.of(installDb.toString(),
      "--no-defaults", // must come first; never read /etc/mysql, which belongs to the system MariaDB
      "--datadir=" + dir.resolve("data"),
      "--user=" + System.getProperty("user.name"),
      "--auth-root-authentication-method=normal", // root@localhost without password, so sql() can log in
      "--skip-test-db"));
    cmd.addAll(SERVER_OPTIONS);
    Path log = dir.resolve("install-db.log");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (p.isAlive() || p.exitValue() != 0) {
      // the bootstrap's own error comes first in the log, before the tool's long advice
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + head(log));
    }
  }

  /** The free port is only free when checked; retry if something else took it before mariadbd bound it. */
  private void launchOnFreePort() {
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      try {
        launch();
        return;
      } catch (IllegalStateException e) {
        if (attempt == 3 || !e.getMessage().contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  private void launch() {
    List<String> cmd = new ArrayList<>(List.of(mariadbd.toString(),
      "--no-defaults",
      "--datadir=" + dir.resolve("data"),
      "--port=" + port,
      "--bind-address=127.0.0.1",
      "--socket=" + socket(),
      "--pid-file=" + dir.resolve("mdb.pid"),
      // mariadbd refuses to run as root unless told so (CI runs as root); as another user it only warns.
      "--user=" + System.getProperty("user.name"),
      "--skip-log-bin"));
    cmd.addAll(SERVER_OPTIONS);
    try {
      // Appended across restarts: the file tells the whole story of an outage test.
      process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mariadbd.log").toFile()))
        .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    while (true) {
      // Socket ready implies the TCP port is too: mariadbd opens both before "ready for connections".
      if (process.isAlive() && runClient("SELECT 1").exitCode == 0) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("mariadbd exited with " + process.exitValue() + " while starting"
          + logTail());
      }
      if (System.currentTimeMillis() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("mariadbd not ready within " + READY_TIMEOUT_MS + " ms" + logTail());
      }
      sleep(100);
    }
  }

  private record Result(int exitCode, String output) {
  }

  private Result runClient(String statements) {
    List<String> cmd = List.of(client.toString(), "--no-defaults", "--protocol=socket", "--socket=" + socket(),
      "--user=root", "--batch", "--skip-column-names", "--connect-timeout=5", "--execute=" + statements);
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

  private Path socket() {
    return dir.resolve("mdb.sock");
  }

  private String logTail() {
    return "\n--- tail of " + dir.resolve("mariadbd.log") + " ---\n" + tail(dir.resolve("mariadbd.log"));
  }

  private static String head(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(0, Math.min(lines.size(), 40)));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Looks in PATH and in /usr/sbin and /usr/bin, which a non-root PATH often lacks (Debian's mariadbd). */
  static Path findBinary(String... names) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin"));
    for (String name : names) {
      for (String d : dirs) {
        Path p = Path.of(d.isEmpty() ? "." : d, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    throw new IllegalStateException("MariaDB binary " + String.join(" / ", names) + " not found in PATH,"
      + " /usr/sbin or /usr/bin. Tests need a real MariaDB 10.11: run `bash scripts/test.sh`, which installs"
      + " Debian's MariaDB packages, or install them with apt-get.");
  }

  /** From this JVM's own slot (TestPorts): the server is stopped and started again on its port. */
  private static int freePort() {
    return TestPorts.free();
  }


  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Removes a directory tree (the server's temp dir; the benchmark's run dirs). */
  public static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
