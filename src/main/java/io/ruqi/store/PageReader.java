package io.ruqi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads one page of the job, history or audit list and its {@code total}. RuQi's lists carry a total, and its UIs
 * page by it; but an exact COUNT(*) reads every matching row (InnoDB keeps no row count): a second per page at a
 * million jobs, for a number nobody needs to the row. So the count stops {@link #EXACT_TOTAL_UP_TO} rows (or two
 * pages, if more) past the page's start: below that the total is exact (every install of RuQi's size), beyond it the total is that bound
 * and said to be a lower bound. It always lies past the next page, so a pager can go on, and it grows as it goes.
 * {@code api.exact_totals} counts every row, as RuQi did, for clients that read the total once and page to it.
 */
final class PageReader {
  static final int EXACT_TOTAL_UP_TO = 10_000;
  /** Both keys descending: the {@code c_time} index (which holds {@code id}) is read backwards, nothing sorted. */
  static final String NEWEST_FIRST = "ORDER BY c_time DESC, id DESC";

  private PageReader() {
  }

  /**
   * @param select    {@code SELECT <columns>} of {@code table}, whose key is {@code id}; rows come newest first
   *                  ({@code c_time}, then {@code id}, descending: the {@code c_time} index read backwards)
   * @param where     {@code WHERE <filters>}, the filters' values in {@code args}
   * @param orderedBy the index hint for a page without filters ({@link Dialect#usingIndex})
   * @param pageIndex 1-based; null = every row (the total is then the rows read)
   * @param exact     count every matching row, however many
   */
  static <T> Future<Page<T>> read(Pool pool, String select, String table, String where, List<Object> args,
                                  String orderedBy, Integer pageIndex, int pageSize, boolean exact,
                                  Function<Row, T> toItem) {
    if (pageIndex == null) {
      return items(pool, select + " FROM " + table + " " + where + " " + NEWEST_FIRST,
          Tuple.wrap(new ArrayList<>(args)), toItem).map(items -> new Page<>(items.size(), items));
    }
    long offset = (long) (Math.max(1, pageIndex) - 1) * pageSize;
    // past the next page whatever its size: a page of 10,000 (an export's) must not end where the count stops
    long bound = exact ? Long.MAX_VALUE : offset + Math.max(EXACT_TOTAL_UP_TO, 2L * pageSize);
    List<Object> pageArgs = new ArrayList<>(args);
    pageArgs.add(pageSize);
    pageArgs.add(offset);
    List<Object> countArgs = new ArrayList<>(args);
    String count;
    if (exact) {
      count = "SELECT COUNT(*) FROM " + table + " " + where;
    } else {
      // no ORDER BY: any bound + 1 matching rows will do, read from whichever index is smallest
      count = "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " " + where + " LIMIT ?) counted";
      countArgs.add(bound + 1);
    }
    Future<Long> counted = pool.preparedQuery(count).execute(Tuple.wrap(countArgs))
        .map(rows -> rows.iterator().next().getLong(0));
    String keysFrom = args.isEmpty() ? table + orderedBy : table;
    Future<List<T>> items = items(pool, pageQuery(select, table, keysFrom, where), Tuple.wrap(pageArgs), toItem);
    return Future.all(counted, items).map(v -> counted.result() > bound
        ? new Page<>(bound, false, items.result())
        : new Page<>(counted.result(), items.result()));
  }

  /**
   * The page's keys first, then its rows: the rows that OFFSET skips are read from the {@code c_time} index alone
   * (on MariaDB it holds the primary key) instead of each being fetched whole to be thrown away, 15,000 fetches at
   * page 1,000 of 15. The rows are ordered by the keys' own columns: ordered by the table's, MariaDB may choose to
   * walk the whole table in index order and look each row up in the page's keys (2 s at a million jobs).
   */
  static String pageQuery(String select, String table, String keysFrom, String where) {
    return select + " FROM " + table + " JOIN (SELECT id AS page_id, c_time AS page_time FROM " + keysFrom + " " + where
        + " " + NEWEST_FIRST + " LIMIT ? OFFSET ?) page ON id = page.page_id"
        + " ORDER BY page.page_time DESC, page.page_id DESC";
  }

  private static <T> Future<List<T>> items(Pool pool, String query, Tuple args, Function<Row, T> toItem) {
    return pool.preparedQuery(query).execute(args).map(rows -> {
      List<T> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(toItem.apply(r)));
      return out;
    });
  }
}
