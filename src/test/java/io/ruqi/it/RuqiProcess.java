package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;
import io.ruqi.testing.TestPorts;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar, run as a real process: {@code java -jar target/ruqi.jar}. */
final class RuqiProcess implements AutoCloseable {
  final Process process;
  final int port;
  final Path log;

  /** Flags for the nodes' JVMs, from the build (ruqi.it.jvm-options, space-separated). */
  private static final List<String> JVM_OPTIONS = List.of(System.getProperty("ruqi.it.jvm-options", "").trim()
      .split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();

  private RuqiProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** A free port of this JVM's own (see {@link TestPorts}). */
  static int freePort() {
    return TestPorts.free();
  }

  /** {@code n} different free ports. */
  static int[] freePorts(int n) {
    return TestPorts.free(n);
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
