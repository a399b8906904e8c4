package io.ruqi.api;

import io.ruqi.exec.Command;
import io.ruqi.schedule.Trigger;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** A job definition that passed validation and may be stored. */
/**
 * @param anchor        what the trigger is anchored at (now, unless the schedule is unchanged by a modify)
 * @param sameSchedule  a modify that left trigger, rule, zone and dates as they were
 * @param command       the cmd as parsed
 */
record JobDraft(String id, String name, Trigger trigger, Instant anchor, boolean sameSchedule, String cmd,
                Command command, Instant startDate, Instant endDate, JsonObject options) {
}
