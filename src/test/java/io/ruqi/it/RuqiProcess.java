package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The packaged jar, run as a real process: {@code java -jar target/ruqi.jar}. */
final class RuqiProcess implements AutoCloseable {
  final Process process;
  final int port;
  final Path log;

  private static final Random RANDOM = new Random();
  private static final Set<Integer> GIVEN = new HashSet<>();
  /**
   * These tests run in two JVMs at once (failsafe's forkCount), which cannot see each other's choices: each takes its
   * own half of 20000-31999 by its fork number (1 or 2; 1 when run alone).
   */
  private static final int PORTS_PER_FORK = 6_000;
  private static final int PORTS_FROM = 20_000
      + Math.floorMod(Integer.getInteger("ruqi.it.fork", 1) - 1, 2) * PORTS_PER_FORK;
  /** Flags for the nodes' JVMs, from the build (ruqi.it.jvm-options, space-separated). */
  private static final List<String> JVM_OPTIONS = List.of(System.getProperty("ruqi.it.jvm-options", "").trim()
      .split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();

  private RuqiProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * A free port below the kernel's ephemeral range (32768 on), never handed out twice in this JVM: a port the
   * kernel chose by itself could be given next to a node's own ephemeral listener (its clustered event bus binds
   * port 0) between the choice and the node's start, and the node then cannot start ("Address already in use").
   */
  static synchronized int freePort() throws IOException {
    for (int tries = 0; tries < 1000; tries++) {
      int port = PORTS_FROM + RANDOM.nextInt(PORTS_PER_FORK);
      if (!GIVEN.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // in use: try another
      }
    }
    throw new IOException("no free port found from " + PORTS_FROM + " to " + (PORTS_FROM + PORTS_PER_FORK - 1));
  }

  /** {@code n} different free ports. */
  static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    for (int i = 0; i < n; i++) {
      ports[i] = freePort();
    }
    return ports;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("ruqi.jar", "target/ruqi.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build the jar first (mvn package): " + jar);
    }
    return jar.toAbsolutePath();
  }

  /** Starts the jar in {@code workDir} with these environment variables and arguments, without waiting. */
  static Process launch(Path workDir, Map<String, String> env, Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin()));
    cmd.addAll(JVM_OPTIONS);
    cmd.addAll(List.of("-jar", jar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("RUQI_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Starts the jar and waits until its API answers. */
  static RuqiProcess start(Path workDir, Map<String, String> env, String... args) throws Exception {
    return startOn(Integer.parseInt(env.get("RUQI_HTTP_PORT")), workDir, env, args);
  }

  /** As {@link #start}, for a port that the configuration files (not the environment) set. */
  static RuqiProcess startOn(int port, Path workDir, Map<String, String> env, String... args) throws Exception {
    RuqiProcess rp = spawn(port, workDir, env, args);
    rp.awaitReady(Duration.ofSeconds(60));
    return rp;
  }

  /** Starts the jar without waiting for anything (it may not even get as far as listening). */
  static RuqiProcess spawn(int port, Path workDir, Map<String, String> env, String... args) throws IOException {
    Path log = Files.createTempFile(workDir, "ruqi-", ".log");
    return new RuqiProcess(launch(workDir, env, log, args), port, log);
  }

  HttpTestClient http() {
    return new HttpTestClient(port);
  }

  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("ruqi exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        if (http().get("/ruqi/job_list").status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("ruqi did not answer within " + timeout + ": " + Files.readString(log));
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
