package io.ruqi;

import io.ruqi.config.RuqiConfig;
import io.ruqi.events.LiveOutputBus;
import io.ruqi.exec.CommandPolicy;
import io.ruqi.exec.ProcessEnvironment;
import io.ruqi.exec.ProcessRunner;
import io.ruqi.worker.WorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One running worker node ({@code node.role: worker}): on the clustered Vert.x only its process runner, under its
 * own {@code exec.*} and {@code policy.*}, the live-output bus (so a run's lines are watched from any scheduler's
 * console) and the {@link WorkerVerticle}. No store, no scheduler, no HTTP: a worker is reached over the cluster's
 * event bus alone, which the cluster secret guards.
 */
public final class WorkerNode {
  private final Vertx vertx;
  private final ProcessRunner processes;
  private final String name;
  private final List<String> deployments;

  private WorkerNode(Vertx vertx, ProcessRunner processes, String name, List<String> deployments) {
    this.vertx = vertx;
    this.processes = processes;
    this.name = name;
    this.deployments = deployments;
  }

  /** {@code hostName} names the worker when {@code node.name} is not set (as {@code host:cluster.port}). */
  public static Future<WorkerNode> start(NodeVertx nodeVertx, RuqiConfig config, String hostName) {
    Vertx vertx = nodeVertx.vertx();
    String name = config.nodeName() != null ? config.nodeName() : hostName + ":" + config.cluster().port();
    LiveOutputBus liveOutput = new LiveOutputBus(vertx.eventBus(), name, System::nanoTime);
    ProcessRunner processes = new ProcessRunner(vertx, Path.of(config.execWorkdir()), config.execAliases(),
        new ProcessEnvironment(System.getenv(), config.execEnv()), config.processConcurrency(), config.killGrace(),
        liveOutput);
    WorkerVerticle worker = new WorkerVerticle(name, config.role().labels(), processes,
        new CommandPolicy(config.policy()), config.processConcurrency(), config.shutdownGrace());
    List<String> deployed = new ArrayList<>();
    return vertx.deployVerticle(liveOutput)
        .compose(liveId -> {
          deployed.add(liveId);
          return vertx.deployVerticle(worker);
        })
        .map(workerId -> {
          deployed.add(0, workerId);
          return new WorkerNode(vertx, processes, name, deployed);
        })
        .recover(e -> undeploy(vertx, deployed).compose(v -> processes.close())
            .transform(ignored -> Future.failedFuture(e)));
  }

  public String name() {
    return name;
  }

  /** Stops taking orders, lets runs end within {@code scheduler.shutdown_grace}, then ends the rest. */
  public Future<Void> stop() {
    return undeploy(vertx, deployments).compose(v -> processes.close());
  }

  private static Future<Void> undeploy(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain;
  }
}
