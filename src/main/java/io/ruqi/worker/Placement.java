package io.ruqi.worker;

import io.vertx.core.json.JsonObject;

/**
 * Where a job's process runs, from its options: {@code run_on: <label>} (one live worker with the label, the least
 * loaded) or {@code broadcast: <label>} (every live worker with it, one history row each). No placement: the
 * scheduler's own node runs it, as always.
 */
public record Placement(String label, boolean broadcast) {
  public static final String RUN_ON = "run_on";
  public static final String BROADCAST = "broadcast";

  /** The placement {@code options} name, or null when the job runs where it is fired. */
  public static Placement of(JsonObject options) {
    if (options == null) {
      return null;
    }
    String broadcast = options.getValue(BROADCAST) instanceof String s ? s : null;
    if (broadcast != null) {
      return new Placement(broadcast, true);
    }
    String runOn = options.getValue(RUN_ON) instanceof String s ? s : null;
    return runOn == null ? null : new Placement(runOn, false);
  }
}
