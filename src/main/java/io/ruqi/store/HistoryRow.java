package io.ruqi.store;

/** A stored history row with its id. */
public record HistoryRow(long id, HistoryRecord record) {
}
