package io.ruqi.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a process group still has running members, read from Linux's {@code /proc}. {@code kill -0} cannot tell:
 * it succeeds on zombies, and killed orphans stay zombies for as long as PID 1 does not reap them (as in containers
 * whose PID 1 is not an init).
 */
final class LiveGroupMembers {
  private static final Path PROC = Path.of("/proc");

  private LiveGroupMembers() {
  }

  /** True or false from {@code /proc}; empty when {@code /proc} cannot be read. */
  static Optional<Boolean> any(long pgid) {
    if (!Files.isDirectory(PROC.resolve("self"))) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        if (isLiveMember(entry.resolve("stat"), pgid)) {
          return Optional.of(true);
        }
      }
      return Optional.of(false);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The start time (in clock ticks after boot) of process {@code pid}, which tells it from a later process given the
   * same pid: "" when there is no such process, null when {@code /proc} cannot be read.
   */
  static String startTime(long pid) {
    if (!Files.isDirectory(PROC.resolve("self"))) {
      return null;
    }
    String line;
    try {
      line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      return null;
    }
    // field 22; the fields after the command name start at field 3
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return fields.length > 19 ? fields[19] : null;
  }

  private static boolean isLiveMember(Path stat, long pgid) {
    String line;
    try {
      line = Files.readString(stat);
    } catch (IOException e) {
      return false; // exited while we were looking
    }
    // "<pid> (<comm, may hold spaces and parentheses>) <state> <ppid> <pgrp> ..."
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ", 4);
    return fields.length >= 3 && !"Z".equals(fields[0]) && !"X".equals(fields[0])
        && Long.toString(pgid).equals(fields[2]);
  }
}
