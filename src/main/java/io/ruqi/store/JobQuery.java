package io.ruqi.store;

/**
 * Filters (exact match, AND-ed; null = any) and paging for job lists. {@code pageIndex} null means every row.
 */
public record JobQuery(String jobId, String jobName, Integer pageIndex, int pageSize) {
}
