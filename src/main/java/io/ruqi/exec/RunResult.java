package io.ruqi.exec;

/**
 * How a run ended.
 *
 * @param exitCode the process exit code, or the HTTP status; null when there is none (never started, event bus)
 * @param output   what the command said (stdout+stderr, a response body, a reply), or why it failed; at most
 *                 {@link OutputCap#MAX_CHARS} characters
 * @param timedOut ended by ruqi because it ran past its timeout
 */
public record RunResult(boolean success, Integer exitCode, String output, boolean timedOut) {

  public static RunResult failed(String why) {
    return new RunResult(false, null, OutputCap.cap(why), false);
  }
}
