package io.ruqi.exec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a command's {@code argv[0]} into the file to execute, before anything is started: that is how "cannot start"
 * becomes a clear message instead of the exit status of {@code setsid} failing to exec.
 *
 * <p>A name with a {@code /} is a path relative to the work directory; a bare name is looked up on the service's
 * {@code PATH}, and only when it is not there is an alias tried (so an installed {@code python} wins over
 * {@code python → python3}).
 */
final class ProgramLocator {

  /** Either the program's absolute path, or why there is none. */
  record Located(String path, String problem) {
    static Located found(Path p) {
      return new Located(p.toString(), null);
    }

    static Located problem(String why) {
      return new Located(null, why);
    }
  }

  private final Path workdir;
  private final Map<String, String> aliases;
  private final List<Path> searchPath;

  ProgramLocator(Path workdir, Map<String, String> aliases, String pathVariable) {
    this.workdir = workdir;
    this.aliases = Map.copyOf(aliases);
    this.searchPath = splitPath(workdir, pathVariable);
  }

  Located locate(String program) {
    if (program == null || program.isEmpty()) {
      return Located.problem("empty program name");
    }
    if (program.contains("/")) {
      return checkFile(program);
    }
    Optional<Path> onPath = onPath(program);
    if (onPath.isPresent()) {
      return Located.found(onPath.get());
    }
    String alias = aliases.get(program);
    if (alias == null) {
      return Located.problem("not found on PATH");
    }
    Located viaAlias = alias.contains("/") ? checkFile(alias)
        : onPath(alias).map(Located::found).orElseGet(() -> Located.problem("not found on PATH"));
    return viaAlias.path() != null ? viaAlias
        : Located.problem("not found on PATH, nor its alias " + alias + " (" + viaAlias.problem() + ")");
  }

  /** The first executable regular file called {@code name} on the search path. */
  Optional<Path> onPath(String name) {
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private Located checkFile(String program) {
    Path file;
    try {
      file = workdir.resolve(program).normalize();
    } catch (InvalidPathException e) {
      return Located.problem("invalid path (" + e.getReason() + ")");
    }
    if (!Files.exists(file)) {
      return Located.problem("no such file or directory (" + file + ")");
    }
    if (Files.isDirectory(file)) {
      return Located.problem("is a directory (" + file + ")");
    }
    if (!Files.isExecutable(file)) {
      return Located.problem("permission denied: not executable (" + file + ")");
    }
    return Located.found(file);
  }

  private static List<Path> splitPath(Path workdir, String pathVariable) {
    List<Path> dirs = new ArrayList<>();
    if (pathVariable == null) {
      return dirs;
    }
    for (String entry : pathVariable.split(File.pathSeparator, -1)) {
      try {
        // an empty entry means the current directory, which for the child is the work directory
        dirs.add(entry.isEmpty() ? workdir : workdir.resolve(entry));
      } catch (InvalidPathException e) {
        // a malformed PATH entry cannot hold a program; skip it
      }
    }
    return dirs;
  }
}
