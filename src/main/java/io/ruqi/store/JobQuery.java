package io.ruqi.store;

/**
 * Filters (exact match, AND-ed; null = any) and paging for job lists. {@code pageIndex} null means every row.
 *
 * @param exactTotal count every matching row for the total (api.exact_totals), not just enough to page on
 */
public record JobQuery(String jobId, String jobName, Integer pageIndex, int pageSize, boolean exactTotal) {

  public JobQuery(String jobId, String jobName, Integer pageIndex, int pageSize) {
    this(jobId, jobName, pageIndex, pageSize, false);
  }
}
