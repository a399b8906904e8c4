package io.ruqi.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The embedded store's files hold every job's command and every run's output, so only ruqi's user may read them.
 * Java cannot set a umask, and H2 creates its files with the process's (usually 0644), so ruqi creates the
 * directories it needs as 0700 and narrows the database's files to 0600 once H2 has made them. A directory that
 * already existed is the operator's: it is not changed, only warned about when others can enter it.
 */
final class PrivateFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {
  }

  /** Creates the missing directories above {@code file}, each 0700. */
  static void directoriesFor(Path file) {
    Path dir = file.toAbsolutePath().normalize().getParent();
    if (dir == null || !posix()) {
      return;
    }
    try {
      create(dir);
      Set<PosixFilePermission> actual = Files.getPosixFilePermissions(dir);
      if (actual.stream().anyMatch(p -> !DIRECTORY.contains(p))) {
        LOG.warn("the store's directory {} is open to other users ({}): they can read jobs and history unless its"
            + " files are private; chmod 700 it", dir, PosixFilePermissions.toString(actual));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      create(parent);
    }
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    // the umask may have narrowed the attribute further, never widened it; set exactly
    Files.setPosixFilePermissions(dir, DIRECTORY);
  }

  /**
   * Creates {@code file} empty and 0600 unless it exists. SQLite takes an empty file for an empty database and makes
   * its -wal and -shm files with the database file's mode, so all three stay private without a later chmod.
   */
  static void createPrivate(Path file) {
    if (!posix() || Files.exists(file)) {
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      Files.setPosixFilePermissions(file, FILE);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // made meanwhile by another process: its mode is the operator's
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  /** Narrows to 0600 the SQLite database {@code file}, its -wal and -shm files and its lock, where they are. */
  static void restrictSqlite(Path file) {
    if (!posix()) {
      return;
    }
    for (String suffix : new String[] {"", "-wal", "-shm", ".lock"}) {
      Path f = Path.of(file + suffix);
      try {
        if (Files.isRegularFile(f) && !Files.getPosixFilePermissions(f).equals(FILE)) {
          Files.setPosixFilePermissions(f, FILE);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make " + f + " private: " + e.getMessage(), e);
      }
    }
  }

  /** Narrows to 0600 every file of the database {@code base} (H2 adds suffixes: .mv.db, .trace.db, .lock.db). */
  static void restrict(Path base) {
    Path dir = base.toAbsolutePath().normalize().getParent();
    if (dir == null || !posix() || !Files.isDirectory(dir)) {
      return;
    }
    String prefix = base.getFileName().toString() + ".";
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix)
        && Files.isRegularFile(p))) {
      for (Path f : files) {
        Files.setPosixFilePermissions(f, FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the store's files private in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
