package io.ruqi.exec;

/**
 * Has the JDK start processes with {@code vfork} and {@code exec}, instead of its default on Linux since JDK 12: a
 * {@code posix_spawn} of {@code jspawnhelper}, a handshake over a pipe, and only then the {@code exec} of the program.
 * That extra exec halves how many processes a JVM starts: 1,000 {@code setsid true} from 16 threads ran at ~380/s
 * with {@code POSIX_SPAWN} and ~770/s with {@code VFORK}, same JVM, same flags (README, Benchmark). {@code VFORK} was
 * the JDK's own default on Linux up to JDK 11.
 *
 * <p>The JDK reads the setting once, when it starts its first process, so {@link #preferVfork()} is called first
 * thing in {@code main}. A setting given on the command line wins
 * ({@code -Djdk.lang.Process.launchMechanism=POSIX_SPAWN} restores the default). JDK 25 deprecates {@code VFORK} and a
 * later JDK removes it, so from JDK 25 on the JDK's default stays.
 */
public final class LaunchMechanism {
  static final String PROPERTY = "jdk.lang.Process.launchMechanism";
  private static final int LAST_JDK_WITH_VFORK = 24;

  private LaunchMechanism() {
  }

  /** Chooses {@code VFORK} on Linux, JDK 24 and older, unless the property is set already. */
  public static void preferVfork() {
    if (System.getProperty(PROPERTY) == null
        && System.getProperty("os.name", "").startsWith("Linux")
        && Runtime.version().feature() <= LAST_JDK_WITH_VFORK) {
      System.setProperty(PROPERTY, "VFORK");
    }
  }
}
