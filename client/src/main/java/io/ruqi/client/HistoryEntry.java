package io.ruqi.client;

import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;

/**
 * A row of a job's history: one per fire and attempt, also for fires that did not run. Times are in the service's
 * time zone.
 *
 * @param success  RuQi's {@code cmd_is_success}
 * @param output   the run's output (its tail), or why it did not run
 * @param cost     seconds the run took
 * @param node     the node that ran it ({@code scheduler_name})
 * @param status   {@code success}, {@code failed}, {@code timeout}, {@code missed}, {@code skipped} or
 *                 {@code interrupted}
 * @param exitCode a process's exit code, else null
 */
public record HistoryEntry(long id, String jobId, String jobName, String cmd, boolean success, String output,
                           double cost, String node, LocalDateTime created, LocalDateTime fireTime,
                           LocalDateTime startTime, String status, int attempt, Integer exitCode) {

  static HistoryEntry from(JsonObject j) {
    return new HistoryEntry(j.getLong("id"), j.getString("job_id"), j.getString("job_name"), j.getString("cmd"),
        j.getBoolean("cmd_is_success", false), j.getString("cmd_output"), j.getDouble("cmd_cost", 0.0),
        j.getString("scheduler_name"), WireTimes.parse(j.getString("c_time")),
        WireTimes.parse(j.getString("fire_time")), WireTimes.parse(j.getString("start_time")), j.getString("status"),
        j.getInteger("attempt", 1), j.getInteger("exit_code"));
  }
}
