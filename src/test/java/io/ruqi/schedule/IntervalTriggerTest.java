package io.ruqi.schedule;

import static io.ruqi.schedule.CronTriggerTest.instants;
import static io.ruqi.schedule.CronTriggerTest.next;
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

class IntervalTriggerTest {

  private static final Instant ANCHOR = Instant.parse("2026-11-21T13:00:00Z");

  static Trigger interval(String rule, Instant anchor, Instant start, Instant end) {
    return Triggers.parse(new TriggerSpec("interval", rule, ZoneOffset.UTC, start, end), anchor);
  }

  static Trigger interval(String rule) {
    return interval(rule, ANCHOR, null, null);
  }

  @Test
  void firstRunIsOneIntervalAfterTheAnchor() {
    Trigger t = interval("10s");
    assertEquals("interval", t.type());
    assertEquals(instants("2026-11-21T13:00:10Z", "2026-11-21T13:00:20Z", "2026-11-21T13:00:30Z"),
        next(t, "2026-11-21T13:00:00Z", 3));
  }

  @ParameterizedTest
  @CsvSource({"10s, 10s", "5m, 300s", "1h, 3600s", "2d, 172800s", "1h30m, 5400s", "1d12h, 129600s", "90s, 90s",
      "'10 s', 10s", "2D, 172800s", "1d2h3m4s, 93784s", "007m, 420s", "3650d, 315360000s"})
  void ruleIsListedInWholeSeconds(String rule, String listed) {
    assertEquals(listed, interval(rule).rule());
  }

  @Test
  void gridKeepsTheAnchorsMilliseconds() {
    Trigger t = interval("10s", Instant.parse("2026-11-21T13:00:00.250Z"), null, null);
    assertEquals(instants("2026-11-21T13:00:10.250Z", "2026-11-21T13:00:20.250Z"), next(t, "2026-11-21T13:00:00.250Z", 2));
    // a late caller gets the next grid point, not "now + interval"
    assertEquals(Optional.of(Instant.parse("2026-11-21T13:00:20.250Z")), t.next(Instant.parse("2026-11-21T13:00:15Z")));
    // strictly after a grid point
    assertEquals(Optional.of(Instant.parse("2026-11-21T13:00:30.250Z")), t.next(Instant.parse("2026-11-21T13:00:20.250Z")));
  }

  @Test
  void pastStartDateIsTheGridOrigin() {
    Trigger t = interval("1h30m", ANCHOR, Instant.parse("2026-11-21T12:00:00Z"), null);
    assertEquals(instants("2026-11-21T13:30:00Z", "2026-11-21T15:00:00Z"), next(t, "2026-11-21T13:00:00Z", 2));
  }

  @Test
  void futureStartDateIsTheFirstRun() {
    Trigger t = interval("1d12h", ANCHOR, Instant.parse("2026-11-22T00:00:00Z"), null);
    assertEquals(instants("2026-11-22T00:00:00Z", "2026-11-23T12:00:00Z", "2026-11-25T00:00:00Z"),
        next(t, "2026-11-21T13:00:00Z", 3));
  }

  @Test
  void endDateIsInclusive() {
    Trigger t = interval("1h", ANCHOR, Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-22T02:00:00Z"));
    assertEquals(instants("2026-11-22T00:00:00Z", "2026-11-22T01:00:00Z", "2026-11-22T02:00:00Z"),
        next(t, "2026-11-21T13:00:00Z", 10));
  }

  @Test
  void dstDoesNotMoveTheGrid() {
    // 09:00 EDT on 2026-10-31; one day later the clocks have gone back, so it is 08:00 EST
    Trigger t = Triggers.parse(new TriggerSpec("interval", "1d", ZoneId.of("America/New_York"),
        Instant.parse("2026-10-31T13:00:00Z"), null), ANCHOR);
    assertEquals(instants("2026-11-21T13:00:00Z"), next(t, "2026-11-20T13:00:00Z", 1));
    assertEquals(Optional.of(Instant.parse("2026-11-01T13:00:00Z")), t.next(Instant.parse("2026-10-31T13:00:00Z")));
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "0s                   | at least 1 second",
      "0h0m                 | at least 1 second",
      "-5s                  | not a whole number followed by a unit",
      "1.5h                 | not a whole number followed by a unit",
      "s10                  | not a whole number followed by a unit",
      "10                   | has no unit",
      "10w                  | unknown unit",
      "10sec                | unknown unit",
      "30m1h                | largest first",
      "1h1h                 | largest first",
      "'1h 30m'             | not a whole number followed by a unit",
      "3651d                | maximum of 3650 days",
      "99999999999999999999d| maximum of 3650 days",
      "87600h1s             | maximum of 3650 days",
  })
  void invalidIntervalIsARuleError(String rule, String message) {
    RuleException e = assertThrows(RuleException.class, () -> interval(rule));
    assertEquals("rule", e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().contains(rule.trim()), "message names the value: " + e.getMessage());
  }
}
