package io.ruqi.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * A Vert.x instance that joins ruqi's cluster as a user's service does: with ruqi's own
 * {@code io.ruqi.cluster.ClusteredVertx} (the secret's handshake and the event bus's TLS), from the server's jar.
 * The jar is on the *IT tests' class path at run time only, so it is reached by name here: nothing of the client,
 * not even its tests, compiles against the server.
 */
final class ClusterPeer {
  private ClusterPeer() {
  }

  @SuppressWarnings("unchecked")
  static Future<Vertx> join(List<String> members, String secret) throws Exception {
    Class<?> settings = Class.forName("io.ruqi.config.ClusterSettings");
    Object joining = settings.getConstructor(boolean.class, String.class, String.class, int.class, List.class,
        String.class).newInstance(true, "ruqi", "127.0.0.1", RuqiNode.freePort(),
        members, secret);
    try {
      return (Future<Vertx>) Class.forName("io.ruqi.cluster.ClusteredVertx").getMethod("start", settings)
          .invoke(null, joining);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
