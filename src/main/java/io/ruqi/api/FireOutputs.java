package io.ruqi.api;

import io.ruqi.schedule.TimeFormats;
import io.ruqi.store.FireRef;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.HistoryStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneId;

/**
 * {@code fire_output}: where one fire is (claimed or running, or over) and the output of its runs so far, as the
 * history keeps it. Readable by the role that reads the history, since it is the same output; the console's live
 * view asks it when opened and again until the fire is over.
 */
final class FireOutputs {
  private final HistoryStore store;
  private final ZoneId serviceZone;

  FireOutputs(HistoryStore store, ZoneId serviceZone) {
    this.store = store;
    this.serviceZone = serviceZone;
  }

  Future<Object> show(Params p) {
    String fireId = p.requiredString("fire_id", Params.MAX_ID_LENGTH + 21);
    FireRef fire = parse(fireId);
    return store.fire(fire).map(found -> {
      if (!found.running() && found.rows().isEmpty()) {
        throw new ApiException(Stat.ERR, 404, "no fire " + fireId + " is running or in the history");
      }
      JsonArray runs = new JsonArray();
      found.rows().forEach(row -> {
        HistoryRecord r = row.record();
        runs.add(new JsonObject()
            .put("id", row.id())
            .put("attempt", r.attempt())
            .put("status", r.status() == null ? null : r.status().wire())
            .put("cmd_output", r.output())
            .put("exit_code", r.exitCode())
            .put("cmd_cost", Math.round(r.cost() * 1000) / 1000.0)
            .put("scheduler_name", r.node())
            .put("worker", r.worker())
            .put("start_time", r.startTime() == null ? null : TimeFormats.format(r.startTime(), serviceZone)));
      });
      return new JsonObject()
          .put("fire_id", fireId)
          .put("job_id", fire.jobId())
          .put("fire_time", TimeFormats.format(fire.fireTime(), serviceZone))
          .put("running", found.running())
          .put("runs", runs);
    });
  }

  /** {@code <job_id>@<epoch ms>}, as {@link FireRef#id()} writes it. */
  static FireRef parse(String fireId) {
    try {
      return FireRef.parse(fireId);
    } catch (IllegalArgumentException e) {
      throw ApiException.badParams("fire_id must be <job_id>@<fire time in epoch milliseconds>, as events and"
          + " headers give it (got '" + fireId + "')");
    }
  }
}
