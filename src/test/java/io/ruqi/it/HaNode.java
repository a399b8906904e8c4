package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of an HA test: a {@link RuqiProcess} with a fixed name and environment, so that it can be killed and
 * started again as "the same node" (same name, same ports, same database). Keeps the log of every start.
 */
final class HaNode implements AutoCloseable {
  final String name;
  final Map<String, String> env;
  private final Path dir;
  private final List<Path> logs = new ArrayList<>();
  private final List<ProcessHandle> orphans = new ArrayList<>();
  private RuqiProcess process;
  private boolean frozen;

  HaNode(String name, Path dir, Map<String, String> env) {
    this.name = name;
    this.dir = dir;
    this.env = Map.copyOf(env);
  }

  HaNode start() throws Exception {
    return start(Map.of());
  }

  /** Starts the node with {@code extra} added to its environment for this run only, and waits until it is ready. */
  HaNode start(Map<String, String> extra) throws Exception {
    launch(extra);
    awaitReady(60);
    return this;
  }

  /** Starts the process without waiting: it may be starting while its database is down. */
  void launch(Map<String, String> extra) throws IOException {
    if (alive()) {
      throw new IllegalStateException(name + " is already running");
    }
    Map<String, String> runEnv = new HashMap<>(env);
    runEnv.putAll(extra);
    process = RuqiProcess.spawn(port(), dir, runEnv);
    logs.add(process.log);
  }

  /**
   * Until {@code /ready} answers 200: the API answers before the scheduler is deployed, so ready means the scheduler
   * runs and reaches the store. Fails if the process exits or is not ready within {@code seconds}.
   */
  void awaitReady(int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!ready()) {
      if (!alive()) {
        throw new IllegalStateException(name + " exited with " + exitCode() + " before it was ready\n" + logTail(60));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready within " + seconds + " s\n" + logTail(60));
      }
      Thread.sleep(100);
    }
  }

  /** Whether {@code /ready} answers 200 now (false while the process is not listening). */
  boolean ready() {
    try {
      return alive() && http().get("/ready").status() == 200;
    } catch (RuntimeException notListening) {
      return false;
    }
  }

  /** The exit code of the last run, or null while it runs. */
  Integer exitCode() {
    return process == null || process.process.isAlive() ? null : process.process.exitValue();
  }

  /** SIGSTOP: the node stands still, as under a long GC pause or a stalled VM, holding its sockets open. */
  void freeze() throws Exception {
    signal("STOP");
    frozen = true;
  }

  /** SIGCONT after {@link #freeze()}. */
  void thaw() throws Exception {
    signal("CONT");
    frozen = false;
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.process.pid() + " failed");
    }
  }

  /**
   * SIGKILL. The commands the node had started (setsid process groups) outlive it, as in a real crash; they are
   * remembered so that {@link #close()} can end them by their pid.
   */
  void kill9() throws InterruptedException {
    process.process.descendants().forEach(orphans::add);
    process.kill9();
  }

  boolean alive() {
    return process != null && process.process.isAlive();
  }

  int port() {
    return Integer.parseInt(env.get("RUQI_HTTP_PORT"));
  }

  HttpTestClient http() {
    return new HttpTestClient(port());
  }

  /** {@code scheduler_status} data of this node (the HTTP bridge answers from the local scheduler). */
  JsonObject status() {
    HttpTestClient.Reply r = http().get("/ruqi/scheduler_status");
    if (r.status() != 200) {
      throw new AssertionError(name + ": scheduler_status answered " + r);
    }
    return r.json().getJsonObject("data");
  }

  /** Posts an operation and insists on {@code stat: OK}. */
  JsonObject ok(String op, JsonObject params) {
    HttpTestClient.Reply r = http().post("/ruqi/" + op, params);
    if (r.status() != 200 || !"OK".equals(r.stat())) {
      throw new AssertionError(name + ": " + op + " " + params.encode() + " answered " + r);
    }
    return r.json();
  }

  /** The last lines of this node's latest run, on one line ("a | b"). */
  String lastLines(int lines) {
    try {
      List<String> all = Files.readAllLines(logs.get(logs.size() - 1));
      return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | IndexOutOfBoundsException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Every line of this node's runs that contains {@code text}, each preceded by its log's name. */
  List<String> linesWith(String text) {
    List<String> found = new ArrayList<>();
    for (Path log : logs) {
      try {
        Files.readAllLines(log).stream().filter(l -> l.contains(text))
            .forEach(l -> found.add(name + " " + log.getFileName() + ": " + l));
      } catch (IOException e) {
        found.add(name + " (no log " + log + ": " + e + ")");
      }
    }
    return found;
  }

  String logTail(int lines) {
    StringBuilder out = new StringBuilder();
    for (Path log : logs) {
      try {
        List<String> all = Files.readAllLines(log);
        out.append("--- ").append(name).append(": ").append(log).append(" (last ").append(lines).append(" lines)\n");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
      } catch (IOException e) {
        out.append("(no log ").append(log).append(": ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws Exception {
    if (frozen && alive()) {
      thaw(); // a stopped process would hold its TERM until it is continued
    }
    if (process != null) {
      process.close();
    }
    for (ProcessHandle p : orphans) {
      p.destroyForcibly();
    }
  }
}
