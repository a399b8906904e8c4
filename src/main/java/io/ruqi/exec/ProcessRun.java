package io.ruqi.exec;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One run of one process, start to result, on a worker thread: start it, let an {@link OutputPump} drain its output,
 * wait for its exit or its deadline, wait briefly for end-of-output, and end its group so nothing stays behind.
 */
final class ProcessRun {
  /** How long output may stay open after the main process exited (background children holding the pipe). */
  static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(1);

  /** Starts the run's process: the program, arguments, directory, environment and merged output all prepared. */
  interface Launch {
    Process start() throws IOException;
  }

  /** Where a run gets its group from and tells it is over (the runner keeps the live ones for close()). */
  interface Groups {
    ProcessGroup started(Process process);

    void finished(ProcessGroup group);
  }

  private final Launch launch;
  private final String argv0;
  private final Duration timeout;
  private final Duration killGrace;
  private final Groups groups;
  /** Null when nobody watches this run live. */
  private final OutputLines.Listener live;

  /**
   * @param launch  starts the process
   * @param argv0   the program as the job wrote it, for messages
   * @param timeout null or not positive: no deadline
   */
  ProcessRun(Launch launch, String argv0, Duration timeout, Duration killGrace, Groups groups,
             OutputLines.Listener live) {
    this.live = live;
    this.launch = launch;
    this.argv0 = argv0;
    this.timeout = timeout;
    this.killGrace = killGrace;
    this.groups = groups;
  }

  static RunResult cannotStart(String argv0, String reason) {
    return new RunResult(false, null, OutputCap.cap("cannot start " + argv0 + ": " + reason), false);
  }

  RunResult execute() throws InterruptedException {
    Process process;
    try {
      process = launch.start();
    } catch (IOException e) {
      if (live != null) {
        live.end(0); // no pump will end it: the live view's entry would stay until a restart
      }
      return cannotStart(argv0, e.getMessage());
    }
    ProcessGroup group;
    OutputPump pump = null;
    HeadTailCapture capture = new HeadTailCapture();
    try {
      group = groups.started(process);
    } catch (RuntimeException | Error e) {
      abandon(process, null, e);
      throw e;
    }
    try {
      pump = OutputPump.start(process.getInputStream(), capture, live == null ? null : OutputLines.of(live));

      boolean timedOut = !waitForExit(process);
      if (timedOut) {
        group.end();
        process.waitFor(); // TERM, or KILL after the grace period, ends it
      }
      int exitCode = process.exitValue();

      String note = timedOut ? "[ruqi: timed out after " + human(timeout) + "; process group ended]" : null;
      if (pump.awaitEnd(DRAIN_AFTER_EXIT)) {
        group.end(); // processes that closed their output are still in the group: commands leave nothing behind
      } else {
        // something the command started in the background still holds the output
        group.end();
        if (note == null) {
          note = "[ruqi: output still open " + human(DRAIN_AFTER_EXIT) + " after exit; process group ended]";
        }
        if (!pump.awaitEnd(killGrace.plus(DRAIN_AFTER_EXIT))) {
          note = note + "\n[ruqi: output still held by a process outside the group; stopped reading]";
        }
      }
      return new RunResult(exitCode == 0 && !timedOut, exitCode, capture.render(note), timedOut);
    } catch (InterruptedException | RuntimeException | Error e) {
      // whatever failed, the command does not go on running unwatched, its output read by nobody
      group.end();
      if (pump == null) {
        abandon(process, group, e);
      }
      throw e;
    } finally {
      groups.finished(group);
    }
  }

  /** After a failure before any pump took the output: its pipe is closed (and the process ended, if no group will). */
  private void abandon(Process process, ProcessGroup group, Throwable failure) {
    if (group == null) {
      process.destroyForcibly();
    }
    try {
      process.getInputStream().close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    if (live != null) {
      live.end(0);
    }
  }

  private boolean waitForExit(Process process) throws InterruptedException {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      process.waitFor();
      return true;
    }
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** "2s" for whole seconds, "1500ms" otherwise. */
  static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
