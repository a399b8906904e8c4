package io.ruqi.api;

import io.ruqi.store.AuditRecord;
import io.ruqi.store.AuditStore;
import io.ruqi.store.Job;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.ZoneId;

/**
 * An audit row for every change: who, which operation, which job, before and after. A job's add and edit carry
 * their row into the store ({@link #row}), which commits both as one; for other changes the row is written before
 * the change is answered OK, and if writing it fails the change stands (it is already made) and the failure is
 * logged.
 */
final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final AuditStore store;
  private final Clock clock;
  private final ZoneId serviceZone;
  private final String node;
  private final Paging paging;

  AuditLog(AuditStore store, Clock clock, ZoneId serviceZone, String node, Paging paging) {
    this.store = store;
    this.clock = clock;
    this.serviceZone = serviceZone;
    this.node = node;
    this.paging = paging;
  }

  Future<Void> job(Params p, String jobId, Job before, Job after) {
    return write(row(p, jobId, before, after));
  }

  /** The row of a job's change, for the store to write with the change itself. */
  AuditRecord row(Params p, String jobId, Job before, Job after) {
    return row(p, jobId, before == null ? null : JobView.of(before, serviceZone),
        after == null ? null : JobView.of(after, serviceZone));
  }

  Future<Void> record(Params p, String jobId, JsonObject before, JsonObject after) {
    return write(row(p, jobId, before, after));
  }

  /** A row of any change (a calendar's), for the store to write with the change itself. */
  AuditRecord row(Params p, String jobId, JsonObject before, JsonObject after) {
    return new AuditRecord(0, clock.instant(), p.caller(), p.op() == null ? "?" : p.op(), jobId, before, after,
        node);
  }

  private Future<Void> write(AuditRecord r) {
    return store.add(r).recover(e -> {
      LOG.error("audit row for {} {} by {} could not be written: {}", r.operation(), r.jobId(), r.actor(),
          e.getMessage());
      return Future.succeededFuture();
    });
  }

  /** {@code audit_list}: filters job_id, actor, operation; paging as job_list. */
  Future<Object> list(Params p) {
    Paging.Page page = paging.read(p);
    return store.list(blank(p.optionalString("job_id", Params.MAX_ID_LENGTH)),
            blank(p.optionalString("actor", Params.MAX_ID_LENGTH)), blank(p.optionalString("operation", 32)),
            page.index(), page.size(), page.exactTotal())
        .map(rows -> {
          JsonArray list = new JsonArray();
          for (AuditRecord r : rows.items()) {
            list.add(new JsonObject().put("id", r.id()).put("c_time", JobView.format(r.time(), serviceZone))
                .put("actor", r.actor()).put("operation", r.operation()).put("job_id", r.jobId())
                .put("before", r.before()).put("after", r.after()).put("node", r.node()));
          }
          return page.reply(rows.total(), rows.exact(), "list", list);
        });
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
