package io.ruqi.store;

import io.ruqi.config.ConfigException;
import io.ruqi.config.ConfigKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Holds the embedded store's file for this process while it runs ({@code <file>.lock}, locked, never removed). SQLite
 * lets any number of processes open one file, and a second ruqi on it (an overlapping restart, a copy started on
 * another port) would take the first one's running fires for a dead node's, and run them again; H2 refused a second
 * process by its own lock. The OS releases the lock when the process dies, kill -9 included.
 */
final class StoreFileLock implements AutoCloseable {
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;

  private StoreFileLock(Path lockFile, FileChannel channel, FileLock lock) {
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * The lock files this process holds. A second channel on a file this process has locked must never be opened:
   * closing it would drop the first one's lock (POSIX locks are the process's, per file), and let another process in.
   */
  private static final Set<Path> HELD = new HashSet<>();

  /** Blocking. @throws ConfigException when another process (or this one) holds the file */
  static StoreFileLock take(Path file) {
    Path lockFile = Path.of(file + ".lock").toAbsolutePath().normalize();
    synchronized (HELD) {
      if (!HELD.add(lockFile)) {
        throw inUse(file, lockFile);
      }
    }
    try {
      return lock(file, lockFile);
    } catch (RuntimeException e) {
      synchronized (HELD) {
        HELD.remove(lockFile);
      }
      throw e;
    }
  }

  private static StoreFileLock lock(Path file, Path lockFile) {
    FileChannel channel = null;
    try {
      PrivateFiles.createPrivate(lockFile);
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(file, lockFile);
      }
      return new StoreFileLock(lockFile, channel, lock);
    } catch (ConfigException e) {
      closeQuietly(channel);
      throw e;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private static ConfigException inUse(Path file, Path lockFile) {
    return new ConfigException(ConfigKeys.STORE_URL, file + " is in use by another ruqi process (it holds " + lockFile
        + "): one process per embedded store; give each node its own file, or share MySQL/MariaDB for an HA pair");
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // the channel's close below releases it too
    }
    closeQuietly(channel);
    synchronized (HELD) {
      HELD.remove(lockFile);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held is left behind: the OS drops the lock with the descriptor
    }
  }
}
