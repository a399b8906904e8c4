package io.ruqi.bench;

import io.ruqi.progress.Progress;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Writes one-shot ({@code date}) jobs straight into ruqi_jobs, many rows per INSERT, as ruqi itself would store them:
 * time zone UTC, next_run_time in epoch seconds, version 0, no options (the service defaults apply).
 */
final class JobRows {
  record JobRow(String id, String cmd, long dueMs) {
  }

  private static final String COLUMNS = "id, job_name, job_trigger, job_rule, cmd, next_run_time, job_state, timezone,"
      + " anchor_time, paused, version, u_time, c_time";
  private static final String MARKS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final int ROWS = 500;
  private static final DateTimeFormatter RULE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
      .withZone(ZoneOffset.UTC);

  private JobRows() {
  }

  /** Inserts the rows, a few statements in flight at once; answers how long it took in ms. */
  static long insert(Pool pool, List<JobRow> rows) {
    Progress progress = Benchmark.progress("  jobs stored", "jobs", rows.size());
    long t0 = System.currentTimeMillis();
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    double anchor = System.currentTimeMillis() / 1000.0;
    List<Future<?>> inFlight = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += ROWS) {
      List<JobRow> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS));
      Tuple args = Tuple.tuple();
      for (int i = 0; i < chunk.size(); i++) {
        JobRow r = chunk.get(i);
        // c_time spreads over the rows so that job_list pages have a realistic order
        LocalDateTime created = now.minusNanos((long) (rows.size() - from - i) * 1_000_000L);
        args.addString(r.id()).addString("bench").addString("date")
            .addString(RULE.format(Instant.ofEpochMilli(r.dueMs()))).addString(r.cmd())
            .addDouble(r.dueMs() / 1000.0).addString("{}").addString("UTC").addDouble(anchor)
            .addBoolean(false).addLong(0L).addValue(created).addValue(created);
      }
      String sql = "INSERT INTO ruqi_jobs (" + COLUMNS + ") VALUES "
          + String.join(", ", Collections.nCopies(chunk.size(), MARKS));
      inFlight.add(pool.preparedQuery(sql).execute(args).onSuccess(r -> progress.advance(chunk.size())));
      if (inFlight.size() >= 4) {
        Sync.await(Future.all(inFlight));
        inFlight.clear();
      }
    }
    Sync.await(Future.all(inFlight));
    progress.finish();
    return System.currentTimeMillis() - t0;
  }

  /** {@code n} jobs {@code <series>-<i>} all due at {@code dueMs}. */
  static List<JobRow> allAt(String series, int n, String cmd, long dueMs) {
    List<JobRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new JobRow(series + "-" + i, cmd, dueMs));
    }
    return out;
  }

  /** {@code n} jobs due from {@code fromMs} on, {@code rate} per second, evenly spread (to the millisecond). */
  static List<JobRow> spread(String series, int n, String cmd, long fromMs, int rate) {
    List<JobRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new JobRow(series + "-" + i, cmd, fromMs + Math.round(i * 1000.0 / rate)));
    }
    return out;
  }
}
