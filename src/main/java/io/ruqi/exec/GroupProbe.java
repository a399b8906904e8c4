package io.ruqi.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a process group still holds any process (zombies included), asked of one long-lived shell's builtin
 * {@code kill -0 -<pgid>}. Java cannot signal a group itself, and the alternatives cost far more per run: starting
 * {@code /usr/bin/kill} is a spawn, and a {@code /proc} scan reads every process's {@code stat} on the machine (about
 * 4 ms with 120 processes, most of a run's cost when 1,000 short processes are due at once).
 *
 * <p>The shell reads one question a line and answers {@code 1} or {@code 0}; questions are asked one at a time. When
 * it cannot answer (no {@code /bin/sh}, it died), the answer is empty and the caller falls back to the scan; a dead
 * shell is started again at the next question. It gets an empty environment and ends when the runner closes its input
 * (or when the JVM dies, with the pipe).
 */
final class GroupProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupProbe.class);
  private static final Path SHELL = Path.of("/bin/sh");

  private Process shell;
  private OutputStream questions;
  private BufferedReader answers;
  private boolean closed;

  /** True: at least one process is in the group; false: none; empty: the shell could not tell. */
  synchronized Optional<Boolean> exists(long pgid) {
    if (closed || !ensureShell()) {
      return Optional.empty();
    }
    try {
      // dash's kill takes no "--": the negative pid after the signal names the group
      questions.write(("kill -0 -" + pgid + " 2>/dev/null && echo 1 || echo 0\n").getBytes(StandardCharsets.US_ASCII));
      questions.flush();
      String answer = answers.readLine();
      if ("1".equals(answer) || "0".equals(answer)) {
        return Optional.of("1".equals(answer));
      }
      LOG.debug("process group probe answered {}; starting it again", answer);
    } catch (IOException e) {
      LOG.debug("process group probe failed: {}", e.getMessage());
    }
    stopShell();
    return Optional.empty();
  }

  private boolean ensureShell() {
    if (shell != null && shell.isAlive()) {
      return true;
    }
    if (!Files.isExecutable(SHELL)) {
      return false;
    }
    try {
      ProcessBuilder builder = new ProcessBuilder(SHELL.toString())
          .directory(new File("/"))
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().clear(); // the service's environment holds its secrets
      shell = builder.start();
      questions = shell.getOutputStream();
      answers = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
      return true;
    } catch (IOException e) {
      LOG.debug("cannot start {} for process group probes: {}", SHELL, e.getMessage());
      shell = null;
      return false;
    }
  }

  private void stopShell() {
    if (shell != null) {
      shell.destroyForcibly();
      shell = null;
    }
  }

  /** The shell answering now, if any (tests). */
  synchronized Optional<ProcessHandle> shell() {
    return Optional.ofNullable(shell).map(Process::toHandle);
  }

  /** Ends the shell (closing its input ends it; the kill makes sure). Later questions answer empty. */
  @Override
  public synchronized void close() {
    closed = true;
    if (shell != null) {
      try {
        questions.close();
      } catch (IOException ignored) {
        // it is destroyed below either way
      }
      stopShell();
    }
  }
}
