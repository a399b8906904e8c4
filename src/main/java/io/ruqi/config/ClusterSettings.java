package io.ruqi.config;

import java.util.List;

/**
 * The clustered event bus: nodes that share a database also share job changes at once through it.
 *
 * @param members addresses ({@code host} or {@code host:port}) of the nodes to join; no multicast
 * @param secret  what a node must hold to join the cluster and to use its event bus; never logged
 */
public record ClusterSettings(boolean enabled, String name, String host, int port, List<String> members,
                              String secret) {

  /** The shortest {@code cluster.secret} accepted. */
  public static final int MIN_SECRET_LENGTH = 16;

  @Override
  public String toString() {
    return "ClusterSettings[enabled=" + enabled + ", name=" + name + ", host=" + host + ", port=" + port
        + ", members=" + members + ", secret=" + (secret == null || secret.isEmpty() ? "none" : "(set)") + "]";
  }
}
