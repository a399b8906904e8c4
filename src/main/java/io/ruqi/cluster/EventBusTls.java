package io.ruqi.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.NamedParameterSpec;
import java.util.Set;

/**
 * TLS 1.3 with client certificates on the clustered event bus, keyed by {@code cluster.secret}: every node derives
 * the same Ed25519 key pair from the secret and the same self-signed certificate (Ed25519 signatures are
 * deterministic), presents it, and trusts only it. A peer without the secret can neither open a connection to a
 * node's event bus nor accept one from it, so it can send, receive and read no message.
 */
final class EventBusTls {
  private static final char[] STORE_PASSWORD = "ruqi".toCharArray();

  private EventBusTls() {
  }

  static void apply(EventBusOptions options, ClusterSecret secret) {
    try {
      KeyPair keys = keyPair(secret.eventBusKeySeed());
      X509Certificate cert = SelfSignedCertificate.of(keys, "ruqi cluster");
      KeyStore own = emptyStore();
      own.setKeyEntry("ruqi", keys.getPrivate(), STORE_PASSWORD, new Certificate[] {cert});
      KeyStore trusted = emptyStore();
      trusted.setCertificateEntry("ruqi", cert);
      // the event bus's own default trusts any server: a node would then talk to whoever answers at a peer's
      // address
      options.setSsl(true)
          .setTrustAll(false)
          .setClientAuth(ClientAuth.REQUIRED)
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
          .setKeyCertOptions(new PfxOptions().setValue(bytes(own)).setPassword(new String(STORE_PASSWORD)))
          .setTrustOptions(new PfxOptions().setValue(bytes(trusted)).setPassword(new String(STORE_PASSWORD)));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up the event bus's TLS: " + e.getMessage(), e);
    }
  }

  /** The JDK draws an Ed25519 private key as 32 random bytes: given these 32 bytes, the pair is always the same. */
  static KeyPair keyPair(byte[] seed) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
    return generator.generateKeyPair();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static Buffer bytes(KeyStore store) throws GeneralSecurityException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, STORE_PASSWORD);
    return Buffer.buffer(out.toByteArray());
  }

  /** Hands out the seed, once; asked for more, it fails rather than give bytes that are not the seed's. */
  private static final class FixedBytes extends SecureRandom {
    private byte[] seed;

    FixedBytes(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (seed == null || bytes.length != seed.length) {
        throw new IllegalStateException("the key generator asked for other bytes than one 32-byte seed");
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
      seed = null;
    }
  }
}
