package io.ruqi.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DateTriggerTest {

  private static final Instant ANCHOR = Instant.parse("2026-11-21T13:00:01.234Z");
  private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");

  static Trigger date(String rule, ZoneId zone) {
    return Triggers.parse(new TriggerSpec("date", rule, zone), ANCHOR);
  }

  @ParameterizedTest(name = "[{0}] in {1}")
  @CsvSource(delimiter = '|', value = {
      "2026-12-01                 | UTC              | 2026-12-01T00:00:00Z     | 2026-12-01 00:00:00",
      "2026-12-01 08:00:00        | UTC              | 2026-12-01T08:00:00Z     | 2026-12-01 08:00:00",
      "2026-12-01 08:00:00        | Asia/Shanghai    | 2026-12-01T00:00:00Z     | 2026-12-01 08:00:00",
      "2026-12-01T08:00:00        | UTC              | 2026-12-01T08:00:00Z     | 2026-12-01 08:00:00",
      "2021-1-7 9:05:00           | UTC              | 2021-01-07T09:05:00Z     | 2021-01-07 09:05:00",
      "2026-12-01 08:00:00.5      | UTC              | 2026-12-01T08:00:00.500Z | 2026-12-01 08:00:00.500",
      "2026-12-01 08:00:00.123456 | UTC              | 2026-12-01T08:00:00.123Z | 2026-12-01 08:00:00.123",
      "' 2026-12-01 08:00:00 '    | UTC              | 2026-12-01T08:00:00Z     | 2026-12-01 08:00:00",
      // skipped hour: 02:30 shifts forward by the gap to 03:30 EDT
      "2026-03-08 02:30:00        | America/New_York | 2026-03-08T07:30:00Z     | 2026-03-08 03:30:00",
      // repeated hour: the earlier (EDT) offset
      "2026-11-01 01:30:00        | America/New_York | 2026-11-01T05:30:00Z     | 2026-11-01 01:30:00",
  })
  void dateForms(String rule, String zone, String instant, String listed) {
    Trigger t = date(rule, ZoneId.of(zone));
    assertEquals("date", t.type());
    assertEquals(Optional.of(Instant.parse(instant)), t.next(LONG_AGO));
    assertEquals(listed, t.rule());
  }

  @Test
  void nowIsTheAnchor() {
    Trigger t = date("now", ZoneOffset.UTC);
    assertEquals("2026-11-21 13:00:01.234", t.rule());
    assertEquals(Optional.of(ANCHOR), t.next(ANCHOR.minusMillis(1)));
    assertEquals("2026-11-21 21:00:01.234", date("NOW", ZoneId.of("Asia/Shanghai")).rule());
  }

  @Test
  void firesOnceStrictlyAfter() {
    Trigger t = date("2026-12-01 08:00:00", ZoneOffset.UTC);
    Instant at = Instant.parse("2026-12-01T08:00:00Z");
    assertEquals(Optional.of(at), t.next(at.minusNanos(1)));
    assertEquals(Optional.empty(), t.next(at));
    assertEquals(CronTriggerTest.instants("2026-12-01T08:00:00Z"), Triggers.nextTimes(t, ANCHOR, 5));
  }

  @Test
  void pastDateIsAcceptedButNeverFires() {
    Trigger t = date("2020-01-01 00:00:00", ZoneOffset.UTC);
    assertEquals(Optional.empty(), t.next(ANCHOR));
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "2021-02-30                   | day 30 is not in February 2021",
      "2023-02-29                   | day 29 is not in February 2023",
      "2021-13-01                   | month 13 is not 1-12",
      "2021-00-10                   | month 0 is not 1-12",
      "2021-01-01 25:00:00          | hour 25 is not 0-23",
      "2021-01-01 10:61:00          | minute 61 is not 0-59",
      "2021-01-01 10:00:60          | second 60 is not 0-59",
      "2021-01-01 10:00:00 garbage  | is not a date",
      "2021-01-01garbage            | is not a date",
      "2021/01/01                   | is not a date",
      "2021-01-01 10:00             | is not a date",
      "2021-01-01 10:00:00.1234567  | is not a date",
      "tomorrow                     | is not a date",
  })
  void invalidDateIsARuleError(String rule, String message) {
    RuleException e = assertThrows(RuleException.class, () -> date(rule, ZoneOffset.UTC));
    assertEquals("rule", e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().contains(rule), "message names the value: " + e.getMessage());
  }
}
