package io.ruqi.store;

/**
 * Filters (exact, AND-ed; null = any) and paging of the history; {@code pageIndex} null means every row.
 *
 * @param exactTotal count every matching row for the total (api.exact_totals), not just enough to page on
 */
public record HistoryQuery(String jobId, String jobName, Boolean success, String status, Integer pageIndex,
                           int pageSize, boolean exactTotal) {

  public HistoryQuery(String jobId, String jobName, Boolean success, String status, Integer pageIndex, int pageSize) {
    this(jobId, jobName, success, status, pageIndex, pageSize, false);
  }
}
