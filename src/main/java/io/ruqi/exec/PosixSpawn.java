package io.ruqi.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts a program with glibc's {@code posix_spawn} as the leader of a new session, in one {@code exec}.
 *
 * <p>Why: a Java child is never a group leader, so through {@link ProcessBuilder} a run is {@code setsid <program>}:
 * two execs, and each exec of a dynamically linked program pays the loader's start-up (on this virtual machine
 * mostly its CPU feature and cache probing, {@code cpuid} that traps to the hypervisor). 3,000 {@code true} from 16
 * threads of one JVM: ~1,250/s as {@code setsid true}, ~2,150/s as {@code true} alone. {@code POSIX_SPAWN_SETSID}
 * (glibc 2.26) does the setsid in the child before the one exec.
 *
 * <p>The child gets: {@code /dev/null} as stdin, one pipe as stdout and stderr, the working directory
 * ({@code addchdir_np}, glibc 2.29), no other descriptor of this JVM ({@code addclosefrom_np}, glibc 2.34: the JVM
 * opens files and sockets without close-on-exec, and a job's process must not hold the database's socket), an empty
 * signal mask, and only the environment given. Used where all of that exists (64-bit Linux with glibc 2.34 or later,
 * x86-64 or AArch64, whose constants are below); {@link #available()} says whether it does, else the runner keeps
 * {@code setsid} through {@link ProcessBuilder}. {@code -Druqi.exec.posixSpawn=false} turns it off.
 */
final class PosixSpawn {
  private static final Logger LOG = LoggerFactory.getLogger(PosixSpawn.class);
  static final String PROPERTY = "ruqi.exec.posixSpawn";

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final short POSIX_SPAWN_SETSID = 0x80;
  static final int SIGKILL = 9;
  static final int SIGTERM = 15;
  private static final int EPERM = 1;
  private static final int ESRCH = 3;
  private static final int EINTR = 4;
  private static final int ENOEXEC = 8;
  private static final int P_PID = 1;
  private static final int WEXITED = 4;
  private static final int WNOWAIT = 0x01000000;
  /** What the JDK runs a file with when the kernel cannot exec it (a script without {@code #!}). */
  private static final String SHELL = "/bin/sh";
  private static final boolean HAS_DEV_NULL = new java.io.File("/dev/null").exists();
  /** glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: room to spare. */
  private static final int OPAQUE_BYTES = 1024;

  private PosixSpawn() {
  }

  /** Whether this JVM starts processes with posix_spawn; see the class comment. */
  static boolean available() {
    return Availability.UNAVAILABLE == null;
  }

  /** Why {@link #available()} is false (null when it is true), for the log. */
  static String unavailableBecause() {
    return Availability.UNAVAILABLE;
  }

  /**
   * Decided once, in a class of its own: the first start's reaper thread calls into {@link PosixSpawn}, which must
   * not be the class still initializing on the thread that waits for it.
   */
  private static final class Availability {
    static final String UNAVAILABLE = whyUnavailable();
  }

  private static String whyUnavailable() {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
      return PROPERTY + "=false";
    }
    if (!Platform.isLinux() || !Platform.is64Bit() || !(Platform.isIntel() || Platform.isARM())) {
      return "not 64-bit Linux on x86-64 or AArch64";
    }
    try {
      LibC.ensureLoaded();
    } catch (Throwable e) { // no JNA native part here, or a C library without the functions (musl, glibc < 2.34)
      return e.toString();
    }
    return firstStartFails();
  }

  /**
   * Starts {@code true} once: the functions exist, but the child may still be refused what they do (no
   * {@code close_range} and no {@code /proc} to close descriptors by, a seccomp filter). Null when it ran.
   */
  private static String firstStartFails() {
    String program = java.nio.file.Files.isExecutable(Path.of("/bin/true")) ? "/bin/true" : "/usr/bin/true";
    if (!java.nio.file.Files.isExecutable(Path.of(program))) {
      return null; // nothing to try it with; the first run will say what fails
    }
    try {
      SpawnedProcess process = start(List.of(program), Path.of("/"), Map.of());
      process.getInputStream().close();
      return exitedWell(process) ? null : program + " did not exit with 0 within 5 s";
    } catch (IOException | RuntimeException e) {
      return "a first start failed: " + e.getMessage();
    }
  }

  /** Waits up to 5 s for it to exit 0; an interrupt meanwhile is kept for the caller, not taken as an answer. */
  private static boolean exitedWell(Process process) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
              && process.exitValue() == 0;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts {@code argv} (its first element the program's path, as the child's argv[0]) in {@code directory} with
   * exactly {@code environment}, as a session leader: its pid is its group's id.
   *
   * @throws IOException when the program cannot be started, with the reason as the JDK words it
   */
  static SpawnedProcess start(List<String> argv, Path directory, Map<String, String> environment)
      throws IOException {
    String program = argv.get(0);
    String[] env = environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    // C strings end at the first NUL: refuse what would be cut short, as ProcessBuilder does
    if (Stream.concat(Stream.concat(argv.stream(), Stream.of(env)), Stream.of(directory.toString()))
        .anyMatch(s -> s.indexOf('\0') >= 0)) {
      throw new IOException("invalid null character in command");
    }
    try (Memory pipe = new Memory(8)) {
      try {
        LibC.pipe2(pipe, O_CLOEXEC);
      } catch (LastErrorException e) { // out of descriptors: a run that cannot start, not a failure of the runner
        throw new IOException("Cannot run program \"" + program + "\": " + e.getMessage(), e);
      }
      int readEnd = pipe.getInt(0);
      int writeEnd = pipe.getInt(4);
      int pid;
      try {
        pid = spawn(program, argv, directory, env, writeEnd);
      } catch (IOException | RuntimeException e) {
        LibC.close(readEnd);
        throw e;
      } finally {
        LibC.close(writeEnd); // the child has its copy: end-of-output comes when the last holder closes it
      }
      try {
        return SpawnedProcess.started(pid, readEnd); // closes readEnd if it fails
      } catch (RuntimeException | Error e) { // no thread to reap it: end it and reap it here
        kill(pid, SIGKILL);
        try {
          waitFor(pid);
        } catch (RuntimeException r) {
          e.addSuppressed(r);
        }
        throw new IOException("Cannot run program \"" + program + "\": " + e, e);
      }
    }
  }

  private static int spawn(String program, List<String> argv, Path directory, String[] env, int output)
      throws IOException {
    try (Memory actions = new Memory(OPAQUE_BYTES);
         Memory attributes = new Memory(OPAQUE_BYTES);
         Memory noSignals = new Memory(OPAQUE_BYTES);
         StringArray args = new StringArray(argv.toArray(String[]::new));
         StringArray envp = new StringArray(env);
         Memory pid = new Memory(4)) {
      actions.clear();
      attributes.clear();
      check(LibC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
      try {
        check(LibC.posix_spawnattr_init(attributes), "posix_spawnattr_init");
        try {
          if (HAS_DEV_NULL) { // a command reading stdin gets end-of-file, not a wait until its timeout
            check(LibC.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "addopen");
          }
          check(LibC.posix_spawn_file_actions_adddup2(actions, output, 1), "adddup2");
          check(LibC.posix_spawn_file_actions_adddup2(actions, output, 2), "adddup2");
          check(LibC.posix_spawn_file_actions_addchdir_np(actions, directory.toString()), "addchdir_np");
          check(LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom_np");
          check(LibC.sigemptyset(noSignals), "sigemptyset");
          check(LibC.posix_spawnattr_setsigmask(attributes, noSignals), "setsigmask");
          check(LibC.posix_spawnattr_setflags(attributes, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK)),
              "setflags");
          int error = LibC.posix_spawn(pid, program, actions, attributes, args, envp);
          if (error == ENOEXEC && !SHELL.equals(program)) {
            // a script without #!: the JDK (and setsid's execvp) hand it to the shell, and so do we
            List<String> viaShell = new java.util.ArrayList<>(argv.size() + 1);
            viaShell.add(SHELL);
            viaShell.add(program);
            viaShell.addAll(argv.subList(1, argv.size()));
            return spawn(SHELL, viaShell, directory, env, output);
          }
          if (error != 0) {
            throw new IOException("Cannot run program \"" + program + "\" (in directory \"" + directory + "\"): error="
                + error + ", " + LibC.strerror(error));
          }
          return pid.getInt(0);
        } finally {
          LibC.posix_spawnattr_destroy(attributes);
        }
      } finally {
        LibC.posix_spawn_file_actions_destroy(actions);
      }
    }
  }

  /** posix_spawn's helpers answer an error number rather than setting errno. */
  private static void check(int result, String what) throws IOException {
    if (result != 0) {
      throw new IOException(what + " failed: error=" + result + ", " + LibC.strerror(result));
    }
  }

  /** Reads up to {@code length} bytes; 0 at end-of-output. */
  static int read(int fd, Memory buffer, int length) throws IOException {
    while (true) {
      try {
        return (int) LibC.read(fd, buffer, length);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw new IOException("read failed: " + e.getMessage());
        }
      }
    }
  }

  static void close(int fd) {
    LibC.close(fd);
  }

  /** Waits for the child {@code pid} to end, leaving it a zombie (its pid still taken) until {@link #waitFor}. */
  static void awaitExit(int pid) {
    try (Memory info = new Memory(OPAQUE_BYTES)) {
      while (true) {
        try {
          LibC.waitid(P_PID, pid, info, WEXITED | WNOWAIT);
          return;
        } catch (LastErrorException e) {
          if (e.getErrorCode() != EINTR) {
            throw new IllegalStateException("waitid(" + pid + ") failed: " + e.getMessage(), e);
          }
        }
      }
    }
  }

  /** Waits for the child {@code pid} to end and reaps it: its exit status, or 128 + the signal that ended it. */
  static int waitFor(int pid) {
    try (Memory status = new Memory(4)) {
      while (true) {
        try {
          LibC.waitpid(pid, status, 0);
          int s = status.getInt(0);
          int signal = s & 0x7f;
          return signal == 0 ? (s >> 8) & 0xff : 0x80 + signal; // as the JDK reports a process ended by a signal
        } catch (LastErrorException e) {
          if (e.getErrorCode() != EINTR) {
            throw new IllegalStateException("waitpid(" + pid + ") failed: " + e.getMessage(), e);
          }
        }
      }
    }
  }

  /**
   * Sends {@code signal} to process {@code id} (a group when negative; 0 only asks whether it exists): true when
   * it reached a process, false when there is none, empty when the kernel refused for another reason.
   */
  static Optional<Boolean> kill(int id, int signal) {
    try {
      LibC.kill(id, signal);
      return Optional.of(true);
    } catch (LastErrorException e) {
      return switch (e.getErrorCode()) {
        case ESRCH -> Optional.of(false);
        case EPERM -> Optional.of(true); // someone is there, not ours to signal
        default -> Optional.empty();
      };
    }
  }

  /** The process groups of runs started here, signalled by the kill system call (no kill program, no probe). */
  static final ProcessGroup.Signals GROUP_SIGNALS = new ProcessGroup.Signals() {
    @Override
    public Optional<Boolean> exists(long pgid) {
      return kill(-Math.toIntExact(pgid), 0);
    }

    @Override
    public Optional<Boolean> signal(long pgid, boolean forcibly) {
      return kill(-Math.toIntExact(pgid), forcibly ? SIGKILL : SIGTERM);
    }
  };

  /** glibc, mapped directly (registered once; a missing function fails the registration, not a later call). */
  private static final class LibC {
    static {
      Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
      LOG.debug("processes start with posix_spawn (glibc {})", gnu_get_libc_version());
    }

    static void ensureLoaded() {
      // the static initializer has run
    }

    static native String gnu_get_libc_version();

    static native int pipe2(Pointer fds, int flags) throws LastErrorException;

    static native int posix_spawn_file_actions_init(Pointer actions);

    static native int posix_spawn_file_actions_destroy(Pointer actions);

    static native int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    static native int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    static native int posix_spawnattr_init(Pointer attributes);

    static native int posix_spawnattr_destroy(Pointer attributes);

    static native int posix_spawnattr_setflags(Pointer attributes, short flags);

    static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

    static native int sigemptyset(Pointer set);

    static native int posix_spawn(Pointer pid, String path, Pointer actions, Pointer attributes, Pointer argv,
                                  Pointer envp);

    static native long read(int fd, Pointer buffer, long count) throws LastErrorException;

    static native int close(int fd);

    static native int waitpid(int pid, Pointer status, int options) throws LastErrorException;

    static native int waitid(int idType, int id, Pointer info, int options) throws LastErrorException;

    static native int kill(int pid, int signal) throws LastErrorException;

    static native String strerror(int error);
  }
}
