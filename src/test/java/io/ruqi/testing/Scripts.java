package io.ruqi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Script files for jobs that name one ({@code bash scripts/a.sh}): ruqi refuses such a job when its script is not
 * in exec.workdir, as RuQi did. Each script exits 0 at once, should its job fire.
 */
public final class Scripts {

  private Scripts() {
  }

  /** Creates each relative path under {@code dir} as a harmless script; answers {@code dir}. */
  public static Path in(Path dir, String... paths) {
    try {
      for (String path : paths) {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "exit 0\n");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link #in}, in a new temporary directory (removed when the JVM exits). */
  public static Path dir(String... paths) {
    try {
      Path dir = Files.createTempDirectory("ruqi-scripts");
      dir.toFile().deleteOnExit();
      return in(dir, paths);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
