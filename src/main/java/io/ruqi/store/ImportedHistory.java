package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * History rows brought from another scheduler (migrate), written with their own ids where those are free. A row
 * whose id or whose fire (job_id, fire_time, attempt) is already there is skipped, so bringing the same rows twice
 * writes nothing the second time.
 */
public final class ImportedHistory {
  private static final String COLUMNS = "job_id, job_name, cmd, cmd_is_success, cmd_output, cmd_cost, scheduler_name,"
      + " c_time, fire_time, start_time, status, attempt, exit_code";
  private static final String MARKS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

  private final Stores stores;

  public ImportedHistory(Stores stores) {
    this.stores = stores;
  }

  /** Who holds each of these ids now: its job_id and c_time, by id. */
  public Future<Map<Long, RowOwner>> owners(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String sql = "SELECT id, job_id, c_time FROM ruqi_jobs_history WHERE id IN ("
        + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
    return stores.pool().preparedQuery(sql).execute(Tuple.wrap(List.copyOf(ids))).map(rows -> {
      Map<Long, RowOwner> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getLong("id"), new RowOwner(r.getString("job_id"),
            SqlJobStore.utcInstant(r.getLocalDateTime("c_time"))));
      }
      return out;
    });
  }

  /** Whether the fire's first attempt has a row (under any id). */
  public Future<Boolean> hasFire(String jobId, Instant fireTime) {
    return stores.pool().preparedQuery("SELECT 1 FROM ruqi_jobs_history WHERE job_id = ? AND fire_time = ?"
            + " AND attempt = 1").execute(Tuple.of(jobId, SqlJobStore.utc(fireTime)))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Inserts the rows in one statement, each with its id ({@code ids.get(i)}) or, where that is null, a new one;
   * answers how many were written, once they are durable.
   */
  public Future<Integer> insert(List<HistoryRecord> records, List<Long> ids) {
    if (records.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Dialect dialect = stores.dialect();
    StringBuilder sql = new StringBuilder(dialect.insertIgnore() + " INTO ruqi_jobs_history (id, " + COLUMNS
        + ") VALUES ");
    Tuple args = Tuple.tuple();
    for (int i = 0; i < records.size(); i++) {
      HistoryRecord r = records.get(i);
      Long id = ids.get(i);
      sql.append(i == 0 ? "" : ", ").append(id == null ? "(" + dialect.nextKey() + ", " : "(?, ").append(MARKS).append(')');
      if (id != null) {
        args.addLong(id);
      }
      args.addString(r.jobId()).addString(r.jobName()).addString(r.cmd()).addBoolean(r.success())
          .addString(r.output() == null ? "" : r.output()).addDouble(r.cost()).addString(r.node())
          .addValue(SqlJobStore.utc(r.created())).addValue(SqlJobStore.utc(r.fireTime()))
          .addValue(r.startTime() == null ? null : SqlJobStore.utc(r.startTime())).addString(r.status().wire())
          .addInteger(r.attempt()).addValue(r.exitCode());
    }
    sql.append(dialect.ignoreEnd());
    return stores.pool().preparedQuery(sql.toString()).execute(args)
        .compose(rows -> stores.durable().afterCommit().map(rows.rowCount()));
  }

  /** The job and creation time of a history row, to tell a row brought before from another that took its id. */
  public record RowOwner(String jobId, Instant created) {
  }
}
