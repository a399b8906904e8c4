package io.ruqi.it;

import io.ruqi.testing.HttpTestClient;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  HaNode(String name, Path dir, Map<String, String> env) {
    this.name = name;
    this.dir = dir;
    this.env = Map.copyOf(env);
  }

  HaNode start() throws Exception {
    if (alive()) {
      throw new IllegalStateException(name + " is already running");
    }
    process = RuqiProcess.start(dir, env);
    logs.add(process.log);
    // the API answers before the scheduler is deployed: ready means the scheduler runs and reaches the store
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (http().get("/ready").status() != 200) {
      if (System.nanoTime() > deadline || !alive()) {
        throw new IllegalStateException(name + " not ready within 60 s\n" + logTail(60));
      }
      Thread.sleep(100);
    }
    return this;
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
  public void close() throws InterruptedException {
    if (process != null) {
      process.close();
    }
    for (ProcessHandle p : orphans) {
      p.destroyForcibly();
    }
  }
}
