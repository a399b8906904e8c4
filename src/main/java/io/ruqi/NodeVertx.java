package io.ruqi;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ruqi.cluster.ClusteredVertx;
import io.ruqi.config.RuqiConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The Vert.x instance of a node and the meter registry behind its {@code /metrics}. Each node has its own registry,
 * so that two nodes in one JVM (tests) never mix their numbers.
 */
public record NodeVertx(Vertx vertx, PrometheusMeterRegistry registry) {

  public static Future<NodeVertx> create(RuqiConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // no event-bus meters: they count every message by address, and every API call and fire is a few messages
    // (8% of a job_add's CPU in JFR); the scheduler's own meters say what matters
    VertxOptions options = new VertxOptions().setMetricsOptions(
        new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS));
    MicrometerMetricsFactory metrics = new MicrometerMetricsFactory(registry);
    Future<Vertx> vertx = config.cluster().enabled()
        ? ClusteredVertx.start(config.cluster(), options, metrics)
        : Future.succeededFuture(Vertx.builder().with(options).withMetrics(metrics).build());
    return vertx.map(v -> new NodeVertx(v, registry));
  }
}
