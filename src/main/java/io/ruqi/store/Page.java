package io.ruqi.store;

import java.util.List;

/**
 * One page of a list and how many rows match the filters on all pages: exactly when {@code exact}, else a lower
 * bound (more rows than {@code total} match; see {@link PageReader}).
 */
public record Page<T>(long total, boolean exact, List<T> items) {

  /** A page whose total is exact. */
  public Page(long total, List<T> items) {
    this(total, true, items);
  }
}
