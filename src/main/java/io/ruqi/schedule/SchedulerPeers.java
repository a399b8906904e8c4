package io.ruqi.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedulers this node has heard from lately, and which of them prefers which job. Nodes of a pair would
 * otherwise race for every fire: both send the same claim, and the loser waits on the winner's row locks. With a
 * preference, each node claims its own share of the jobs at once and a peer's share only once it is overdue, so the
 * race remains only where it is needed (a peer dead, or behind). The preference is an optimisation, never the
 * fence: the claim in the database still decides, so nodes that briefly disagree about who is alive stay correct.
 *
 * <p>Peers announce themselves on the (clustered) event bus; a node that has heard from nobody prefers every job,
 * which is also what a node without a cluster does.
 */
final class SchedulerPeers {
  /** How often a node announces itself. */
  static final Duration HELLO_EVERY = Duration.ofSeconds(1);
  /** A peer unheard for this long is taken for gone. */
  static final Duration FORGET_AFTER = Duration.ofMillis(3500);
  /** A peer unheard for this long has missed a hello: frozen or dead, perhaps, until it is forgotten. */
  static final Duration HELLO_MISSED = HELLO_EVERY.plusMillis(500);
  /** A fire of a peer's share that has missed a hello, or cannot reach the store, is claimed here this late. */
  static final Duration TAKEOVER_FROM_STOPPED = Duration.ofSeconds(1);
  /**
   * A fire of a live peer's share (it said hello on time, and that it reaches the store) is claimed here this late:
   * the peer is behind, and both nodes claiming the same fires only made each wait on the other's row locks (in a
   * pair's drain of 50,000, 22,000 claims lost per node when this was 1 s). Still bounded, should two nodes disagree
   * about who is alive.
   */
  static final Duration TAKEOVER_FROM_LIVE = Duration.ofSeconds(10);

  private final String self;
  private final Map<String, Instant> lastHeard = new HashMap<>();
  /** Whether each peer said, in its last hello, that it reaches the store. */
  private final Map<String, Boolean> claiming = new HashMap<>();
  private List<String> ring;

  SchedulerPeers(String self) {
    this.self = self;
    this.ring = List.of(self);
  }

  void heard(String node, Instant at) {
    heard(node, at, true);
  }

  /** @param claims whether the peer says it reaches the store (a node that does not say is taken to) */
  void heard(String node, Instant at, boolean claims) {
    if (node.equals(self)) {
      return;
    }
    claiming.put(node, claims);
    if (lastHeard.put(node, at) == null) {
      ring = null;
    }
  }

  void left(String node) {
    claiming.remove(node);
    if (lastHeard.remove(node) != null) {
      ring = null;
    }
  }

  /**
   * How long after its time a fire of {@code jobId} waits before this node claims it: nothing for this node's own
   * share, {@link #TAKEOVER_FROM_STOPPED} for that of a peer that has missed a hello or cannot reach the store,
   * {@link #TAKEOVER_FROM_LIVE} for a live peer's.
   */
  Duration takeOverAfter(String jobId, Instant now) {
    String peer = preferred(jobId, now);
    if (peer.equals(self)) {
      return Duration.ZERO;
    }
    Instant heard = lastHeard.get(peer);
    boolean live = heard != null && !heard.plus(HELLO_MISSED).isBefore(now) && claiming.getOrDefault(peer, true);
    return live ? TAKEOVER_FROM_LIVE : TAKEOVER_FROM_STOPPED;
  }

  /** Whether this node should claim the job's fires as soon as they are due. */
  boolean prefers(String jobId, Instant now) {
    return self.equals(preferred(jobId, now));
  }

  /** The node that claims the job's fires first: the same answer on every node that sees the same peers. */
  String preferred(String jobId, Instant now) {
    List<String> nodes = ring(now);
    return nodes.size() == 1 ? self : nodes.get(Math.floorMod(mix(jobId.hashCode()), nodes.size()));
  }

  int size(Instant now) {
    return ring(now).size();
  }

  /** The live schedulers, this one included, in the same order on every node. */
  private List<String> ring(Instant now) {
    if (lastHeard.values().removeIf(at -> at.plus(FORGET_AFTER).isBefore(now))) {
      ring = null;
    }
    if (ring == null) {
      List<String> nodes = new ArrayList<>(lastHeard.keySet());
      nodes.add(self);
      nodes.sort(null);
      ring = List.copyOf(nodes);
    }
    return ring;
  }

  /** Spreads similar ids (job-1, job-2, ...) evenly; String.hashCode alone differs only in its low bits. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
