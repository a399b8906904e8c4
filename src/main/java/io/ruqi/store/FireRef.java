package io.ruqi.store;

import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;

/**
 * One fire of one job: the key of its running row and of its history rows, and, written as its {@link #id()}, the
 * fire's idempotency key in events, headers and {@code fire_output}.
 */
public record FireRef(String jobId, Instant fireTime) {
  /** Kept to the millisecond, as the store keeps it, so that two references to one fire are equal. */
  public FireRef {
    fireTime = Instant.ofEpochMilli(fireTime.toEpochMilli());
  }

  /** {@code <job_id>@<epoch ms>}: the same on every attempt of the fire, and on every node. */
  public String id() {
    return jobId + "@" + fireTime.toEpochMilli();
  }

  /**
   * The fire an {@link #id()} names; a job id may itself hold an {@code @}, so the last one splits.
   *
   * @throws IllegalArgumentException when {@code fireId} is no fire id
   */
  public static FireRef parse(String fireId) {
    int at = fireId == null ? -1 : fireId.lastIndexOf('@');
    if (at <= 0 || at == fireId.length() - 1) {
      throw new IllegalArgumentException("no fire id: " + fireId);
    }
    return new FireRef(fireId.substring(0, at), Instant.ofEpochMilli(Long.parseLong(fireId.substring(at + 1))));
  }

  /**
   * A condition that picks exactly {@code fires} among the rows of ruqi_running, its arguments added to
   * {@code args}. The IN list of job ids is what makes H2 read the primary key (it scans the table for pairs alone,
   * and ruqi_running grows to thousands of rows while a drain's history lags); the pairs, a row-value IN list, then
   * pick the exact fires among each job's rows. MariaDB reads such a list as ranges of the primary key and looks
   * each row up in it by a binary search: a DELETE of 500 fires took about a third of the time it took with OR-ed
   * pairs, which it tested one by one.
   */
  static String matching(Dialect dialect, List<FireRef> fires, Tuple args) {
    List<FireRef> pairs = InLists.padded(dialect, fires);
    List<String> ids = fires.stream().map(FireRef::jobId).distinct().toList();
    // padded, both lists as long as the pairs: one shape per length (InLists)
    List<String> paddedIds = InLists.pads(dialect, fires.size()) ? InLists.paddedTo(ids, pairs.size()) : ids;
    paddedIds.forEach(args::addString);
    pairs.forEach(f -> args.addString(f.jobId()).addValue(SqlJobStore.utc(f.fireTime())));
    return "job_id IN (" + InLists.marks(paddedIds.size()) + ") AND (job_id, fire_time) IN "
        + dialect.rowValues(pairs.size(), 2);
  }
}
