package io.ruqi.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Free ports for the servers that tests start (nodes as processes, MariaDB, Galera members, and cluster members in
 * the test's JVM), some of which are killed and started again on the same port. While one is down, its port is
 * free: another test JVM on the machine (the suite runs two at once, and a developer's run may overlap CI's) must
 * not be able to pick it, or its own server takes the port and the first test's nodes talk to the second's (a CI
 * run saw the chaos test's pair run another test's jobs so). So each JVM holds a slot of 20000-31999 by a file lock
 * for its whole life, and picks only in it. The range is below the kernel's ephemeral ports (32768 on), which
 * outgoing connections and port 0 take.
 */
public final class TestPorts {
  private static final int FROM = 20_000;
  private static final int SLOTS = 6;
  private static final int PER_SLOT = 2_000;
  private static final Random RANDOM = new Random();
  private static final Set<Integer> GIVEN = new HashSet<>();
  /** Held, never released: the slot is this JVM's until it exits (the OS then drops the lock). */
  private static FileLock slotLock;
  private static int slotFrom = -1;

  private TestPorts() {
  }

  /** A port free now, in this JVM's slot, never handed out twice in this JVM. */
  public static synchronized int free() {
    int from = slotFrom();
    for (int tries = 0; tries < 1_000; tries++) {
      int port = from + RANDOM.nextInt(PER_SLOT);
      if (!GIVEN.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (IOException taken) {
        // in use: try another
      }
    }
    throw new IllegalStateException("no free port from " + from + " to " + (from + PER_SLOT - 1));
  }

  /** {@code n} different free ports. */
  public static int[] free(int n) {
    int[] ports = new int[n];
    for (int i = 0; i < n; i++) {
      ports[i] = free();
    }
    return ports;
  }

  private static int slotFrom() {
    if (slotFrom < 0) {
      Path dir = Path.of(System.getProperty("java.io.tmpdir"));
      for (int slot = 0; slot < SLOTS && slotFrom < 0; slot++) {
        FileChannel channel = null;
        try {
          channel = FileChannel.open(dir.resolve("ruqi-test-ports-" + slot + ".lock"), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock();
          if (lock != null) {
            slotLock = lock;
            slotFrom = FROM + slot * PER_SLOT;
          }
        } catch (IOException | RuntimeException e) {
          // another user's lock file, say: that slot counts as held
        } finally {
          if (slotFrom < 0 && channel != null) {
            close(channel);
          }
        }
      }
      if (slotFrom < 0) {
        throw new IllegalStateException("every port slot (" + dir + "/ruqi-test-ports-*.lock) is held by another"
            + " test JVM or cannot be opened");
      }
    }
    return slotFrom;
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // only ever opened to lock
    }
  }
}
