package io.ruqi.migrate;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the source database: which tables it has, its job rows and RuQi's history, a page at a time. Never writes. */
final class SourceDatabase {
  static final String RUQI_JOBS = "ruqi_jobs";
  static final String RUQI_HISTORY = "ruqi_jobs_history";
  static final String APSCHEDULER_JOBS = "apscheduler_jobs";
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

  private final Pool pool;

  private SourceDatabase(Pool pool) {
    this.pool = pool;
  }

  static SourceDatabase open(Vertx vertx, SourceUrl url) {
    // a read-only session: whatever this code does, it cannot change RuQi's database
    Pool pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1).setName("ruqi-migrate-source")
            .setConnectionTimeout(10)).connectingTo(url.options()).using(vertx)
        .withConnectHandler(conn -> conn.query("SET SESSION TRANSACTION READ ONLY").execute()
            .onComplete(ar -> conn.close()))
        .build();
    return new SourceDatabase(pool);
  }

  /**
   * The job table ({@code requested}, or else {@code ruqi_jobs}, or else {@code apscheduler_jobs}) and whether RuQi's
   * history is there. Fails with a message when there is none, or when the table is a ruqi store's, not RuQi's.
   */
  Future<SourceTables> tables(String requested) {
    if (requested != null && !TABLE_NAME.matcher(requested).matches()) {
      return Future.failedFuture(new IllegalArgumentException("--table must be a table name (letters, digits, _)"));
    }
    List<Object> names = new ArrayList<>(List.of(RUQI_JOBS, RUQI_HISTORY, APSCHEDULER_JOBS));
    if (requested != null) {
      names.add(requested);
    }
    String sql = "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        + " AND TABLE_NAME IN (?, ?, ?" + (requested != null ? ", ?" : "") + ")";
    return pool.preparedQuery(sql).execute(Tuple.wrap(names)).map(rows -> {
      Map<String, Set<String>> columns = new HashMap<>();
      for (Row r : rows) {
        columns.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(r.getString(1).toLowerCase());
      }
      return choose(columns, requested);
    });
  }

  private static SourceTables choose(Map<String, Set<String>> columns, String requested) {
    String table = requested;
    if (table == null) {
      table = columns.containsKey(RUQI_JOBS) ? RUQI_JOBS : columns.containsKey(APSCHEDULER_JOBS) ? APSCHEDULER_JOBS
          : null;
    }
    if (table == null || !columns.containsKey(table)) {
      throw new IllegalArgumentException(table == null ? "the source database has neither RuQi's ruqi_jobs nor"
          + " APScheduler's apscheduler_jobs table (name another with --table)" : "no table " + table
          + " in the source database");
    }
    Set<String> cols = columns.get(table);
    if (cols.contains("anchor_time")) {
      throw new IllegalArgumentException(table + " is a ruqi store's table, not RuQi's: to move jobs between ruqi"
          + " services use job_export and job_import");
    }
    if (!cols.containsAll(List.of("id", "job_state"))) {
      throw new IllegalArgumentException(table + " has no id and job_state columns: it is not a RuQi or APScheduler"
          + " job table");
    }
    boolean ruqi = cols.containsAll(List.of("job_name", "job_trigger"));
    Set<String> history = columns.getOrDefault(RUQI_HISTORY, Set.of());
    boolean hasHistory = ruqi && history.containsAll(List.of("id", "job_id", "job_name", "cmd", "cmd_is_success",
        "cmd_output", "cmd_cost", "scheduler_name", "c_time")) && !history.contains("fire_time");
    return new SourceTables(table, ruqi, hasHistory);
  }

  /** The rows of a table (one of {@link #tables}' answer): how far the migration is goes by it. */
  Future<Long> count(String table) {
    if (!TABLE_NAME.matcher(table).matches()) {
      return Future.failedFuture(new IllegalArgumentException("not a table name: " + table));
    }
    return pool.query("SELECT COUNT(*) FROM `" + table + "`").execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** Up to {@code limit} job rows with ids after {@code afterId} (null: from the first), in id order. */
  Future<List<JobRow>> jobs(SourceTables tables, String afterId, int limit) {
    String sql = "SELECT id, job_state" + (tables.ruqi() ? ", job_name" : "") + " FROM `" + tables.jobs() + "`"
        + (afterId == null ? "" : " WHERE id > ?") + " ORDER BY id LIMIT " + limit;
    Tuple args = afterId == null ? Tuple.tuple() : Tuple.of(afterId);
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      List<JobRow> out = new ArrayList<>();
      for (Row r : rows) {
        Buffer state = r.getBuffer("job_state");
        out.add(new JobRow(r.getString("id"), state == null ? null : state.getBytes(),
            tables.ruqi() ? r.getString("job_name") : null));
      }
      return out;
    });
  }

  /** Up to {@code limit} rows of RuQi's history with ids after {@code afterId}, in id order. */
  Future<List<SourceHistoryRow>> history(long afterId, int limit) {
    String sql = "SELECT id, job_id, job_name, cmd, cmd_is_success, cmd_output, cmd_cost, scheduler_name, c_time FROM "
        + RUQI_HISTORY + " WHERE id > ? ORDER BY id LIMIT " + limit;
    return pool.preparedQuery(sql).execute(Tuple.of(afterId)).map(rows -> {
      List<SourceHistoryRow> out = new ArrayList<>();
      for (Row r : rows) {
        Object success = r.getValue("cmd_is_success");
        LocalDateTime created = r.getLocalDateTime("c_time");
        out.add(new SourceHistoryRow(r.getLong("id"), orEmpty(r.getString("job_id")),
            orEmpty(r.getString("job_name")), orEmpty(r.getString("cmd")),
            success instanceof Boolean b ? b : success instanceof Number n && n.intValue() != 0,
            orEmpty(r.getString("cmd_output")), r.getDouble("cmd_cost") == null ? 0 : r.getDouble("cmd_cost"),
            orEmpty(r.getString("scheduler_name")), created));
      }
      return out;
    });
  }

  Future<Void> close() {
    return pool.close();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
