package io.ruqi;

import io.ruqi.config.ConfigException;
import io.ruqi.config.ConfigLoader;
import io.ruqi.config.RuqiConfig;
import io.ruqi.exec.LaunchMechanism;
import io.ruqi.exec.ProcessRunner;
import io.ruqi.http.HttpApiVerticle;
import io.ruqi.migrate.MigrateCommand;
import io.ruqi.store.StoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code java -jar ruqi.jar [--conf FILE]}: reads the configuration, starts a node and stops it cleanly on
 * SIGTERM. A configuration or start-up error ends the process with one line on stderr.
 * {@code java -jar ruqi.jar migrate ...} brings a RuQi's jobs and history over instead ({@link MigrateCommand}).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    LaunchMechanism.preferVfork(); // before any process starts: the JDK reads it once
    if (args.length > 0 && args[0].equals("migrate")) {
      System.exit(MigrateCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out,
          System.err));
    }
    ProcessRunner.decideHowProcessesStart(); // blocking work, here rather than on an event loop at the node's start
    String confFile;
    try {
      confFile = confFile(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ruqi: " + e.getMessage());
      System.err.println("usage: java -jar ruqi.jar [--conf FILE]   (settings: conf/ruqi.yaml, RUQI_* variables)");
      System.err.println("       java -jar ruqi.jar migrate --from mysql://user:password@host/db [--dry-run] ...");
      System.exit(2);
      return;
    }
    // main is a plain thread, so start-up waits for each step in turn; the configuration decides whether
    // Vert.x is clustered, so it is read with a throwaway Vert.x first
    Vertx vertx = null;
    try {
      Vertx configVertx = Vertx.vertx();
      RuqiConfig config;
      try {
        config = await(ConfigLoader.load(configVertx, confFile, System.getenv()));
      } finally {
        configVertx.close();
      }
      NodeVertx nodeVertx = await(NodeVertx.create(config));
      vertx = nodeVertx.vertx();
      if (config.role().worker()) {
        WorkerNode worker = await(WorkerNode.start(nodeVertx, config, hostName()));
        Vertx running = vertx;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running, worker::stop), "ruqi-shutdown"));
        LOG.info("ruqi {} worker {} (labels {}), clustered on {}:{}", HttpApiVerticle.VERSION, worker.name(),
            config.role().labels(), config.cluster().host(), config.cluster().port());
        return;
      }
      // no time limit: a node whose database is down waits for it (HTTP up, /ready 503) for as long as it takes
      RuqiNode node = RuqiNode.start(nodeVertx, config, Clock.systemUTC(), hostName())
          .toCompletionStage().toCompletableFuture().get();
      Vertx running = vertx;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running, node::stop), "ruqi-shutdown"));
      LOG.info("ruqi {} on http://{}:{} (node {}, store {}, time zone {}{})", HttpApiVerticle.VERSION,
          config.httpHost(), node.port(), node.name(), StoreFactory.redacted(config.storeUrl()), config.timezone(),
          config.cluster().enabled() ? ", clustered" : "");
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("ruqi: cannot start: " + oneLine(cause));
      if (vertx != null) {
        vertx.close();
      }
      System.exit(cause instanceof ConfigException ? 2 : 1);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /**
   * Waits for each step from this plain thread: a continuation chained after {@code vertx.close()} would be handed
   * to an event loop that no longer runs, and never complete.
   */
  private static void stop(Vertx vertx, Supplier<Future<Void>> node) {
    try {
      node.get().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("ruqi: unclean stop: " + oneLine(e));
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("ruqi: unclean shutdown: " + oneLine(e));
    }
  }

  static String confFile(String[] args) {
    String file = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--conf") || a.equals("-conf") || a.equals("-c")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a file name");
        }
        file = args[++i];
      } else if (a.startsWith("--conf=")) {
        file = a.substring("--conf=".length());
      } else {
        throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    return file;
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  private static String oneLine(Throwable e) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !out.toString().contains(root.getMessage())) {
      out.append(" (").append(root.getMessage()).append(')');
    }
    return out.toString().replaceAll("\\s+", " ");
  }
}
