package io.ruqi.client;

import java.util.List;

/**
 * One page of a list, newest first.
 *
 * @param total     rows that match, on every page
 * @param truncated no page was asked for and rows were left out beyond {@code api.max_page_size}
 */
public record Page<T>(long total, List<T> items, boolean truncated) {
  public Page {
    items = List.copyOf(items);
  }
}
