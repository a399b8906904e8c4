package io.ruqi.exec;

import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Refuses, when a job is added or its command changed, a script run by an interpreter that is not there: RuQi
 * checked that {@code bash x.sh} and {@code python x.py} name an existing file, so its users learnt of a typo at
 * once, not from a failed run every night. The first argument of {@code bash}, {@code sh} or {@code python}
 * ({@code python2}, {@code python3}) is the script unless it is an option ({@code -c}, {@code -m}); it is looked
 * up relative to {@code exec.workdir}, as the run will. Only the node that takes the request looks: in an HA pair
 * every node must have the scripts (the run fails with a clear output where one does not).
 */
public final class ScriptCheck {
  static final Set<String> INTERPRETERS = Set.of("bash", "sh", "python", "python2", "python3");

  private final FileSystem files;
  private final Path workdir;

  public ScriptCheck(FileSystem files, Path workdir) {
    this.files = files;
    this.workdir = workdir;
  }

  /** Fails with a {@link CommandException} saying which script is missing; the file system is read off the loop. */
  public Future<Void> check(Command command) {
    String script = scriptOf(command);
    if (script == null) {
      return Future.succeededFuture();
    }
    Path file;
    try {
      file = workdir.resolve(script).normalize();
    } catch (InvalidPathException e) {
      return Future.failedFuture(new CommandException("the script '" + CommandParser.shorten(script)
          + "' is not a valid path (" + e.getReason() + ")"));
    }
    String where = workdir.isAbsolute() ? "" : " (relative to exec.workdir, " + workdir.toAbsolutePath().normalize()
        + ")";
    return files.exists(file.toString()).compose(exists -> {
      if (!exists) {
        return Future.failedFuture(new CommandException("the script " + CommandParser.shorten(script)
            + " does not exist" + where));
      }
      return files.props(file.toString()).compose(props -> props.isDirectory()
          ? Future.failedFuture(new CommandException("the script " + CommandParser.shorten(script)
              + " is a directory" + where))
          : Future.succeededFuture());
    });
  }

  /** The script an interpreter is asked to run, or null (no interpreter, an option, or nothing after it). */
  static String scriptOf(Command command) {
    if (!(command instanceof Command.Process p) || p.argv().size() < 2) {
      return null;
    }
    List<String> argv = p.argv();
    String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
    String first = argv.get(1);
    return INTERPRETERS.contains(program) && !first.startsWith("-") && !first.isEmpty() ? first : null;
  }
}
