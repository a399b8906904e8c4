package io.ruqi.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimeFormatsTest {

  @Test
  void parsesInTheGivenZone() {
    assertEquals(Instant.parse("2026-12-01T00:00:00Z"),
        TimeFormats.parseDateTime("2026-12-01 08:00:00", ZoneId.of("Asia/Shanghai"), "start_date"));
  }

  @Test
  void errorsCarryTheCallersField() {
    RuleException e = assertThrows(RuleException.class,
        () -> TimeFormats.parseDateTime("2026-02-30", ZoneOffset.UTC, "end_date"));
    assertEquals("end_date", e.field());
    assertEquals("end_date '2026-02-30': day 30 is not in February 2026", e.getMessage());
    assertEquals("start_date", assertThrows(RuleException.class,
        () -> TimeFormats.parseDateTime("now", ZoneOffset.UTC, "start_date")).field());
    assertEquals("start_date", assertThrows(RuleException.class,
        () -> TimeFormats.parseDateTime(" ", ZoneOffset.UTC, "start_date")).field());
  }

  @Test
  void formatIsRuqisJsonDatetimeWithoutSubSeconds() {
    assertEquals("2026-11-21 21:00:01", TimeFormats.format(Instant.parse("2026-11-21T13:00:01.999Z"), ZoneId.of("Asia/Shanghai")));
    assertEquals("2026-11-21 13:00:01", TimeFormats.format(Instant.parse("2026-11-21T13:00:01Z"), ZoneOffset.UTC));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Asia/Shanghai", "America/New_York", "UTC", "Z", "+08:00", "-05:30"})
  void acceptsIanaNamesAndOffsets(String name) {
    assertEquals(ZoneId.of(name), TimeFormats.zone(name, "timezone"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Mars/Olympus", "PST", "+25:00", "", "Asia/"})
  void rejectsUnknownZones(String name) {
    RuleException e = assertThrows(RuleException.class, () -> TimeFormats.zone(name, "timezone"));
    assertEquals("timezone", e.field());
    assertEquals(name.isEmpty() ? "unknown time zone: (empty)" : "unknown time zone: " + name, e.getMessage());
  }
}
