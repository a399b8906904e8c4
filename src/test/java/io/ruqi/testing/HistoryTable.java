package io.ruqi.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A store's fires as {@link FireLedger} reads them, from the tables themselves: fire and start times to the
 * millisecond (the API shows whole seconds), and the {@code ruqi_running} rows that a quiet pair must have released.
 */
public final class HistoryTable {
  private final MariaDbServer db;
  private final String database;

  public HistoryTable(MariaDbServer db, String database) {
    this.db = db;
    this.database = database;
  }

  public List<FireLedger.Row> rows() {
    return select("job_id, " + ms("fire_time") + ", status, attempt, " + ms("start_time") + ", " + ms("c_time")
        + ", scheduler_name, LEFT(cmd_output, 300) FROM `" + database + "`.ruqi_jobs_history", 8,
        f -> new FireLedger.Row(f[0], Long.parseLong(f[1]), f[2], Integer.parseInt(f[3]), orNull(f[4]),
            Long.parseLong(f[5]), f[6], f[7]));
  }

  public List<FireLedger.Running> running() {
    return select("job_id, " + ms("fire_time") + ", node, " + ms("start_time") + " FROM `" + database
        + "`.ruqi_running", 4, f -> new FireLedger.Running(f[0], Long.parseLong(f[1]), f[2], orNull(f[3])));
  }

  /** The command each fire's first row names, by fire id ({@code job@ms}). */
  public Map<String, String> commands() {
    Map<String, String> out = new TreeMap<>();
    select("CONCAT(job_id, '@', " + ms("fire_time") + "), cmd FROM `" + database + "`.ruqi_jobs_history"
        + " WHERE attempt = 1", 2, f -> out.put(f[0], f[1]));
    return out;
  }

  private <T> List<T> select(String what, int columns, Function<String[], T> row) {
    String out = db.sql("SET time_zone = '+00:00'; SELECT " + what);
    List<T> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length == columns) {
        rows.add(row.apply(f));
      }
    }
    return rows;
  }

  private static String ms(String column) {
    return "ROUND(UNIX_TIMESTAMP(" + column + ") * 1000)";
  }

  private static Long orNull(String text) {
    return text.equals("NULL") ? null : Long.parseLong(text);
  }
}
