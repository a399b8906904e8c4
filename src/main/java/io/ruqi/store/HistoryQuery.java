package io.ruqi.store;

/** Filters (exact, AND-ed; null = any) and paging of the history; {@code pageIndex} null means every row. */
public record HistoryQuery(String jobId, String jobName, Boolean success, String status, Integer pageIndex,
                           int pageSize) {
}
