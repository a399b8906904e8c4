package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** The audit table. */
public final class AuditStore {
  private final Pool pool;
  private final DurableCommits durable;

  AuditStore(Pool pool, DurableCommits durable) {
    this.pool = pool;
    this.durable = durable;
  }

  private static final String INSERT = "INSERT INTO ruqi_audit (c_time, actor, operation, job_id, before_value,"
      + " after_value, node) VALUES (?, ?, ?, ?, ?, ?, ?)";

  public Future<Void> add(AuditRecord r) {
    return pool.preparedQuery(INSERT).execute(args(r)).compose(rows -> durable.afterCommit());
  }

  /** The row, within a transaction the caller commits (a job's change and its audit row commit as one). */
  static Future<Void> add(SqlConnection conn, AuditRecord r) {
    return conn.preparedQuery(INSERT).execute(args(r)).mapEmpty();
  }

  /** The rows as one statement, within a transaction the caller commits (a batch of new jobs, {@link JobAdds}). */
  static Future<Void> addAll(SqlConnection conn, List<AuditRecord> records) {
    List<Object> args = new ArrayList<>();
    records.forEach(r -> SqlJobStore.appendValues(args, args(r)));
    return conn.preparedQuery(INSERT + ", (?, ?, ?, ?, ?, ?, ?)".repeat(records.size() - 1))
        .execute(Tuple.wrap(args)).mapEmpty();
  }

  private static Tuple args(AuditRecord r) {
    return Tuple.of(SqlJobStore.utc(r.time()), r.actor(), r.operation(), r.jobId(),
        r.before() == null ? null : r.before().encode(), r.after() == null ? null : r.after().encode(), r.node());
  }

  /** Newest first; filters exact (null = any); {@code pageIndex} null = every row. */
  public Future<Page<AuditRecord>> list(String jobId, String actor, String operation, Integer pageIndex,
                                        int pageSize) {
    return list(jobId, actor, operation, pageIndex, pageSize, false);
  }

  /** @param exactTotal count every matching row for the total (api.exact_totals), not just enough to page on */
  public Future<Page<AuditRecord>> list(String jobId, String actor, String operation, Integer pageIndex,
                                        int pageSize, boolean exactTotal) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (jobId != null) {
      where.append(" AND job_id = ?");
      args.add(jobId);
    }
    if (actor != null) {
      where.append(" AND actor = ?");
      args.add(actor);
    }
    if (operation != null) {
      where.append(" AND operation = ?");
      args.add(operation);
    }
    return PageReader.read(pool, "SELECT id, c_time, actor, operation, job_id, before_value, after_value, node",
        "ruqi_audit", where.toString(), args, "", pageIndex, pageSize, exactTotal,
        r -> new AuditRecord(r.getLong(0), SqlJobStore.utcInstant(r.getLocalDateTime(1)), r.getString(2),
            r.getString(3), r.getString(4), json(r.getString(5)), json(r.getString(6)), r.getString(7)));
  }

  private static JsonObject json(String s) {
    return s == null ? null : new JsonObject(s);
  }
}
