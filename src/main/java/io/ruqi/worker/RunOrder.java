package io.ruqi.worker;

import io.ruqi.exec.FireContext;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/**
 * A scheduler's request to a worker: run this fire's {@code cmd} (as the job has it; the worker parses it and checks
 * it against its own policy) and report its end to {@code replyTo}.
 *
 * @param run an id of this run, unique to the scheduler: the report names it, so that a report of an older run
 *            (another attempt, a scheduler restarted under the same name) is not taken for this one
 */
public record RunOrder(String run, FireContext fire, String cmd, String replyTo, String scheduler) {
  /** As a job's cmd at most (api/JobDraftReader), with room for its JSON. */
  static final int MAX_CMD_CHARS = 16 * 1024;

  public JsonObject toJson() {
    return new JsonObject().put("run", run).put("job_id", fire.jobId()).put("job_name", fire.jobName())
        .put("fire_time", fire.fireTime().toEpochMilli()).put("fire_id", fire.fireId())
        .put("attempt", fire.attempt()).put("timeout_ms", fire.timeout().toMillis()).put("cmd", cmd)
        .put("reply_to", replyTo).put("scheduler", scheduler).put("parent_fire_id", fire.parentFireId());
  }

  /**
   * The order in {@code json}.
   *
   * @throws IllegalArgumentException saying what is missing or wrong
   */
  static RunOrder from(JsonObject json) {
    try {
      String cmd = required(json, "cmd");
      if (cmd.length() > MAX_CMD_CHARS) {
        throw new IllegalArgumentException("cmd longer than " + MAX_CMD_CHARS + " characters");
      }
      String replyTo = required(json, "reply_to");
      if (!replyTo.startsWith(WorkerBus.resultAddress(""))) {
        // the report goes only to a results address: an order cannot aim it at an API address
        throw new IllegalArgumentException("reply_to is not a results address");
      }
      long timeout = json.getLong("timeout_ms", -1L);
      int attempt = json.getInteger("attempt", 1);
      if (timeout <= 0 || attempt < 1) {
        throw new IllegalArgumentException("timeout_ms and attempt must be positive");
      }
      FireContext fire = new FireContext(required(json, "job_id"), json.getString("job_name", ""),
          Instant.ofEpochMilli(json.getLong("fire_time", 0L)), required(json, "fire_id"), attempt,
          Duration.ofMillis(timeout), optional(json, "parent_fire_id"));
      return new RunOrder(required(json, "run"), fire, cmd, replyTo, required(json, "scheduler"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("a field has the wrong type: " + e.getMessage());
    }
  }

  /** A chained fire's parent (null: none), as bounded as the required fields. */
  private static String optional(JsonObject json, String key) {
    return json.getValue(key) == null ? null : required(json, key);
  }

  private static String required(JsonObject json, String key) {
    String v = json.getString(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(key + " is missing");
    }
    if (v.length() > 1024 && !key.equals("cmd")) {
      throw new IllegalArgumentException(key + " is too long");
    }
    return v;
  }
}
