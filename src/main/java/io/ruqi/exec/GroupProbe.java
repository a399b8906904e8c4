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
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a process group still holds any process (zombies included), asked of one long-lived shell's builtin
 * {@code kill -0 -<pgid>}. Java cannot signal a group itself, and the alternatives cost far more per run: starting
 * {@code /usr/bin/kill} is a spawn, and a {@code /proc} scan reads every process's {@code stat} on the machine (about
 * 4 ms with 120 processes, most of a run's cost when 1,000 short processes are due at once).
 *
 * <p>The shell reads one question a line and answers {@code 1} or {@code 0} in the same order. Questions from many
 * runs are in flight at once (a reader thread hands each answer to the oldest question), so on a busy machine the
 * runs do not queue behind one another's round trip to the shell. When it cannot answer (no {@code /bin/sh}, it died,
 * no answer within {@link #ANSWER_LIMIT}), the answer is empty and the caller falls back to the scan; a dead shell is
 * started again at the next question. It gets an empty environment and ends when its input is closed (by
 * {@link #close()}, or with the JVM).
 */
final class GroupProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupProbe.class);
  private static final Path SHELL = Path.of("/bin/sh");
  static final Duration ANSWER_LIMIT = Duration.ofSeconds(5);
  /**
   * Questions waiting at most; beyond, the caller scans. Also keeps what is written (~60 bytes a question) well
   * within a pipe's buffer, so that a write under the lock never waits for a shell that stopped reading.
   */
  static final int MAX_WAITING = 64;

  private final Duration answerLimit;
  private Shell shell;
  private boolean closed;

  GroupProbe() {
    this(ANSWER_LIMIT);
  }

  /** @param answerLimit how long a question waits for its answer before the caller scans instead */
  GroupProbe(Duration answerLimit) {
    this.answerLimit = answerLimit;
  }

  /** True: at least one process is in the group; false: none; empty: the shell could not tell. */
  Optional<Boolean> exists(long pgid) {
    CompletableFuture<Boolean> answer;
    Shell asked;
    synchronized (this) {
      if (closed || !ensureShell() || shell.waiting.size() >= MAX_WAITING) {
        return Optional.empty();
      }
      asked = shell;
      answer = asked.ask(pgid);
    }
    try {
      return Optional.of(answer.get(answerLimit.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      // alive but not answering (stopped, traced): a new shell for the next question, none queued behind this one
      LOG.debug("process group probe gave no answer in {}; starting another shell", answerLimit);
      synchronized (this) {
        if (shell == asked) {
          shell.stop();
          shell = null;
        }
      }
      return Optional.empty();
    } catch (ExecutionException e) {
      LOG.debug("process group probe gave no answer: {}", e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private boolean ensureShell() {
    if (shell != null && shell.answers()) {
      return true;
    }
    if (shell != null) {
      shell.stop();
    }
    shell = Files.isExecutable(SHELL) ? Shell.start() : null;
    return shell != null;
  }

  /** The shell answering now, if any (tests). */
  synchronized Optional<ProcessHandle> shell() {
    return Optional.ofNullable(shell).map(s -> s.process.toHandle());
  }

  /** Ends the shell. Later questions answer empty. */
  @Override
  public synchronized void close() {
    closed = true;
    if (shell != null) {
      shell.stop();
      shell = null;
    }
  }

  /** One shell process and the questions it has not answered yet, oldest first. */
  private static final class Shell {
    private final Process process;
    private final OutputStream questions;
    private final Queue<Question> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean broken;

    private Shell(Process process) {
      this.process = process;
      this.questions = process.getOutputStream();
    }

    static Shell start() {
      try {
        ProcessBuilder builder = new ProcessBuilder(SHELL.toString())
            .directory(new File("/"))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear(); // the service's environment holds its secrets
        Shell shell = new Shell(builder.start());
        Thread reader = new Thread(shell::readAnswers, "ruqi-group-probe-" + shell.process.pid());
        reader.setDaemon(true);
        reader.start();
        return shell;
      } catch (IOException e) {
        LOG.debug("cannot start {} for process group probes: {}", SHELL, e.getMessage());
        return null;
      }
    }

    boolean answers() {
      return !broken && process.isAlive();
    }

    /** Called under the probe's lock, so questions are written in the order they wait. */
    CompletableFuture<Boolean> ask(long pgid) {
      CompletableFuture<Boolean> answer = new CompletableFuture<>();
      waiting.add(new Question(pgid, answer));
      try {
        // dash's kill takes no "--": the negative pid after the signal names the group. Each answer names its
        // group, so that a line lost or added (by whatever) ends this shell instead of shifting every later answer.
        questions.write(("kill -0 -" + pgid + " && echo " + pgid + " 1 || echo " + pgid + " 0\n")
            .getBytes(StandardCharsets.US_ASCII));
        questions.flush();
      } catch (IOException e) {
        broken = true;
      }
      if (broken) {
        failWaiting(new IOException("the shell does not answer")); // the reader may have stopped already
      }
      return answer;
    }

    private void readAnswers() {
      try (BufferedReader answers = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while ((line = answers.readLine()) != null) {
          Question oldest = waiting.poll();
          if (oldest == null || !(line.equals(oldest.pgid + " 1") || line.equals(oldest.pgid + " 0"))) {
            throw new IOException("unexpected answer " + line);
          }
          oldest.answer.complete(line.endsWith(" 1"));
        }
        throw new IOException("the shell ended");
      } catch (IOException e) {
        broken = true;
        failWaiting(e);
      }
    }

    private void failWaiting(IOException e) {
      for (Question q; (q = waiting.poll()) != null; ) {
        q.answer.completeExceptionally(e);
      }
    }

    void stop() {
      broken = true;
      try {
        questions.close(); // the shell ends at the end of its input
      } catch (IOException ignored) {
        // destroyed below either way
      }
      process.destroyForcibly();
    }
  }

  private record Question(long pgid, CompletableFuture<Boolean> answer) {
  }
}
