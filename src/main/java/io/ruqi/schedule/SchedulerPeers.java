package io.ruqi.schedule;

import io.ruqi.store.JobShare;

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

  private final String self;
  private final Map<String, Instant> lastHeard = new HashMap<>();
  private List<String> ring;

  SchedulerPeers(String self) {
    this.self = self;
    this.ring = List.of(self);
  }

  void heard(String node, Instant at) {
    if (!node.equals(self) && lastHeard.put(node, at) == null) {
      ring = null;
    }
  }

  /**
   * This node cannot work through the store now (it is silent to its peers): the peers it knows are kept as heard
   * now. A silence of theirs that overlaps its own is most likely the same outage; forgotten, their shares would be
   * taken for this node's own at its first read once back, before their next hello.
   */
  void holdAll(Instant now) {
    lastHeard.replaceAll((node, at) -> now);
  }

  void left(String node) {
    if (lastHeard.remove(node) != null) {
      ring = null;
    }
  }

  /** Whether this node should claim the job's fires as soon as they are due. */
  boolean prefers(String jobId, Instant now) {
    return self.equals(preferred(jobId, now));
  }

  /** The node that claims the job's fires first: the same answer on every node that sees the same peers. */
  String preferred(String jobId, Instant now) {
    List<String> nodes = ring(now);
    return nodes.size() == 1 ? self : nodes.get(JobShare.slot(jobId, nodes.size()));
  }

  /** The jobs this node prefers, as the store can select them. */
  JobShare share(Instant now) {
    List<String> nodes = ring(now);
    return nodes.size() == 1 ? JobShare.ALL : new JobShare(nodes.size(), nodes.indexOf(self));
  }

  int size(Instant now) {
    return ring(now).size();
  }

  /** The live schedulers, this one included, in the same order on every node that sees the same peers. */
  List<String> live(Instant now) {
    return ring(now);
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
}
