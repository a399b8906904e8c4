package io.ruqi.store;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A job as stored: its definition plus its scheduling state.
 *
 * @param anchor      when the job was added or last modified; an interval job's grid starts one interval after it
 * @param nextRunTime the next fire; null when paused or when the trigger will never fire again
 * @param options     per-job policies (misfire grace, timeout, ...) as given, JSON so new ones need no new column
 * @param version     bumped by every write; writers update "where version = what I read" so no edit reverts another
 */
public record Job(
    String id,
    String name,
    String trigger,
    String rule,
    String cmd,
    ZoneId zone,
    Instant startDate,
    Instant endDate,
    Instant anchor,
    Instant nextRunTime,
    boolean paused,
    JsonObject options,
    long version,
    Instant created,
    Instant updated) {

  /** The job after a claim moved its schedule on: a new next fire and the version the claim wrote. */
  public Job claimed(Instant next, Instant now) {
    return new Job(id, name, trigger, rule, cmd, zone, startDate, endDate, anchor, next, paused, options,
        version + 1, created, now);
  }

  public Job withSchedule(Instant nextRunTime, boolean paused, Instant updated) {
    return new Job(id, name, trigger, rule, cmd, zone, startDate, endDate, anchor, nextRunTime, paused, options,
        version, created, updated);
  }
}
