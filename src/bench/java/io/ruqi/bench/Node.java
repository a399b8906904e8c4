package io.ruqi.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One ruqi node as a real process: {@code java [opts] -jar target/ruqi.jar} with RUQI_* variables. */
final class Node implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int httpPort;
  final Process process;
  final Path log;
  /** System.currentTimeMillis() when the process was launched. */
  final long launchedAt;

  private Node(String name, int httpPort, Process process, Path log, long launchedAt) {
    this.name = name;
    this.httpPort = httpPort;
    this.process = process;
    this.log = log;
    this.launchedAt = launchedAt;
  }

  static Node launch(Path jar, Path workDir, String name, int httpPort, Map<String, String> env, List<String> jvmOpts)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.addAll(jvmOpts);
    cmd.add("-jar");
    cmd.add(jar.toString());
    Path log = workDir.resolve(name + ".log");
    Files.writeString(log, "=== " + String.join(" ", cmd) + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("RUQI_"));
    pb.environment().putAll(env);
    long at = System.currentTimeMillis();
    Process p = pb.start();
    Benchmark.track(p);
    return new Node(name, httpPort, p, log, at);
  }

  long pid() {
    return process.pid();
  }

  String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Waits until /ready answers 200 (scheduler running, store reachable). */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (get("/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException | RuntimeException notYet) {
        // not listening yet
      }
      Sync.sleep(50);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
  }

  HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** SIGTERM (ruqi stops cleanly, flushing history), then SIGKILL after 40 s. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    Benchmark.untrack(process);
  }
}
