package io.ruqi.cluster;

import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.nio.MemberSocketInterceptor;

/**
 * Hazelcast's open-source edition calls a socket interceptor on every connection, but its node extension never
 * hands one out ("only available on Hazelcast Enterprise"). This node context gives the open-source extension
 * the {@link MemberHandshake}. It leans on Hazelcast's internal classes (pinned to 5.3.8 by the Vert.x BOM):
 * {@code ClusterTrustTest} fails if an upgrade changes them.
 */
final class SecretNodeContext extends DefaultNodeContext {
  private final MemberHandshake handshake;

  SecretNodeContext(MemberHandshake handshake) {
    this.handshake = handshake;
  }

  @Override
  public NodeExtension createNodeExtension(Node node) {
    return new DefaultNodeExtension(node) {
      @Override
      public MemberSocketInterceptor getSocketInterceptor(EndpointQualifier qualifier) {
        return handshake;
      }
    };
  }
}
