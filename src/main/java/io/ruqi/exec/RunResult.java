package io.ruqi.exec;

/**
 * How a run ended.
 *
 * @param exitCode    the process exit code, or the HTTP status; null when there is none (never started, event bus)
 * @param output      what the command said (stdout+stderr, a response body, a reply), or why it failed; at most
 *                    {@link OutputCap#MAX_CHARS} characters
 * @param timedOut    ended by ruqi because it ran past its timeout
 * @param interrupted cut off with its end unknown (the worker that ran it is gone): recorded {@code interrupted},
 *                    and not tried again, since it may have done its work
 */
public record RunResult(boolean success, Integer exitCode, String output, boolean timedOut, boolean interrupted) {

  public RunResult(boolean success, Integer exitCode, String output, boolean timedOut) {
    this(success, exitCode, output, timedOut, false);
  }

  public static RunResult failed(String why) {
    return new RunResult(false, null, OutputCap.cap(why), false);
  }

  /** A run whose end is unknown, {@code why}. */
  public static RunResult interrupted(String why) {
    return new RunResult(false, null, OutputCap.cap(why), false, true);
  }
}
