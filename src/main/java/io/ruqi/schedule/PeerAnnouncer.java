package io.ruqi.schedule;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
  /** The live schedulers as of the last tick or hello: a peer missing from them since went silent. */
  private List<String> known = List.of();

  PeerAnnouncer(EventBus bus, SchedulerPeers peers, String node, Clock clock, Runnable sharesChanged) {
    this.bus = bus;
    this.peers = peers;
    this.node = node;
    this.clock = clock;
    this.sharesChanged = sharesChanged;
  }

  /**
   * Every {@link SchedulerPeers#HELLO_EVERY}: hello while this node works through the store, else hold the peers;
   * and a peer gone silent (dead, frozen, cut off from the store) is said so, and its share is due here on time.
   */
  void tick(boolean working) {
    Instant now = clock.instant();
    if (working) {
      announce("hello");
    } else {
      peers.holdAll(now);
    }
    List<String> live = peers.live(now);
    List<String> gone = known.stream().filter(n -> !live.contains(n)).toList();
    known = live;
    if (!gone.isEmpty()) {
      LOG.info("scheduler {} unheard for {} ms: this node takes its share of the jobs", String.join(", ", gone),
          SchedulerPeers.FORGET_AFTER.toMillis());
      sharesChanged.run();
    }
  }

  void announce(String state) {
    bus.publish(SchedulerBus.PEERS, new JsonObject().put("node", node).put("state", state));
  }

  void onPeer(JsonObject msg) {
    String peer = msg.getString("node");
    if (peer == null || peer.equals(node)) {
      return;
    }
    if ("bye".equals(msg.getString("state"))) {
      peers.left(peer);
      known = peers.live(clock.instant());
      LOG.info("scheduler {} left: this node takes its share of the jobs", peer);
      sharesChanged.run();
    } else {
      Instant now = clock.instant();
      int before = peers.size(now);
      peers.heard(peer, now);
      known = peers.live(now);
      if (peers.size(now) != before) {
        LOG.info("scheduler {} joined: the jobs are shared among {} nodes", peer, peers.size(now));
        sharesChanged.run();
      }
    }
  }
}
