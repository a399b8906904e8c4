package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The jobs table, over any Vert.x SQL pool (H2 through JDBC, or MySQL/MariaDB). */
final class SqlJobStore implements JobStore {
  /** Ids in one DELETE of a removal by name (a statement's placeholders are bounded). */
  private static final int DELETE_CHUNK = 500;

  private static final String DELETE = "DELETE FROM ruqi_jobs WHERE id = ?";
  private static final String WRITTEN = "id, job_name, job_trigger, job_rule, cmd, next_run_time, job_state, timezone,"
      + " start_date, end_date, anchor_time, paused, version, u_time, c_time";

  /**
   * The columns as read. {@code paused} is a TINYINT, which vertx-jdbc-client 5.0.10 asks H2 for as a primitive
   * {@code byte}; H2 refuses that, the client falls back to a plain read, and H2 traced every refusal with its stack
   * to data/ruqi.trace.db (tens of MB within minutes: every due job read is a row). Read as a comparison, it is a
   * BOOLEAN on H2 and an integer on MySQL, both of which decode directly.
   */
  static final String COLUMNS = WRITTEN.replace("paused", "(paused <> 0) AS paused");

  private static final String INSERT = "INSERT INTO ruqi_jobs (" + WRITTEN + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String UPDATE = "UPDATE ruqi_jobs SET job_name = ?, job_trigger = ?, job_rule = ?, cmd = ?,"
      + " next_run_time = ?, job_state = ?, timezone = ?, start_date = ?, end_date = ?, anchor_time = ?, paused = ?,"
      + " version = version + 1, u_time = ? WHERE id = ? AND version = ?";

  private final Pool pool;
  private final Dialect dialect;
  private final DurableCommits durable;
  private final JobAdds<AuditedJob> adds;

  SqlJobStore(Pool pool, Dialect dialect, DurableCommits durable, int connections) {
    this.pool = pool;
    this.dialect = dialect;
    this.durable = durable;
    // no more writes at once than the pool has connections (the embedded store has one): a write beyond them would
    // only queue for a connection, where its adds could instead have joined the next batch
    this.adds = new JobAdds<>(this::insertAll, this::insertOne,
        e -> StoreErrors.isUnavailable(e) && !StoreErrors.answered(e),
        a -> a.cmd().length() + a.row().getString(OPTIONS).length() * 2,
        Math.max(1, Math.min(JobAdds.MAX_IN_FLIGHT, connections)));
  }

  @Override
  public Future<Void> insert(Job job, AuditRecord audit) {
    Future<?> written = audit == null ? pool.preparedQuery(INSERT).execute(args(job))
        : adds.add(new AuditedJob(args(job), job.cmd(), audit));
    return written
        .recover(e -> Future.failedFuture(dialect.isDuplicateKey(e) ? new DuplicateJobException(job.id()) : e))
        .compose(rows -> durable.afterCommit());
  }

  /** A new job's row (its options encoded once, for the batch's size and the INSERT) and its audit row. */
  private record AuditedJob(Tuple row, String cmd, AuditRecord audit) {
  }

  /** Where {@link #args} puts the options' JSON. */
  private static final int OPTIONS = 6;

  private Future<Void> insertOne(AuditedJob add) {
    return Transactions.run(pool, dialect, conn -> conn.preparedQuery(INSERT).execute(add.row())
        .compose(rows -> AuditStore.add(conn, add.audit())));
  }

  private Future<Void> insertAll(List<AuditedJob> adds) {
    String sql = INSERT + (", " + INSERT.substring(INSERT.indexOf("VALUES ") + 7)).repeat(adds.size() - 1);
    return Transactions.run(pool, dialect, conn -> {
      List<Object> args = new ArrayList<>();
      adds.forEach(a -> appendValues(args, a.row()));
      return conn.preparedQuery(sql).execute(Tuple.wrap(args))
          .compose(rows -> AuditStore.addAll(conn, adds.stream().map(AuditedJob::audit).toList()));
    });
  }

  /** A tuple's values at the end of a multi-row statement's arguments. */
  static void appendValues(List<Object> into, Tuple values) {
    for (int i = 0; i < values.size(); i++) {
      into.add(values.getValue(i));
    }
  }

  private static Tuple args(Job job) {
    return Tuple.tuple()
        .addString(job.id()).addString(job.name()).addString(job.trigger()).addString(job.rule())
        .addString(job.cmd()).addValue(seconds(job.nextRunTime())).addString(job.options().encode())
        .addString(job.zone().getId()).addValue(seconds(job.startDate())).addValue(seconds(job.endDate()))
        .addValue(seconds(job.anchor())).addBoolean(job.paused()).addLong(job.version())
        .addValue(utc(job.updated())).addValue(utc(job.created()));
  }

  @Override
  public Future<Boolean> update(Job job, AuditRecord audit) {
    Tuple t = Tuple.tuple()
        .addString(job.name()).addString(job.trigger()).addString(job.rule()).addString(job.cmd())
        .addValue(seconds(job.nextRunTime())).addString(job.options().encode()).addString(job.zone().getId())
        .addValue(seconds(job.startDate())).addValue(seconds(job.endDate())).addValue(seconds(job.anchor()))
        .addBoolean(job.paused()).addValue(utc(job.updated()))
        .addString(job.id()).addLong(job.version());
    Future<Boolean> written = audit == null
        ? pool.preparedQuery(UPDATE).execute(t).map(rows -> rows.rowCount() == 1)
        : Transactions.run(pool, dialect, conn -> conn.preparedQuery(UPDATE).execute(t).compose(rows ->
            rows.rowCount() == 1 ? AuditStore.add(conn, audit).map(true) : Future.succeededFuture(false)));
    return written.compose(done -> durable.afterCommit().map(done));
  }

  @Override
  public Future<Job> find(String jobId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM ruqi_jobs WHERE id = ?")
        .execute(Tuple.of(jobId))
        .map(rows -> rows.iterator().hasNext() ? toJob(rows.iterator().next()) : null);
  }

  @Override
  public Future<Boolean> fired(String jobId, Instant fireTime) {
    // one statement, so one snapshot: a fire's running row goes in the transaction that writes its last history row
    LocalDateTime at = utc(fireTime);
    return pool.preparedQuery("SELECT 1 FROM ruqi_running WHERE job_id = ? AND fire_time = ?"
            + " UNION ALL SELECT 1 FROM ruqi_jobs_history WHERE job_id = ? AND fire_time = ? LIMIT 1")
        .execute(Tuple.of(jobId, at, jobId, at)).map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Boolean> delete(String jobId, AuditRecord audit) {
    Future<Boolean> removed = audit == null
        ? pool.preparedQuery(DELETE).execute(Tuple.of(jobId)).map(rows -> rows.rowCount() > 0)
        : Transactions.run(pool, dialect, conn -> conn.preparedQuery(DELETE).execute(Tuple.of(jobId)).compose(rows ->
            rows.rowCount() > 0 ? AuditStore.add(conn, audit).map(true) : Future.succeededFuture(false)));
    return removed.compose(done -> durable.afterCommit().map(done));
  }

  @Override
  public Future<Map<String, String>> deleteByName(String name, IntFunction<AuditRecord> audit) {
    // by id, as read and locked: a job of that name added meanwhile is not removed unnamed
    return Transactions.run(pool, dialect, conn -> conn.preparedQuery("SELECT id, job_name FROM ruqi_jobs"
            + " WHERE job_name = ?" + dialect.forUpdate()).execute(Tuple.of(name))
            .compose(rows -> {
              // each job's name as stored: MySQL's collation matches names whatever their case
              Map<String, String> removed = new LinkedHashMap<>();
              rows.forEach(row -> removed.put(row.getString(0), row.getString(1)));
              return deleteIds(conn, List.copyOf(removed.keySet()))
                  .compose(v -> AuditStore.add(conn, audit.apply(removed.size())))
                  .map(removed);
            }))
        .compose(removed -> durable.afterCommit().map(removed));
  }

  private static Future<Void> deleteIds(SqlConnection conn, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < ids.size(); from += DELETE_CHUNK) {
      List<Object> chunk = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + DELETE_CHUNK)));
      chain = chain.compose(v -> conn.preparedQuery("DELETE FROM ruqi_jobs WHERE id IN ("
          + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")").execute(Tuple.wrap(chunk)).mapEmpty());
    }
    return chain;
  }

  @Override
  public Future<Page<Job>> list(JobQuery query) {
    StringBuilder where = new StringBuilder("WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (query.jobId() != null) {
      where.append(" AND id = ?");
      args.add(query.jobId());
    }
    if (query.jobName() != null) {
      where.append(" AND job_name = ?");
      args.add(query.jobName());
    }
    return PageReader.read(pool, "SELECT " + COLUMNS, "ruqi_jobs", where.toString(),
        args, dialect.usingIndex("ix_ruqi_jobs_c_time"), query.pageIndex(), query.pageSize(), query.exactTotal(),
        SqlJobStore::toJob);
  }

  @Override
  public Future<Instant> earliestNextRunTime() {
    return pool.query("SELECT MIN(next_run_time) FROM ruqi_jobs WHERE paused = 0").execute()
        .map(rows -> instant(rows.iterator().next().getDouble(0)));
  }

  static List<Job> toJobs(RowSet<Row> rows) {
    List<Job> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(toJob(row));
    }
    return out;
  }

  static Job toJob(Row r) {
    String state = r.getString("job_state");
    return new Job(
        r.getString("id"), r.getString("job_name"), r.getString("job_trigger"), r.getString("job_rule"),
        r.getString("cmd"), ZoneId.of(r.getString("timezone")),
        instant(r.getDouble("start_date")), instant(r.getDouble("end_date")), instant(r.getDouble("anchor_time")),
        instant(r.getDouble("next_run_time")), bool(r.getValue("paused")),
        state == null || state.isBlank() ? new JsonObject() : new JsonObject(state),
        r.getLong("version"), utcInstant(r.getLocalDateTime("c_time")), utcInstant(r.getLocalDateTime("u_time")));
  }

  private static boolean bool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    return v instanceof Number n && n.intValue() != 0;
  }

  /** Epoch seconds with millisecond precision, as RuQi stored next_run_time. */
  static Double seconds(Instant t) {
    return t == null ? null : t.toEpochMilli() / 1000.0;
  }

  static Instant instant(Double seconds) {
    return seconds == null ? null : Instant.ofEpochMilli(Math.round(seconds * 1000));
  }

  static LocalDateTime utc(Instant t) {
    return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static Instant utcInstant(LocalDateTime t) {
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }
}
