package io.ruqi.client;

import io.vertx.core.json.JsonObject;

import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A job as ruqi shows it ({@code job_show}, {@code job_list}, and the answer of every change).
 *
 * @param trigger     {@code cron}, {@code interval} or {@code date}
 * @param rule        as ruqi normalised it ({@code 1h} is {@code 3600s})
 * @param nextRunTime the next fire in the job's {@code timezone}; null while paused or done
 * @param startDate   in the job's {@code timezone}, or null; so is {@code endDate}
 * @param state       {@code scheduled}, {@code paused} or {@code done}
 * @param options     the job's own policies ({@code misfire_grace_time}, {@code max_instances}, ...; seconds as
 *                    numbers): only those it sets, the service's defaults apply to the rest
 * @param version     goes up by one at each change: name it in a {@link JobSpec#version} to change only that version
 * @param created     in the service's time zone; so is {@code updated}
 */
public record Job(String jobId, String jobName, String trigger, String rule, String cmd, LocalDateTime nextRunTime,
                  ZoneId timezone, LocalDateTime startDate, LocalDateTime endDate, String state, JsonObject options,
                  long version, LocalDateTime created, LocalDateTime updated) {

  public static final String SCHEDULED = "scheduled";
  public static final String PAUSED = "paused";
  public static final String DONE = "done";

  public Job {
    options = options == null ? new JsonObject() : options.copy();
  }

  @Override
  public JsonObject options() {
    return options.copy();
  }

  public boolean paused() {
    return PAUSED.equals(state);
  }

  static Job from(JsonObject j) {
    return new Job(j.getString("job_id"), j.getString("job_name"), j.getString("job_trigger"), j.getString("rule"),
        j.getString("cmd"), WireTimes.parse(j.getString("next_run_time")), ZoneId.of(j.getString("timezone")),
        WireTimes.parse(j.getString("start_date")), WireTimes.parse(j.getString("end_date")), j.getString("state"),
        j.getJsonObject("options"), j.getLong("version"), WireTimes.parse(j.getString("c_time")),
        WireTimes.parse(j.getString("u_time")));
  }
}
