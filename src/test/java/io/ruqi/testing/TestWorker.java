package io.ruqi.testing;

import io.ruqi.NodeVertx;
import io.ruqi.WorkerNode;
import io.ruqi.config.RuqiConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real worker node ({@code node.role: worker}) in this JVM, on its own clustered Vert.x, as {@code Main} builds
 * it. Its processes get {@code WHO=<its name>} ({@code exec.env}), so a run's output says where it ran.
 */
public record TestWorker(Vertx vertx, WorkerNode node) implements AutoCloseable {

  /**
   * @param cluster  the {@code cluster} settings (its port, the members, the secret)
   * @param programs its {@code policy.programs}: empty allows every program
   */
  public static TestWorker start(String name, JsonArray labels, JsonArray programs, JsonObject cluster) {
    return start(name, labels, programs, cluster, new JsonObject());
  }

  /** As above, with {@code extra} configuration merged in (e.g. {@code exec.process_concurrency}). */
  public static TestWorker start(String name, JsonArray labels, JsonArray programs, JsonObject cluster,
                                 JsonObject extra) {
    RuqiConfig config = RuqiConfig.from(new JsonObject()
        .put("node", new JsonObject().put("name", name).put("role", "worker").put("labels", labels))
        .put("exec", new JsonObject().put("env", new JsonObject().put("WHO", name)))
        .put("policy", new JsonObject().put("programs", programs))
        .put("scheduler", new JsonObject().put("shutdown_grace", 0))
        .put("cluster", cluster).mergeIn(extra, true));
    NodeVertx nodeVertx = TestNode.await(NodeVertx.create(config));
    return new TestWorker(nodeVertx.vertx(), TestNode.await(WorkerNode.start(nodeVertx, config, "localhost")));
  }

  /** Stops as on SIGTERM: no more orders, runs cut off after {@code scheduler.shutdown_grace} (0), then leaves. */
  @Override
  public void close() {
    TestNode.await(node.stop());
    TestNode.await(vertx.close());
  }
}
