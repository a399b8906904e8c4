package io.ruqi.bench;

import io.ruqi.cluster.ClusteredVertx;
import io.ruqi.config.ClusterSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.List;

/**
 * The benchmark JVM's side of the fires: a Vert.x instance that joins the nodes' Hazelcast cluster and consumes
 * {@code bench.noop} (replies at once), and an HTTP sink on 127.0.0.1 that answers 200 {"stat":"OK"}. Both record
 * each fire's arrival in the {@link Recorder}.
 */
final class Target implements AutoCloseable {
  static final String ADDRESS = "bench.noop";
  static final String EVENTBUS_CMD = "eventbus:" + ADDRESS;
  /** The nodes' and this JVM's cluster.secret: one per benchmark run. */
  static final String CLUSTER_SECRET = "bench-" + java.util.UUID.randomUUID();

  final Vertx vertx;
  final Recorder recorder = new Recorder();
  private final HttpServer sink;

  private Target(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().<Object>consumer(ADDRESS, msg -> {
      recorder.record(msg.headers().get("X-Ruqi-Fire-Id"), System.currentTimeMillis());
      msg.reply("ok");
    }).completion().toCompletionStage().toCompletableFuture().join();
    sink = Sync.await(vertx.createHttpServer().requestHandler(req -> {
      recorder.record(req.getHeader("Idempotency-Key"), System.currentTimeMillis());
      req.body().onComplete(ar -> req.response().putHeader("content-type", "application/json")
          .end("{\"stat\":\"OK\"}"));
    }).listen(0, "127.0.0.1"));
  }

  /** A member of cluster {@code name} on {@code port}, with the nodes listed as members. */
  static Target clustered(String name, int port, List<String> members) {
    return new Target(Sync.await(ClusteredVertx.start(new ClusterSettings(true, name, "127.0.0.1", port, members, CLUSTER_SECRET))));
  }

  String httpCmd() {
    return "http://127.0.0.1:" + sink.actualPort() + "/sink";
  }

  @Override
  public void close() {
    Sync.await(vertx.close());
  }
}
