package io.ruqi.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IN lists of a few lengths on MySQL, as they are elsewhere; long statements kept prepared only as shapes. */
class InListsTest {
  @Test
  void on_mysql_a_list_grows_to_the_next_of_a_few_lengths_by_at_most_half() {
    assertEquals(List.of(1, 2, 3, 4, 6, 6, 8, 8, 12), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9).stream()
        .map(n -> InLists.length(Dialect.MYSQL, n)).toList());
    assertEquals(16, InLists.length(Dialect.MYSQL, 13));
    assertEquals(24, InLists.length(Dialect.MYSQL, 17));
    assertEquals(384, InLists.length(Dialect.MYSQL, 257));
    assertEquals(512, InLists.length(Dialect.MYSQL, 500));
    assertEquals(512, InLists.length(Dialect.MYSQL, 512));
    assertEquals(513, InLists.length(Dialect.MYSQL, 513), "longer than any batch: as it is");
    for (int n = 5; n <= 512; n++) {
      int length = InLists.length(Dialect.MYSQL, n);
      assertTrue(length >= n && length <= n * 3 / 2, n + " -> " + length);
    }
    long lengths = java.util.stream.IntStream.rangeClosed(1, 512).map(n -> InLists.length(Dialect.MYSQL, n))
        .distinct().count();
    assertEquals(18, lengths, "the shapes of one statement");
  }

  @Test
  void a_padded_list_repeats_its_last_value_and_other_stores_get_theirs_as_it_is() {
    List<String> five = List.of("a", "b", "c", "d", "e");
    assertEquals(List.of("a", "b", "c", "d", "e", "e"), InLists.padded(Dialect.MYSQL, five));
    assertEquals(five, InLists.padded(Dialect.SQLITE, five));
    assertEquals(five, InLists.padded(Dialect.H2, five));
    assertEquals("?, ?, ?", InLists.marks(3));
  }

  @Test
  void a_long_statement_is_kept_prepared_only_as_a_padded_shape() {
    String longList = "SELECT id FROM ruqi_jobs WHERE id IN (" + InLists.marks(700) + ") AND 1 = 1";
    assertTrue(longList.length() > 2048);
    assertFalse(InLists.keptPrepared(longList), "a list of any length would hold the server's memory");
    assertTrue(InLists.keptPrepared("SELECT 1"), "short ones as the client keeps them");
    assertEquals(longList, InLists.shape(Dialect.SQLITE, 700, longList));
    assertEquals(longList, InLists.shape(Dialect.MYSQL, 700, longList));
    assertFalse(InLists.keptPrepared(longList), "a list too long to be padded is no shape");
    int length = InLists.length(Dialect.MYSQL, 300);
    // a table of its own: the shapes are kept for the JVM, and a test before this one may have made the store's
    String padded = "DELETE FROM in_lists_test WHERE job_id IN (" + InLists.marks(length) + ") AND (job_id, fire_time)"
        + " IN " + Dialect.MYSQL.rowValues(length, 2);
    assertTrue(padded.length() > 2048);
    assertEquals(padded, InLists.shape(Dialect.SQLITE, 300, padded));
    assertFalse(InLists.keptPrepared(padded), "nor a statement of a store that pads nothing");
    assertEquals(padded, InLists.shape(Dialect.MYSQL, 300, padded));
    assertTrue(InLists.keptPrepared(padded));
  }
}
