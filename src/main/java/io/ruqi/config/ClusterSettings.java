package io.ruqi.config;

import java.util.List;

/**
 * The clustered event bus: nodes that share a database also share job changes at once through it.
 *
 * @param members addresses ({@code host} or {@code host:port}) of the nodes to join; no multicast
 */
public record ClusterSettings(boolean enabled, String name, String host, int port, List<String> members) {
}
