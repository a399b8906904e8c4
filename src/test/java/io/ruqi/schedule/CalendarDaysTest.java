package io.ruqi.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The days a calendar lists, and a job's judgement by them: pure, so every edge is checked without a node. */
class CalendarDaysTest {
  static LocalDate d(String s) {
    return LocalDate.parse(s);
  }

  @Test
  void dates_ranges_and_every_year_days_are_listed_and_their_neighbours_are_not() {
    CalendarDays days = CalendarDays.parse(List.of("2026-12-25", "2026-12-30..2027-01-02", "--05-01"));
    assertTrue(days.lists(d("2026-12-25")));
    assertFalse(days.lists(d("2026-12-24")));
    assertFalse(days.lists(d("2026-12-26")));
    assertFalse(days.lists(d("2026-12-29")));
    assertTrue(days.lists(d("2026-12-30")));
    assertTrue(days.lists(d("2027-01-01")));
    assertTrue(days.lists(d("2027-01-02")));
    assertFalse(days.lists(d("2027-01-03")));
    assertTrue(days.lists(d("2031-05-01")));
    assertFalse(days.lists(d("1999-01-01")), "before every range");
    assertFalse(CalendarDays.NONE.lists(d("2026-12-25")));
  }

  @Test
  void overlapping_and_touching_ranges_are_merged_and_entries_kept_sorted_once() {
    CalendarDays days = CalendarDays.parse(List.of("2026-01-10..2026-01-20", "2026-01-05..2026-01-12",
        "2026-01-21", "2026-01-15", " 2026-01-15 "));
    for (LocalDate day = d("2026-01-05"); !day.isAfter(d("2026-01-21")); day = day.plusDays(1)) {
      assertTrue(days.lists(day), day.toString());
    }
    assertFalse(days.lists(d("2026-01-04")));
    assertFalse(days.lists(d("2026-01-22")));
    assertEquals(List.of("2026-01-05..2026-01-12", "2026-01-10..2026-01-20", "2026-01-15", "2026-01-21"),
        days.entries());
  }

  @Test
  void february_29_of_every_year_is_listed_in_leap_years_only() {
    CalendarDays days = CalendarDays.parse(List.of("--02-29"));
    assertTrue(days.lists(d("2028-02-29")));
    assertFalse(days.lists(d("2027-02-28")));
    assertFalse(days.lists(d("2027-03-01")));
  }

  @Test
  void bad_entries_are_refused_saying_which() {
    assertEquals("'2026-02-30': 2026-02-30 is no date", refused("2026-02-30"));
    assertEquals("'2026-12-26..2026-12-24': the range ends before it starts", refused("2026-12-26..2026-12-24"));
    assertTrue(refused("--13-01").contains("no day of the year"));
    assertTrue(refused("2026-1-1").contains("is not a day"));
    assertTrue(refused("").contains("is not a day"));
    assertTrue(refused("2026-12-25..").contains("is not a day"));
    assertTrue(assertThrows(RuleException.class, () -> CalendarDays.parse(List.of(7))).getMessage()
        .contains("each entry of days is a text"));
    List<String> many = java.util.stream.IntStream.range(0, CalendarDays.MAX_ENTRIES + 1)
        .mapToObj(i -> d("2026-01-01").plusDays(i).toString()).toList();
    assertTrue(assertThrows(RuleException.class, () -> CalendarDays.parse(many)).getMessage()
        .contains("at most 1000 entries"));
    assertEquals(CalendarDays.MAX_ENTRIES, CalendarDays.parse(many.subList(0, CalendarDays.MAX_ENTRIES))
        .entries().size());
  }

  static String refused(String entry) {
    return assertThrows(RuleException.class, () -> CalendarDays.parse(List.of(entry))).getMessage();
  }

  @Test
  void a_fire_is_judged_by_its_date_in_the_jobs_zone() {
    CalendarDays listed = CalendarDays.parse(List.of("2026-12-25"));
    Instant lateOn24thUtc = Instant.parse("2026-12-24T23:30:00Z"); // 07:30 on the 25th in Shanghai
    CalendarRule skip = new CalendarRule("holidays", false);
    assertEquals("not run: calendar holidays (skip) lists 2026-12-25",
        skip.rulesOut(lateOn24thUtc, ZoneId.of("Asia/Shanghai"), listed));
    assertNull(skip.rulesOut(lateOn24thUtc, ZoneId.of("UTC"), listed));
    CalendarRule only = new CalendarRule("holidays", true);
    assertNull(only.rulesOut(lateOn24thUtc, ZoneId.of("Asia/Shanghai"), listed));
    assertEquals("not run: calendar holidays (only) does not list 2026-12-24",
        only.rulesOut(lateOn24thUtc, ZoneId.of("UTC"), listed));
    assertNull(skip.rulesOut(lateOn24thUtc, ZoneId.of("UTC"), null), "a missing calendar lists no day");
    assertTrue(only.rulesOut(lateOn24thUtc, ZoneId.of("UTC"), null).contains("which does not exist"));
  }
}
