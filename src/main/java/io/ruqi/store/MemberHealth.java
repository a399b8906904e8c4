package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether a database member may take this node's work. A Galera member may answer while it is of no use or worse:
 * a joiner or a donor (not {@code Synced}: a donor under rsync is frozen by a read lock, a desynced one lags), one cut
 * off from the primary component after a partition (it refuses statements, or with dirty reads answers old rows), one
 * not {@code wsrep_ready}. A server without Galera ({@code wsrep_on} absent or OFF) is usable whenever it answers.
 */
record MemberHealth(boolean usable, String why) {
  private static final String STATUS = "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state',"
      + " 'wsrep_local_state_comment', 'wsrep_cluster_status')";
  /** Galera's number for Synced (wsrep_local_state). */
  private static final String SYNCED = "4";

  static Future<MemberHealth> of(SqlClient member) {
    return member.query("SHOW GLOBAL VARIABLES LIKE 'wsrep_on'").execute().compose(vars -> {
      Map<String, String> on = values(vars);
      if (!"ON".equalsIgnoreCase(on.getOrDefault("wsrep_on", "OFF"))) {
        return Future.succeededFuture(new MemberHealth(true, "not a Galera member"));
      }
      return member.query(STATUS).execute().map(rows -> judge(values(rows)));
    });
  }

  static MemberHealth judge(Map<String, String> status) {
    String state = status.getOrDefault("wsrep_local_state", "?");
    String comment = status.getOrDefault("wsrep_local_state_comment", "?");
    String cluster = status.getOrDefault("wsrep_cluster_status", "?");
    String ready = status.getOrDefault("wsrep_ready", "?");
    if (!"ON".equalsIgnoreCase(ready)) {
      return new MemberHealth(false, "wsrep_ready=" + ready + " (" + comment + ")");
    }
    if (!"Primary".equalsIgnoreCase(cluster)) {
      return new MemberHealth(false, "wsrep_cluster_status=" + cluster + " (cut off from the primary component)");
    }
    if (!SYNCED.equals(state)) {
      return new MemberHealth(false, "wsrep_local_state=" + state + " " + comment + " (not Synced)");
    }
    return new MemberHealth(true, "Synced");
  }

  private static Map<String, String> values(Iterable<Row> rows) {
    Map<String, String> out = new HashMap<>();
    rows.forEach(r -> out.put(r.getString(0).toLowerCase(java.util.Locale.ROOT), r.getString(1)));
    return out;
  }
}
