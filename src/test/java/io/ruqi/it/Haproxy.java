package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real HAProxy (Debian's package, installed by scripts/setup.sh) on the shipped {@code conf/ha/haproxy.cfg},
 * with only its three ports replaced: the file under test is the one a user runs.
 */
final class Haproxy implements AutoCloseable {
  private static final Path SHIPPED = Path.of("conf", "ha", "haproxy.cfg");

  final int port;
  final Path log;
  private final Process process;

  private Haproxy(int port, Path log, Process process) {
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** HAProxy in the foreground on {@code port}, balancing to the two nodes' HTTP ports. */
  static Haproxy start(Path dir, int port, int nodeA, int nodeB) throws IOException {
    String shipped = Files.readString(SHIPPED);
    String cfg = replaceOnce(replaceOnce(replaceOnce(shipped,
        "127.0.0.1:8585", "127.0.0.1:" + port),
        "127.0.0.1:8586", "127.0.0.1:" + nodeA),
        "127.0.0.1:8587", "127.0.0.1:" + nodeB);
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, cfg);
    Path log = dir.resolve("haproxy.log");
    // -db: stay in the foreground, so that the test owns the process; -W is not wanted (no reloads)
    Process p = new ProcessBuilder(List.of(binary(), "-db", "-f", file.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Haproxy(port, log, p);
  }

  /** Replaces {@code from} where the configuration (not a comment) names it, which must be on one line. */
  private static String replaceOnce(String text, String from, String to) {
    StringBuilder out = new StringBuilder();
    int found = 0;
    for (String line : text.split("\n", -1)) {
      if (!line.strip().startsWith("#") && line.contains(from)) {
        found++;
        line = line.replace(from, to);
      }
      out.append(line).append('\n');
    }
    if (found != 1) {
      throw new IllegalStateException(SHIPPED + " must name " + from + " on exactly one line (found " + found + ")");
    }
    return out.substring(0, out.length() - 1);
  }

  private static String binary() {
    for (String candidate : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("haproxy is not installed: run scripts/setup.sh (Debian package haproxy)");
  }

  HttpTestClient http() {
    return new HttpTestClient(port);
  }

  boolean alive() {
    return process.isAlive();
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
