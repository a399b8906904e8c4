package io.ruqi.store;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqliteTimesTest {
  private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");

  @Test
  void a_time_is_written_to_the_millisecond_in_one_width_and_read_back() {
    Random random = new Random(12);
    for (int i = 0; i < 10_000; i++) {
      LocalDateTime t = LocalDateTime.of(1 + random.nextInt(9999), 1 + random.nextInt(12), 1 + random.nextInt(28),
          random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000) * 1_000_000);
      String text = SqliteTimes.format(t);
      assertEquals(ISO_MILLIS.format(t), text);
      assertEquals(t, SqliteTimes.parse(text));
    }
    assertEquals("2026-12-05T01:02:00.000", SqliteTimes.format(LocalDateTime.of(2026, 12, 5, 1, 2)));
  }

  @Test
  void text_order_is_time_order() {
    List<LocalDateTime> times = new ArrayList<>(List.of(LocalDateTime.of(2026, 12, 5, 1, 2),
        LocalDateTime.of(2026, 12, 5, 1, 2, 0, 1_000_000), LocalDateTime.of(2026, 12, 5, 1, 2, 59, 999_000_000),
        LocalDateTime.of(999, 1, 1, 0, 0), LocalDateTime.of(2027, 1, 1, 0, 0)));
    List<String> texts = new ArrayList<>(times.stream().map(SqliteTimes::format).toList());
    times.sort(null);
    texts.sort(null);
    assertEquals(times.stream().map(SqliteTimes::format).toList(), texts);
  }

  @Test
  void the_sub_millisecond_part_is_cut_as_the_other_stores_keep_milliseconds() {
    assertEquals("2026-12-05T01:02:03.456", SqliteTimes.format(LocalDateTime.of(2026, 12, 5, 1, 2, 3, 456_789_123)));
  }

  @Test
  void other_iso_forms_are_read_too() {
    assertEquals(LocalDateTime.of(2026, 1, 1, 0, 0), SqliteTimes.parse("2026-01-01 00:00:00"));
    assertEquals(LocalDateTime.of(2026, 1, 1, 0, 0, 5), SqliteTimes.parse("2026-01-01T00:00:05"));
    assertThrows(RuntimeException.class, () -> SqliteTimes.parse("2026-01-01T00:00:0x.000"));
  }

  @Test
  void a_time_outside_the_four_digit_years_is_written_as_the_first_or_last_one() {
    assertEquals("9999-12-31T23:59:59.999", SqliteTimes.format(LocalDateTime.of(10000, 1, 1, 0, 0)));
    assertEquals("0000-01-01T00:00:00.000", SqliteTimes.format(LocalDateTime.of(-1, 12, 31, 23, 0)));
  }
}
