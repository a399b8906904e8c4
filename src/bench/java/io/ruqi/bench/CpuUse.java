package io.ruqi.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time (user + system, from {@code /proc/<pid>/stat}) each process of a deployment spent between two readings:
 * on two shared cores, the CPU a fire costs in each process is what tells where a configuration's rate goes.
 */
final class CpuUse {
  /** Linux's USER_HZ: the unit of utime and stime in /proc, 100 on every kernel built for x86. */
  private static final double TICKS_PER_S = 100.0;

  private final Map<String, Long> pids;
  private final Map<String, Long> ticksAtStart;
  private final long startedNanos = System.nanoTime();

  private CpuUse(Map<String, Long> pids) {
    this.pids = pids;
    this.ticksAtStart = read(pids);
  }

  /** Starts counting for the deployment's nodes, its MariaDB (if any) and this JVM (the target of the fires). */
  static CpuUse start(Deployment d) {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (Node n : d.nodes) {
      pids.put(n.name, n.pid());
    }
    long db = d.mariadbPid();
    if (db > 0) {
      pids.put("mariadb", db);
    }
    pids.put("benchmark", ProcessHandle.current().pid());
    return new CpuUse(pids);
  }

  /** Seconds of CPU per process since the start, with the wall time and the machine's whole use (of 2 cores: 2.0). */
  JsonObject stop() {
    double wall = (System.nanoTime() - startedNanos) / 1e9;
    Map<String, Long> now = read(pids);
    JsonObject out = new JsonObject().put("wall_s", round(wall));
    double total = 0;
    for (Map.Entry<String, Long> e : ticksAtStart.entrySet()) {
      Long end = now.get(e.getKey());
      if (end != null && e.getValue() >= 0 && end >= 0) {
        double s = (end - e.getValue()) / TICKS_PER_S;
        total += s;
        out.put(e.getKey() + "_s", round(s));
      }
    }
    return out.put("total_s", round(total)).put("cores_busy", round(total / wall));
  }

  private static Map<String, Long> read(Map<String, Long> pids) {
    Map<String, Long> out = new LinkedHashMap<>();
    pids.forEach((name, pid) -> out.put(name, ticks(pid)));
    return out;
  }

  /** utime + stime of a process (its threads included), or -1 when it is gone. */
  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name in parentheses may hold spaces: fields are counted after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
