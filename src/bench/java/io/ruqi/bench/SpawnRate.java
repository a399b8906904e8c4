package io.ruqi.bench;

import io.ruqi.exec.Command;
import io.ruqi.exec.FireContext;
import io.ruqi.exec.LaunchMechanism;
import io.ruqi.exec.ProcessRunner;
import io.ruqi.exec.RunResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * spawn: how many processes this JVM starts per second, without a node: {@code runner} runs {@code true} through
 * {@link ProcessRunner} (its own group, output capture, the group check after exit), {@code bare} runs
 * {@code setsid true} from a plain thread pool with a thread reading the output. Same JVM, same flags, so the two
 * tell the runner's own cost from what spawning costs here. Several rounds: the first one is cold.
 * <pre>bash scripts/bench.sh spawn [runner|bare] [n] [threads] [rounds]</pre>
 * {@code MAVEN_OPTS=-Djdk.lang.Process.launchMechanism=POSIX_SPAWN} measures the JDK's default launch instead.
 */
final class SpawnRate {
  private SpawnRate() {
  }

  static void run(List<String> args) throws Exception {
    LaunchMechanism.preferVfork(); // as a node does, before this JVM starts its first process
    String mode = args.isEmpty() ? "runner" : args.get(0);
    int n = args.size() > 1 ? Integer.parseInt(args.get(1)) : 1_000;
    int threads = args.size() > 2 ? Integer.parseInt(args.get(2)) : 16;
    int rounds = args.size() > 3 ? Integer.parseInt(args.get(3)) : 3;
    Benchmark.log("spawn: %s, %,d × true, %d at once, launch mechanism %s", mode, n, threads,
        System.getProperty("jdk.lang.Process.launchMechanism", "the JDK's default"));
    Vertx vertx = Vertx.vertx();
    ProcessRunner runner = new ProcessRunner(vertx, Path.of("."), Map.of(), threads, Duration.ofSeconds(5));
    try {
      for (int r = 1; r <= rounds; r++) {
        long t0 = System.nanoTime();
        int failed = "bare".equals(mode) ? bare(n, threads) : viaRunner(runner, n);
        double s = (System.nanoTime() - t0) / 1e9;
        Benchmark.log("  round %d: %.2f s, %,.0f/s%s", r, s, n / s, failed == 0 ? "" : ", " + failed + " failed");
      }
    } finally {
      Sync.await(runner.close());
      Sync.await(vertx.close());
    }
  }

  private static int viaRunner(ProcessRunner runner, int n) {
    FireContext fire = new FireContext("1", "spawn", Instant.now(), "1@0", 1, Duration.ofMinutes(1));
    List<Future<RunResult>> runs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      runs.add(runner.run(new Command.Process(List.of("true")), fire));
    }
    Sync.await(Future.join(runs));
    return (int) runs.stream().filter(f -> !f.result().success()).count();
  }

  private static int bare(int n, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        runs.add(pool.submit(() -> {
          Process p = new ProcessBuilder("setsid", "true").redirectErrorStream(true).start();
          Thread pump = new Thread(() -> {
            try (var out = p.getInputStream()) {
              out.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException ignored) {
              // the run's exit status is what counts here
            }
          });
          pump.start();
          int status = p.waitFor();
          pump.join();
          return status;
        }));
      }
      int failed = 0;
      for (var run : runs) {
        failed += run.get() == 0 ? 0 : 1;
      }
      return failed;
    } finally {
      pool.shutdown();
    }
  }
}
