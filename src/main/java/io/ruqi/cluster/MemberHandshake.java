package io.ruqi.cluster;

import com.hazelcast.nio.MemberSocketInterceptor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Properties;

/**
 * A challenge and response on every Hazelcast connection, in both directions, before Hazelcast reads a byte: each
 * side sends a fresh nonce, and each proves it holds the key drawn from {@code cluster.secret} with an HMAC over
 * both nonces and its role. The connecting side proves first, so that a stranger who connects learns nothing but
 * a random nonce. A member or a Hazelcast client without the secret is closed before it can join, read or write.
 *
 * <p>It authenticates the two ends of a connection, not what travels on it afterwards (Hazelcast's open-source
 * edition has no TLS): one who can rewrite packets on the network path between two nodes is not kept out here.
 * The event bus, which carries the API, has TLS of its own ({@link EventBusTls}).
 */
final class MemberHandshake implements MemberSocketInterceptor {
  private static final byte[] MAGIC = "RUQIHZ01".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONNECTS = {'C'};
  private static final byte[] ACCEPTS = {'A'};
  private static final int NONCE = 32;
  private static final int MAC = 32;
  /** A peer that stalls holds one of Hazelcast's I/O tasks; it is dropped after this. */
  static final int TIMEOUT_MS = 5_000;

  private final byte[] key;
  private final SecureRandom random = new SecureRandom();

  MemberHandshake(ClusterSecret secret) {
    this.key = secret.memberHandshakeKey();
  }

  @Override
  public void init(Properties properties) {
  }

  /** This node connects: it proves first, then checks the proof of the node it reached. */
  @Override
  public void onConnect(Socket socket) throws IOException {
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(TIMEOUT_MS);
    byte[] mine = nonce();
    write(socket, MAGIC, mine);
    byte[] theirs = readHello(socket);
    write(socket, ClusterSecret.hmac(key, CONNECTS, mine, theirs));
    expect(socket, ClusterSecret.hmac(key, ACCEPTS, theirs, mine));
    socket.setSoTimeout(timeout);
  }

  /** A node connected to this one: it must prove before it hears this node's proof. */
  @Override
  public void onAccept(Socket socket) throws IOException {
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(TIMEOUT_MS);
    byte[] theirs = readHello(socket);
    byte[] mine = nonce();
    write(socket, MAGIC, mine);
    expect(socket, ClusterSecret.hmac(key, CONNECTS, theirs, mine));
    write(socket, ClusterSecret.hmac(key, ACCEPTS, mine, theirs));
    socket.setSoTimeout(timeout);
  }

  private byte[] nonce() {
    byte[] n = new byte[NONCE];
    random.nextBytes(n);
    return n;
  }

  private static byte[] readHello(Socket socket) throws IOException {
    byte[] hello = read(socket, MAGIC.length + NONCE);
    if (!Arrays.equals(hello, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IOException("refused a cluster connection from " + socket.getRemoteSocketAddress()
          + ": not a ruqi node (a Hazelcast member or client of another kind)");
    }
    return Arrays.copyOfRange(hello, MAGIC.length, hello.length);
  }

  private static void expect(Socket socket, byte[] proof) throws IOException {
    if (!MessageDigest.isEqual(proof, read(socket, MAC))) {
      throw new IOException("refused a cluster connection with " + socket.getRemoteSocketAddress()
          + ": it does not know cluster.secret");
    }
  }

  private static void write(Socket socket, byte[]... parts) throws IOException {
    int size = 0;
    for (byte[] p : parts) {
      size += p.length;
    }
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    // the stream is not closed: that would close Hazelcast's socket
    socket.getOutputStream().write(all);
    socket.getOutputStream().flush();
  }

  private static byte[] read(Socket socket, int n) throws IOException {
    byte[] out = new byte[n];
    InputStream in = socket.getInputStream();
    int at = 0;
    while (at < n) {
      int got = in.read(out, at, n - at);
      if (got < 0) {
        throw new EOFException("the cluster connection with " + socket.getRemoteSocketAddress()
            + " closed during the handshake");
      }
      at += got;
    }
    return out;
  }
}
