package io.ruqi.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How many rows one list reply may carry. RuQi answered every row when no {@code page_index} was given; a viewer
 * could so pull the whole history (6 MB seen live; a million rows would exhaust the heap). ruqi keeps the form and
 * bounds it: without {@code page_index} a reply carries the first {@code api.max_page_size} rows (1,000 by
 * default: every row of most installs, as before), says {@code "truncated": true} when rows were left out, and
 * the client pages with {@code page_index} for the rest. An explicit {@code page_size} is bounded the same way.
 * The total is counted as far as paging needs, or exactly with {@code api.exact_totals} (see the store's lists).
 */
final class Paging {
  static final int DEFAULT_PAGE_SIZE = 15;

  private final int maxPageSize;
  private final boolean exactTotals;

  Paging(int maxPageSize, boolean exactTotals) {
    this.maxPageSize = maxPageSize;
    this.exactTotals = exactTotals;
  }

  /** {@code page_index} (1-based) and {@code page_size} (default {@code defaultSize}, at most the maximum). */
  Page read(Params p, int defaultSize) {
    Integer index = p.optionalInt("page_index", 0, Integer.MAX_VALUE);
    Integer size = p.optionalInt("page_size", 1, maxPageSize);
    if (index == null) {
      return new Page(1, maxPageSize, true, exactTotals);
    }
    return new Page(Math.max(1, index), size == null ? Math.min(defaultSize, maxPageSize) : size, false,
        exactTotals);
  }

  Page read(Params p) {
    return read(p, DEFAULT_PAGE_SIZE);
  }

  /**
   * @param unasked    no page was asked for: the reply says when it left rows out
   * @param exactTotal count every matching row for the total
   */
  record Page(int index, int size, boolean unasked, boolean exactTotal) {

    /**
     * {@code {"total": N, "total_exact": true, <field>: [...]}}, plus {@code "truncated": true} when rows beyond the
     * cap match. {@code "total_exact": false} says more rows than {@code total} match (the store stops counting).
     */
    JsonObject reply(long total, boolean exact, String field, JsonArray items) {
      JsonObject out = new JsonObject().put("total", total).put("total_exact", exact).put(field, items);
      if (unasked && (total > items.size() || !exact)) {
        out.put("truncated", true).put("page_size", size);
      }
      return out;
    }
  }
}
