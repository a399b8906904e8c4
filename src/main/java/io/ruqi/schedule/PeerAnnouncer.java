package io.ruqi.schedule;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Who claims which job first: this node says hello (and bye) on {@link SchedulerBus#PEERS}, hears its peers, and
 * when the set of live schedulers changes, asks for the heap to be ordered by the new shares
 * ({@link SchedulerPeers}).
 */
final class PeerAnnouncer {
  private static final Logger LOG = LoggerFactory.getLogger(PeerAnnouncer.class);

  private final EventBus bus;
  private final SchedulerPeers peers;
  private final String node;
  private final Clock clock;
  private final Runnable sharesChanged;
  private final BooleanSupplier claims;

  /** @param claims whether this node reaches the store: told to the peers, which take its share over if not */
  PeerAnnouncer(EventBus bus, SchedulerPeers peers, String node, Clock clock, Runnable sharesChanged,
                BooleanSupplier claims) {
    this.claims = claims;
    this.bus = bus;
    this.peers = peers;
    this.node = node;
    this.clock = clock;
    this.sharesChanged = sharesChanged;
  }

  void announce(String state) {
    bus.publish(SchedulerBus.PEERS, new JsonObject().put("node", node).put("state", state)
        .put("claims", claims.getAsBoolean()));
  }

  void onPeer(JsonObject msg) {
    String peer = msg.getString("node");
    if (peer == null || peer.equals(node)) {
      return;
    }
    if ("bye".equals(msg.getString("state"))) {
      peers.left(peer);
      LOG.info("scheduler {} left: this node takes its share of the jobs", peer);
      sharesChanged.run();
    } else {
      Instant now = clock.instant();
      int before = peers.size(now);
      peers.heard(peer, now, msg.getBoolean("claims", true));
      if (peers.size(now) != before) {
        LOG.info("scheduler {} joined: the jobs are shared among {} nodes", peer, peers.size(now));
        sharesChanged.run();
      }
    }
  }
}
