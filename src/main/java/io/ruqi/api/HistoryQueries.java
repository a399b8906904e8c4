package io.ruqi.api;

import io.ruqi.progress.Progress;
import io.ruqi.schedule.RuleException;
import io.ruqi.schedule.TimeFormats;
import io.ruqi.store.HistoryQuery;
import io.ruqi.store.HistoryRecord;
import io.ruqi.store.HistoryRow;
import io.ruqi.store.HistoryStore;
import io.ruqi.store.PartialDelete;
import io.ruqi.store.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** {@code job_history_list} / {@code get_history} and {@code job_history_clear}. */
final class HistoryQueries {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryQueries.class);
  static final int DEFAULT_RETENTION_DAYS = 180;

  private final HistoryStore store;
  private final AuditLog audit;
  private final Clock clock;
  private final ZoneId serviceZone;
  private final Paging paging;

  HistoryQueries(HistoryStore store, AuditLog audit, Clock clock, ZoneId serviceZone, Paging paging) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.serviceZone = serviceZone;
    this.paging = paging;
  }

  Future<Object> list(Params p) {
    Paging.Page page = paging.read(p);
    HistoryQuery q = new HistoryQuery(
        blankToNull(p.optionalString("job_id", Params.MAX_ID_LENGTH)),
        blankToNull(p.optionalString("job_name", Params.MAX_ID_LENGTH)),
        success(p),
        status(p),
        page.index(),
        page.size(),
        page.exactTotal());
    return store.list(q).map(rows -> {
      JsonArray list = new JsonArray();
      rows.items().forEach(row -> list.add(view(row)));
      return page.reply(rows.total(), rows.exact(), "list", list);
    });
  }

  Future<Object> clear(Params p) {
    Instant before;
    String beforeText = p.optionalString("before", 40);
    if (beforeText != null && !beforeText.isBlank()) {
      try {
        before = TimeFormats.parseDateTime(beforeText.strip(), serviceZone, "before");
      } catch (RuleException e) {
        throw ApiException.invalid(e.getMessage());
      }
    } else {
      int days = orDefault(p.optionalInt("days", 0, 100_000), DEFAULT_RETENTION_DAYS);
      before = clock.instant().minus(Duration.ofDays(days));
    }
    String jobId = blankToNull(p.optionalString("job_id", Params.MAX_ID_LENGTH));
    String jobName = blankToNull(p.optionalString("job_name", Params.MAX_ID_LENGTH));
    // a service's progress goes to its log: its stdout is the log, where a bar would be overwritten
    JsonObject filter = new JsonObject().put("job_name", jobName);
    return store.deleteBefore(before, jobId, jobName, Progress.lines("job_history_clear", "rows", 0, clock, LOG::info))
        .map(n -> new JsonObject().put("deleted", n).put("before", TimeFormats.format(before, serviceZone)))
        .recover(e -> e instanceof PartialDelete partial ? interrupted(p, jobId, filter, before, partial)
            : Future.failedFuture(e))
        .compose(result -> audit.record(p, jobId, filter, result).map(result));
  }

  /** Audited as what it did, and answered as an outage that changed something: a second call deletes the rest. */
  private Future<JsonObject> interrupted(Params p, String jobId, JsonObject filter, Instant before,
                                         PartialDelete partial) {
    JsonObject done = new JsonObject().put("deleted", partial.deleted())
        .put("before", TimeFormats.format(before, serviceZone)).put("interrupted", true);
    ApiException answer = new ApiException(Stat.ERR_STORE_UNAVAILABLE, 503, "the store failed after "
        + partial.deleted() + " rows were deleted; call again to delete the rest");
    return audit.record(p, jobId, filter, done).transform(ignored -> Future.failedFuture(answer));
  }

  private JsonObject view(HistoryRow row) {
    HistoryRecord r = row.record();
    return new JsonObject()
        .put("id", row.id())
        .put("job_id", r.jobId())
        .put("job_name", r.jobName())
        .put("cmd", r.cmd())
        .put("cmd_is_success", r.success())
        .put("cmd_output", r.output())
        .put("cmd_cost", Math.round(r.cost() * 1000) / 1000.0)
        .put("scheduler_name", r.node())
        .put("c_time", format(r.created()))
        .put("fire_time", format(r.fireTime()))
        .put("start_time", format(r.startTime()))
        .put("status", r.status() == null ? null : r.status().wire())
        .put("attempt", r.attempt())
        .put("exit_code", r.exitCode())
        .put("parent_fire_id", r.parentFireId())
        .put("worker", r.worker());
  }

  private String format(Instant t) {
    return t == null ? null : TimeFormats.format(t, serviceZone);
  }

  /** RuQi's newer UI sends {@code is_success=yes|no}. */
  private static Boolean success(Params p) {
    Object v = p.value("is_success");
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    if (v instanceof String s && s.strip().equalsIgnoreCase("yes")) {
      return true;
    }
    if (v instanceof String s && s.strip().equalsIgnoreCase("no")) {
      return false;
    }
    try {
      return p.optionalBool("is_success");
    } catch (ApiException e) {
      throw ApiException.badParams("is_success must be yes or no (got '" + v + "')");
    }
  }

  private static String status(Params p) {
    String v = blankToNull(p.optionalString("status", 16));
    if (v != null && RunStatus.fromWire(v) == null) {
      throw ApiException.badParams("status must be one of success, failed, timeout, missed, skipped, interrupted"
          + " (got '" + v + "')");
    }
    return v;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static int orDefault(Integer v, int dflt) {
    return v == null ? dflt : v;
  }
}
