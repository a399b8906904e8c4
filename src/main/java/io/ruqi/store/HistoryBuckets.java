package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * History rows counted per time bucket of their fire time, by status and (first attempts that started) by lateness
 * class: one grouped statement over {@code ix_ruqi_jobs_history_fire_time}, which covers every column it reads. The
 * caller bounds the number of buckets, so the answer is small whatever the number of rows.
 */
public final class HistoryBuckets {
  /** A derived table, so that every database groups by the computed columns by name. */
  static String count(Dialect dialect) {
    return "SELECT bucket, status, late_class, COUNT(*) AS n FROM ("
        + "SELECT FLOOR(" + dialect.secondsBetween("?", "fire_time") + " / ?) AS bucket, status,"
        + " CASE WHEN attempt = 1 AND start_time IS NOT NULL THEN "
        + LatenessHistogram.sqlClass(dialect.microsBetween("fire_time", "start_time"))
        + " END AS late_class"
        + " FROM ruqi_jobs_history WHERE fire_time >= ? AND fire_time < ?) counted"
        + " GROUP BY bucket, status, late_class";
  }

  /** {@code count} rows of {@code status} in bucket {@code bucket}; {@code lateClass} null for rows without one. */
  public record Cell(int bucket, String status, Integer lateClass, long count) {
  }

  private HistoryBuckets() {
  }

  static Future<List<Cell>> count(Pool pool, Dialect dialect, Instant from, Instant to, int bucketSeconds) {
    Tuple args = Tuple.of(SqlJobStore.utc(from), bucketSeconds, SqlJobStore.utc(from), SqlJobStore.utc(to));
    return pool.preparedQuery(count(dialect)).execute(args).map(rows -> {
      List<Cell> out = new ArrayList<>();
      for (Row r : rows) {
        Number late = (Number) r.getValue("late_class");
        out.add(new Cell(((Number) r.getValue("bucket")).intValue(), r.getString("status"),
            late == null ? null : late.intValue(), ((Number) r.getValue("n")).longValue()));
      }
      return out;
    });
  }
}
