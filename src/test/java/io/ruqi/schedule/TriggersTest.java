package io.ruqi.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TriggersTest {

  private static final Instant ANCHOR = Instant.parse("2026-11-21T13:00:00Z");

  @Test
  void unknownTypeListsTheKnownOnes() {
    RuleException e = assertThrows(RuleException.class,
        () -> Triggers.parse(new TriggerSpec("weekly", "1d", ZoneOffset.UTC), ANCHOR));
    assertEquals("job_trigger", e.field());
    assertTrue(e.getMessage().contains("weekly") && e.getMessage().contains("cron")
        && e.getMessage().contains("interval") && e.getMessage().contains("date"), e.getMessage());
    assertEquals("job_trigger", assertThrows(RuleException.class,
        () -> Triggers.parse(new TriggerSpec(null, "1d", ZoneOffset.UTC), ANCHOR)).field());
  }

  @ParameterizedTest
  @ValueSource(strings = {"cron", "interval", "date"})
  void blankRuleIsARuleError(String type) {
    for (String blank : new String[] {null, "", "  "}) {
      RuleException e = assertThrows(RuleException.class, () -> Triggers.parse(new TriggerSpec(type, blank, ZoneOffset.UTC), ANCHOR));
      assertEquals("rule", e.field());
    }
  }

  @Test
  void endBeforeStartIsRejected() {
    RuleException e = assertThrows(RuleException.class, () -> Triggers.parse(new TriggerSpec("interval", "1h", ZoneOffset.UTC,
        Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")), ANCHOR));
    assertEquals("end_date", e.field());
    assertEquals("end_date 2026-12-01 00:00:00 is before start_date 2026-12-02 00:00:00", e.getMessage());
  }

  @Test
  void typeIsCaseInsensitiveAndZoneDefaultsToUtc() {
    Trigger t = Triggers.parse(new TriggerSpec("CRON", "0 0 9 * * *", null), ANCHOR);
    assertEquals("cron", t.type());
    assertEquals(ZoneOffset.UTC, t.zone());
    assertEquals(List.of(Instant.parse("2026-11-22T09:00:00Z")), Triggers.nextTimes(t, ANCHOR, 1));
  }

  @Test
  void nextTimesStopsWhenTheTriggerDoes() {
    Trigger t = Triggers.parse(new TriggerSpec("interval", "1h", ZoneOffset.UTC, null, Instant.parse("2026-11-21T15:30:00Z")), ANCHOR);
    assertEquals(List.of(Instant.parse("2026-11-21T14:00:00Z"), Instant.parse("2026-11-21T15:00:00Z")),
        Triggers.nextTimes(t, ANCHOR, 5));
    assertEquals(List.of(), Triggers.nextTimes(t, ANCHOR, 0));
  }
}
