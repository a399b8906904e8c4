package io.ruqi.store;

import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

/** One fire of one job: the key of its running row and of its history rows. */
public record FireRef(String jobId, Instant fireTime) {

  /**
   * A condition that picks exactly {@code fires} among the rows of ruqi_running, its arguments added to
   * {@code args}. The IN list is what makes both databases read the primary key (H2 scans the table for OR-ed pairs
   * alone, and ruqi_running grows to thousands of rows while a drain's history lags); the pairs then pick the exact
   * fires among each job's rows.
   */
  static String matching(List<FireRef> fires, Tuple args) {
    List<String> ids = fires.stream().map(FireRef::jobId).distinct().toList();
    ids.forEach(args::addString);
    fires.forEach(f -> args.addString(f.jobId()).addValue(SqlJobStore.utc(f.fireTime())));
    return "job_id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") AND ("
        + String.join(" OR ", Collections.nCopies(fires.size(), "(job_id = ? AND fire_time = ?)")) + ")";
  }
}
