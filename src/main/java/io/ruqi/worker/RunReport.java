package io.ruqi.worker;

import io.ruqi.exec.OutputCap;
import io.ruqi.exec.RunResult;
import io.vertx.core.json.JsonObject;

/** A worker's report of how a run ended, for the scheduler that ordered it ({@link RunOrder#run()}). */
public record RunReport(String run, String worker, RunResult result) {

  public JsonObject toJson() {
    return new JsonObject().put("run", run).put("worker", worker).put("success", result.success())
        .put("exit_code", result.exitCode()).put("output", result.output()).put("timed_out", result.timedOut());
  }

  /** The report in {@code json}, or null when it is not one. */
  public static RunReport from(JsonObject json) {
    try {
      String run = json.getString("run");
      String worker = json.getString("worker");
      if (run == null || worker == null) {
        return null;
      }
      return new RunReport(run, worker, new RunResult(json.getBoolean("success", false),
          json.getInteger("exit_code"), OutputCap.cap(json.getString("output", "")),
          json.getBoolean("timed_out", false)));
    } catch (ClassCastException e) {
      return null;
    }
  }
}
