package io.ruqi.store;

import java.util.List;

/** One page of a list and the number of rows that match the filters on all pages. */
public record Page<T>(long total, List<T> items) {
}
