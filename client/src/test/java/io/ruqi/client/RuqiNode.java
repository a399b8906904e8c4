package io.ruqi.client;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A ruqi node: the packaged server ({@code ruqi.jar}, built by the server's {@code mvn package}) run as a process,
 * clustered with a secret, with an admin and a viewer token, on an embedded store of its own, times in UTC.
 */
final class RuqiNode {
  static final String SECRET = "ruqi-client-test-cluster-secret";
  static final String ADMIN_TOKEN = "client-test-admin-token-0123456789";
  static final String VIEWER_TOKEN = "client-test-viewer-token-0123456789";

  final int httpPort;
  final int clusterPort;
  private final Path dir;
  private final Path log;
  private final Process process;

  private RuqiNode(int httpPort, int clusterPort, Path dir, Path log, Process process) {
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.dir = dir;
    this.log = log;
    this.process = process;
  }

  private static RuqiNode shared;

  /**
   * The node of this test run, for every *IT class: starting one costs more than all the tests on it. It is stopped
   * when the tests' JVM exits.
   */
  static synchronized RuqiNode shared() throws Exception {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "ruqi-node-stop"));
    }
    return shared;
  }

  private static RuqiNode start() throws Exception {
    int httpPort = freePort();
    int clusterPort = freePort();
    Path dir = Files.createTempDirectory("ruqi-client-node");
    Path log = dir.resolve("ruqi.log");
    Map<String, String> env = new HashMap<>();
    env.put("RUQI_HTTP_PORT", Integer.toString(httpPort));
    env.put("RUQI_STORE_URL", "sqlite:" + dir.resolve("store/ruqi.db"));
    env.put("RUQI_TIMEZONE", "UTC");
    env.put("RUQI_AUTH_TOKENS", "admin:admin:" + ADMIN_TOKEN + ",grafana:viewer:" + VIEWER_TOKEN);
    env.put("RUQI_CLUSTER_ENABLED", "true");
    env.put("RUQI_CLUSTER_HOST", "127.0.0.1");
    env.put("RUQI_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("RUQI_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort);
    env.put("RUQI_CLUSTER_SECRET", SECRET);
    ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jar().toString()).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("RUQI_"));
    pb.environment().putAll(env);
    RuqiNode node = new RuqiNode(httpPort, clusterPort, dir, log, pb.start());
    node.awaitReady(Duration.ofSeconds(60));
    return node;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The cluster's member list for a peer: this node. */
  String member() {
    return "127.0.0.1:" + clusterPort;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("ruqi.jar", "../target/ruqi.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build the server first (mvn package in the repository's root): " + jar);
    }
    return jar.toAbsolutePath();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Until {@code /ready} answers 200: the scheduler runs and reaches its store. */
  private void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/ready")).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("ruqi exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    stop();
    throw new IllegalStateException("ruqi was not ready within " + timeout + ":\n" + Files.readString(log));
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } catch (InterruptedException | IOException e) {
      // the JVM is exiting: what is left is in the temporary directory
    }
  }

  private static String java() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
