package io.ruqi.cluster;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The shared secret of a cluster ({@code cluster.secret}) and the keys drawn from it, one per use, so that no key
 * serves two protocols: HMAC-SHA256 of a fixed label, keyed by the secret (HKDF's extract step).
 */
final class ClusterSecret {
  private static final String MEMBER_HANDSHAKE = "ruqi cluster: hazelcast member handshake v1";
  private static final String EVENT_BUS_KEY = "ruqi cluster: event-bus ed25519 key v1";

  private final byte[] secret;

  ClusterSecret(String secret) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs a secret");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** The key that members prove they hold before Hazelcast speaks on a connection. */
  byte[] memberHandshakeKey() {
    return hmac(secret, MEMBER_HANDSHAKE.getBytes(StandardCharsets.UTF_8));
  }

  /** The 32 bytes of the event bus's Ed25519 private key: every node derives the same key pair. */
  byte[] eventBusKeySeed() {
    return hmac(secret, EVENT_BUS_KEY.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
