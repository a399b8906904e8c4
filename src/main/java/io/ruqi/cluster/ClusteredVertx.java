package io.ruqi.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.SocketInterceptorConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import io.ruqi.config.ClusterSettings;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.UUID;

/**
 * Builds the Vert.x instance of a clustered node: Hazelcast joins the listed members over TCP (no multicast, which
 * most networks drop), and the event bus talks over {@code cluster.host}. The database stays the only judge of who
 * runs a fire; the cluster only carries change notices and the event-bus API.
 *
 * <p>Both listen on {@code cluster.host} only, and both admit only holders of {@code cluster.secret}: Hazelcast
 * through the {@link MemberHandshake} on every connection, the event bus through {@link EventBusTls}.
 */
public final class ClusteredVertx {
  /** The member attribute by which vertx-hazelcast knows a member's Vert.x node. */
  private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private ClusteredVertx() {
  }

  public static Future<Vertx> start(ClusterSettings settings) {
    return start(settings, new VertxOptions(), null);
  }

  public static Future<Vertx> start(ClusterSettings settings, VertxOptions options, VertxMetricsFactory metrics) {
    ClusterSecret secret = new ClusterSecret(settings.secret());
    MemberHandshake handshake = new MemberHandshake(secret);
    Future<HazelcastInstance> joined = join(hazelcastConfig(settings, handshake), handshake);
    // while Hazelcast joins: the key store costs a cold JVM a second or two (the JDK's security providers)
    try {
      EventBusTls.apply(options.getEventBusOptions(), secret);
    } catch (RuntimeException e) {
      joined.onSuccess(instance -> instance.getLifecycleService().terminate());
      return Future.failedFuture(e);
    }
    options.getEventBusOptions().setHost(settings.host()).setClusterPublicHost(settings.host());
    return joined.compose(instance -> {
      VertxBuilder builder = Vertx.builder().with(options).withClusterManager(new OwnedInstance(instance));
      return (metrics == null ? builder : builder.withMetrics(metrics)).buildClustered()
          .onFailure(e -> instance.getLifecycleService().terminate());
    });
  }

  static Config hazelcastConfig(ClusterSettings settings, MemberHandshake handshake) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(settings.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // ruqi's own shutdown hook leaves the cluster last, after the node has stopped
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    // a dead member is noticed within seconds, not the default minute
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    // without these Hazelcast listens on every interface, whatever the interfaces below say
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.socket.client.bind.any", "false");
    hz.getJetConfig().setEnabled(false);
    // Hazelcast's own metrics feed its Management Center, which ruqi does not use (it has /metrics): their collection
    // every 5 s cost each node of a pair half a second of the JIT's time in a burst of fires
    hz.getMetricsConfig().setEnabled(false);
    hz.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, UUID.randomUUID().toString());
    hz.getNetworkConfig().setPort(settings.port()).setPortAutoIncrement(true).setPortCount(20);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(settings.host());
    hz.getNetworkConfig().setSocketInterceptorConfig(
        new SocketInterceptorConfig().setEnabled(true).setImplementation(handshake));
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    // nodes started together ask each other for a master this long before one claims the role (default 5 s,
    // all of it spent before the node can serve); a split that this leaves behind is merged within seconds
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
    settings.members().forEach(member -> join.getTcpIpConfig().addMember(member));
    return hz;
  }

  /** Starts the Hazelcast member on a thread of its own: joining blocks until the cluster has formed. */
  private static Future<HazelcastInstance> join(Config hz, MemberHandshake handshake) {
    Promise<HazelcastInstance> joined = Promise.promise();
    Thread thread = new Thread(() -> {
      try {
        joined.complete(HazelcastInstanceFactory.newHazelcastInstance(hz, null, new SecretNodeContext(handshake)));
      } catch (Throwable e) {
        joined.fail(e);
      }
    }, "ruqi-cluster-join");
    thread.setDaemon(true);
    thread.start();
    return joined.future();
  }

  /**
   * vertx-hazelcast leaves a Hazelcast instance it was given running when Vert.x closes ("not the owner"): this
   * one owns it, and shuts it down once Vert.x has left the cluster.
   */
  private static final class OwnedInstance extends HazelcastClusterManager {
    private final HazelcastInstance instance;

    OwnedInstance(HazelcastInstance instance) {
      super(instance);
      this.instance = instance;
    }

    @Override
    public void leave(Completable<Void> promise) {
      super.leave((ignored, failure) -> {
        // shutting down waits for the member's goodbye: not on the thread that completed the leave
        Thread thread = new Thread(() -> {
          instance.getLifecycleService().shutdown();
          promise.complete(null, failure);
        }, "ruqi-cluster-leave");
        thread.setDaemon(true);
        thread.start();
      });
    }
  }
}
