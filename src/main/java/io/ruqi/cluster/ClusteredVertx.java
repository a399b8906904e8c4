package io.ruqi.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.ruqi.config.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds the Vert.x instance of a clustered node: Hazelcast joins the listed members over TCP (no multicast, which
 * most networks drop), and the event bus talks over {@code cluster.host}. The database stays the only judge of who
 * runs a fire; the cluster only carries change notices and the event-bus API.
 */
public final class ClusteredVertx {

  private ClusteredVertx() {
  }

  public static Future<Vertx> start(ClusterSettings settings) {
    return start(settings, new VertxOptions(), null);
  }

  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options, VertxMetricsFactory metrics) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(settings.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // ruqi's own shutdown hook leaves the cluster last, after the node has stopped
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    // a dead member is noticed within seconds, not the default minute
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    hz.getNetworkConfig().setPort(settings.port()).setPortAutoIncrement(true).setPortCount(20);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(settings.host());
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    settings.members().forEach(member -> join.getTcpIpConfig().addMember(member));
    options.getEventBusOptions().setHost(settings.host()).setClusterPublicHost(settings.host());
    VertxBuilder builder = Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz));
    return (metrics == null ? builder : builder.withMetrics(metrics)).buildClustered();
  }
}
