package io.ruqi.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronTriggerTest {

  /** A Saturday. */
  private static final Instant ANCHOR = Instant.parse("2026-11-21T13:00:00Z");

  static Trigger cron(String rule, ZoneId zone) {
    return Triggers.parse(new TriggerSpec("cron", rule, zone), ANCHOR);
  }

  static Trigger cron(String rule) {
    return cron(rule, ZoneOffset.UTC);
  }

  static List<Instant> instants(String... isoInstants) {
    return Arrays.stream(isoInstants).map(Instant::parse).toList();
  }

  static List<Instant> next(Trigger t, String from, int count) {
    return Triggers.nextTimes(t, Instant.parse(from), count);
  }

  @Test
  void everyTenSecondsCrossesTheMinute() {
    assertEquals(instants("2026-11-21T13:00:40Z", "2026-11-21T13:00:50Z", "2026-11-21T13:01:00Z", "2026-11-21T13:01:10Z"),
        next(cron("*/10 * * * * *"), "2026-11-21T13:00:35Z", 4));
  }

  @Test
  void dailyAtTwentyPastTwo() {
    Trigger t = cron("0 20 2 * * *");
    assertEquals("0 20 2 * * *", t.rule());
    assertEquals("cron", t.type());
    assertEquals(instants("2026-11-22T02:20:00Z", "2026-11-23T02:20:00Z", "2026-11-24T02:20:00Z"),
        next(t, "2026-11-21T13:00:00Z", 3));
  }

  @Test
  void nextIsStrictlyAfterAndWholeSeconds() {
    Trigger t = cron("0 20 2 * * *");
    assertEquals(Optional.of(Instant.parse("2026-11-23T02:20:00Z")), t.next(Instant.parse("2026-11-22T02:20:00Z")));
    assertEquals(Optional.of(Instant.parse("2026-11-22T02:20:00Z")), t.next(Instant.parse("2026-11-22T02:19:59.999Z")));
    assertEquals(Optional.of(Instant.parse("2026-11-23T02:20:00Z")), t.next(Instant.parse("2026-11-22T02:20:00.001Z")));
  }

  @Test
  void weekdayNumbersStartAtMonday() {
    assertEquals(instants("2026-11-23T09:00:00Z", "2026-11-30T09:00:00Z"), next(cron("0 0 9 * * 0"), "2026-11-21T13:00:00Z", 2));
    assertEquals(instants("2026-11-22T09:00:00Z"), next(cron("0 0 9 * * 6"), "2026-11-21T13:00:00Z", 1));
  }

  @Test
  void weekdayNamesMeanWhatTheySay() {
    assertEquals(instants("2026-11-22T09:00:00Z"), next(cron("0 0 9 * * sun"), "2026-11-21T13:00:00Z", 1));
    assertEquals(instants("2026-11-23T09:00:00Z"), next(cron("0 0 9 * * MON"), "2026-11-21T13:00:00Z", 1));
    assertEquals(instants("2026-11-23T09:00:00Z", "2026-11-24T09:00:00Z", "2026-11-25T09:00:00Z", "2026-11-26T09:00:00Z",
        "2026-11-27T09:00:00Z", "2026-11-30T09:00:00Z"), next(cron("0 0 9 * * mon-fri"), "2026-11-21T13:00:00Z", 6));
  }

  @Test
  void lastDayOfMonth() {
    assertEquals(instants("2026-11-30T09:00:00Z", "2026-12-31T09:00:00Z", "2027-01-31T09:00:00Z", "2027-02-28T09:00:00Z"),
        next(cron("0 0 9 L * *"), "2026-11-21T13:00:00Z", 4));
  }

  @Test
  void nearestWeekday() {
    // 2026-11-15 is a Sunday, so 15W moves to Monday the 16th
    assertEquals(instants("2026-11-16T09:00:00Z", "2026-12-15T09:00:00Z"), next(cron("0 0 9 15W * *"), "2026-11-01T00:00:00Z", 2));
    // 2027-01-31 is a Sunday: the last weekday of January 2027 is Friday the 29th
    assertEquals(instants("2026-11-30T09:00:00Z", "2026-12-31T09:00:00Z", "2027-01-29T09:00:00Z"),
        next(cron("0 0 9 LW * *"), "2026-11-21T13:00:00Z", 3));
  }

  @Test
  void nthAndLastWeekdayOfMonth() {
    List<Instant> secondFriday = instants("2026-12-11T09:00:00Z", "2027-01-08T09:00:00Z");
    assertEquals(secondFriday, next(cron("0 0 9 ? * fri#2"), "2026-11-21T13:00:00Z", 2));
    assertEquals(secondFriday, next(cron("0 0 9 * * 4#2"), "2026-11-21T13:00:00Z", 2));
    // 5 is Saturday in RuQi's numbering
    assertEquals(instants("2026-11-28T09:00:00Z", "2026-12-26T09:00:00Z"), next(cron("0 0 9 * * 5L"), "2026-11-21T13:00:00Z", 2));
    assertEquals(instants("2026-11-27T09:00:00Z", "2026-12-25T09:00:00Z"), next(cron("0 0 9 * * friL"), "2026-11-21T13:00:00Z", 2));
  }

  @Test
  void questionMarkMeansAnyDay() {
    assertEquals(instants("2026-11-23T09:00:00Z"), next(cron("0 0 9 ? * mon"), "2026-11-21T13:00:00Z", 1));
    assertEquals(instants("2026-12-01T09:00:00Z"), next(cron("0 0 9 1 * ?"), "2026-11-21T13:00:00Z", 1));
  }

  @Test
  void monthNames() {
    assertEquals(instants("2027-01-01T09:00:00Z", "2027-02-01T09:00:00Z", "2027-03-01T09:00:00Z", "2028-01-01T09:00:00Z"),
        next(cron("0 0 9 1 jan-mar *"), "2026-11-21T13:00:00Z", 4));
    assertEquals(instants("2027-01-01T09:00:00Z", "2027-03-01T09:00:00Z"), next(cron("0 0 9 1 JAN,Mar *"), "2026-11-21T13:00:00Z", 2));
  }

  @Test
  void listsRangesAndSteps() {
    assertEquals(instants("2026-11-22T08:05:00Z", "2026-11-22T08:35:00Z", "2026-11-22T10:05:00Z", "2026-11-22T10:35:00Z",
        "2026-11-23T08:05:00Z"), next(cron("0 5,35 8-10/2 * * *"), "2026-11-21T13:00:00Z", 5));
    assertEquals(instants("2026-11-21T13:00:15Z", "2026-11-21T13:00:45Z", "2026-11-21T13:01:15Z"),
        next(cron("15-59/30 * * * * *"), "2026-11-21T13:00:00Z", 3));
  }

  @Test
  void dayAndWeekdayMustBothMatch() {
    // the next Friday the 13th after 2026-11-21 is in August 2027, not the next 13th nor the next Friday
    assertEquals(instants("2027-08-13T09:00:00Z"), next(cron("0 0 9 13 * fri"), "2026-11-21T13:00:00Z", 1));
  }

  @Test
  void startAndEndDatesAreInclusiveBounds() {
    Trigger t = Triggers.parse(new TriggerSpec("cron", "0 0 9 * * *", ZoneOffset.UTC,
        Instant.parse("2026-12-01T09:00:00Z"), Instant.parse("2026-12-03T09:00:00Z")), ANCHOR);
    assertEquals(instants("2026-12-01T09:00:00Z", "2026-12-02T09:00:00Z", "2026-12-03T09:00:00Z"),
        next(t, "2026-11-21T13:00:00Z", 10));
    assertEquals(Optional.empty(), t.next(Instant.parse("2026-12-03T09:00:00Z")));
  }

  @Test
  void sameRuleInDifferentZones() {
    assertEquals(instants("2026-11-22T01:00:00Z"), next(cron("0 0 9 * * *", ZoneId.of("Asia/Shanghai")), "2026-11-21T13:00:00Z", 1));
    assertEquals(instants("2026-11-22T09:00:00Z"), next(cron("0 0 9 * * *", ZoneOffset.UTC), "2026-11-21T13:00:00Z", 1));
    // 09:00 Monday in Shanghai is still Sunday in UTC
    assertEquals(instants("2026-11-23T01:00:00Z"), next(cron("0 0 9 * * mon", ZoneId.of("Asia/Shanghai")), "2026-11-21T13:00:00Z", 1));
  }

  @Test
  void ruleIsNormalised() {
    assertEquals("0 20 2 * * *", cron("  0  20 2\t* *  *  ").rule());
    assertEquals("0 0 9 * jan-mar mon-fri", cron("0 0 9 * JAN-mar Mon-FRI").rule());
    assertEquals("0 0 9 LW * *", cron("0 0 9 lw * *").rule());
    assertEquals("0 0 9 ? * friL", cron("0 0 9 ? * FRIl").rule());
    assertEquals("*/3 */4 * * * *", cron("*/3 */4 * * * *").rule());
  }

  @ParameterizedTest(name = "[{0}] is listed [{1}]")
  @CsvSource(delimiter = '|', value = {
      "05 05 05 * * *        | 5 5 5 * * *",
      "00 */05 * * * *       | 0 */5 * * * *",
      "0 0 9 5-5 * *         | 0 0 9 5 * *",
      "0 0 9 5-5/2 * *       | 0 0 9 5 * *",
      "0 0 9 * * MON-MON     | 0 0 9 * * mon",
      "0 0 9 01,015 * *      | 0 0 9 1,15 * *",
      "0 0 9 LAST * *        | 0 0 9 last * *",
      "0 0 9 Last  Fri * *   | 0 0 9 last fri * *",
      "0 0 9 2ND fri * *     | 0 0 9 2nd fri * *",
  })
  void numbersAndApschedulerDayExpressionsAreListedAsRuqiListedThem(String rule, String listed) {
    Trigger t = cron(rule);
    assertEquals(listed, t.rule());
    assertEquals(listed, cron(t.rule()).rule(), "the listing is stored and read again: it means the same");
    assertEquals(next(t, "2026-11-21T13:00:00Z", 5), next(cron(t.rule()), "2026-11-21T13:00:00Z", 5));
  }

  @Test
  void apschedulersLastIsTheLastDayOfTheMonth() {
    assertEquals(next(cron("0 0 9 L * *"), "2026-11-21T13:00:00Z", 4), next(cron("0 0 9 last * *"), "2026-11-21T13:00:00Z", 4));
  }

  @Test
  void apschedulersWeekdayPositionsAreQuartzsHashAndL() {
    // second Fridays; the last Friday; 2026-11-21 is a Saturday
    assertEquals(instants("2026-12-11T09:00:00Z", "2027-01-08T09:00:00Z"), next(cron("0 0 9 2nd fri * *"), "2026-11-21T13:00:00Z", 2));
    assertEquals(instants("2026-11-27T09:00:00Z", "2026-12-25T09:00:00Z"), next(cron("0 0 9 last fri * *"), "2026-11-21T13:00:00Z", 2));
    // a 5th Sunday exists in some months only: November 2026 has 29 Nov, then January 2027 (31 Jan)
    assertEquals(instants("2026-11-29T09:00:00Z", "2027-01-31T09:00:00Z"), next(cron("0 0 9 5th sun * *"), "2026-11-21T13:00:00Z", 2));
    assertEquals(next(cron("0 0 9 ? * 0#1"), "2026-11-21T13:00:00Z", 3), next(cron("0 0 9 1st mon * ?"), "2026-11-21T13:00:00Z", 3));
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', value = {
      "0 0 9 2nd fri * mon      | cannot go with a day_of_week",
      "0 0 9 last fri,15 * *    | cron needs 6 fields",
      "0 0 9 2nd funday * *     | cron needs 6 fields",
      "0 0 9 6th fri * *        | cron needs 6 fields",
  })
  void weekdayPositionsCronUtilsCannotExpressAreRefusedSayingWhy(String rule, String message) {
    RuleException e = assertThrows(RuleException.class, () -> cron(rule));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  // --- DST, America/New_York: spring forward 2026-03-08 02:00 EST -> 03:00 EDT, fall back 2026-11-01 02:00 EDT -> 01:00 EST

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** Every fire in [from, to). */
  static List<Instant> firesBetween(String rule, String from, String to) {
    Trigger t = cron(rule, NEW_YORK);
    Instant end = Instant.parse(to);
    List<Instant> fires = new ArrayList<>();
    Optional<Instant> next = t.next(Instant.parse(from).minusNanos(1));
    while (next.isPresent() && next.get().isBefore(end)) {
      fires.add(next.get());
      next = t.next(next.get());
    }
    return fires;
  }

  // local day 2026-03-08 runs from 05:00Z (00:00 EST) to 04:00Z next day (00:00 EDT)
  private static final String SPRING_DAY = "2026-03-08T05:00:00Z";
  private static final String SPRING_NEXT_DAY = "2026-03-09T04:00:00Z";
  // local day 2026-11-01 runs from 04:00Z (00:00 EDT) to 05:00Z next day (00:00 EST)
  private static final String FALL_DAY = "2026-11-01T04:00:00Z";
  private static final String FALL_NEXT_DAY = "2026-11-02T05:00:00Z";

  @Test
  void springForwardSkippedTimeFiresShiftedByTheGap() {
    // 02:30 does not exist: fires at 03:30 EDT
    assertEquals(instants("2026-03-08T07:30:00Z"), firesBetween("0 30 2 * * *", SPRING_DAY, SPRING_NEXT_DAY));
    // ... and the day after, back to 02:30 EDT
    assertEquals(instants("2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"),
        next(cron("0 30 2 * * *", NEW_YORK), "2026-03-07T12:00:00Z", 2));
  }

  @Test
  void springForwardShiftedTimeThatAlsoMatchesFiresOnce() {
    assertEquals(instants("2026-03-08T07:30:00Z"), firesBetween("0 30 2,3 * * *", SPRING_DAY, SPRING_NEXT_DAY));
  }

  @Test
  void springForwardTimeBeforeTheGapIsUntouched() {
    assertEquals(instants("2026-03-08T06:30:00Z"), firesBetween("0 30 1 * * *", SPRING_DAY, SPRING_NEXT_DAY));
  }

  @Test
  void springForwardHourlyHasTwentyThreeFires() {
    assertEquals(instants(
        "2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z", // 00:00, 01:00 EST
        "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z", "2026-03-08T09:00:00Z", "2026-03-08T10:00:00Z", // 03:00 EDT ...
        "2026-03-08T11:00:00Z", "2026-03-08T12:00:00Z", "2026-03-08T13:00:00Z", "2026-03-08T14:00:00Z",
        "2026-03-08T15:00:00Z", "2026-03-08T16:00:00Z", "2026-03-08T17:00:00Z", "2026-03-08T18:00:00Z",
        "2026-03-08T19:00:00Z", "2026-03-08T20:00:00Z", "2026-03-08T21:00:00Z", "2026-03-08T22:00:00Z",
        "2026-03-08T23:00:00Z", "2026-03-09T00:00:00Z", "2026-03-09T01:00:00Z", "2026-03-09T02:00:00Z",
        "2026-03-09T03:00:00Z"), // 23:00 EDT
        firesBetween("0 0 * * * *", SPRING_DAY, SPRING_NEXT_DAY));
  }

  @Test
  void springForwardHalfHourlyAroundTheGap() {
    assertEquals(instants("2026-03-08T06:00:00Z", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z",
        "2026-03-08T08:00:00Z"), firesBetween("0 */30 * * * *", "2026-03-08T06:00:00Z", "2026-03-08T08:01:00Z"));
  }

  @Test
  void fallBackFixedHourFiresOnFirstPassOnly() {
    // 01:30 EDT = 05:30Z; 01:30 EST (06:30Z) does not fire
    assertEquals(instants("2026-11-01T05:30:00Z"), firesBetween("0 30 1 * * *", FALL_DAY, FALL_NEXT_DAY));
    // two fires inside the repeated hour, still first pass only (cron-utils alone fires these twice)
    assertEquals(instants("2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z"), firesBetween("0 0,30 1 * * *", FALL_DAY, FALL_NEXT_DAY));
  }

  @Test
  void fallBackTimeAfterTheRepeatedHourIsUntouched() {
    // 02:30 EST
    assertEquals(instants("2026-11-01T07:30:00Z"), firesBetween("0 30 2 * * *", FALL_DAY, FALL_NEXT_DAY));
  }

  @Test
  void fallBackEveryHourRuleFiresInBothPasses() {
    assertEquals(instants(
        "2026-11-01T04:00:00Z", // 00:00 EDT
        "2026-11-01T05:00:00Z", // 01:00 EDT
        "2026-11-01T06:00:00Z", // 01:00 EST
        "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z", "2026-11-01T10:00:00Z",
        "2026-11-01T11:00:00Z", "2026-11-01T12:00:00Z", "2026-11-01T13:00:00Z", "2026-11-01T14:00:00Z",
        "2026-11-01T15:00:00Z", "2026-11-01T16:00:00Z", "2026-11-01T17:00:00Z", "2026-11-01T18:00:00Z",
        "2026-11-01T19:00:00Z", "2026-11-01T20:00:00Z", "2026-11-01T21:00:00Z", "2026-11-01T22:00:00Z",
        "2026-11-01T23:00:00Z", "2026-11-02T00:00:00Z", "2026-11-02T01:00:00Z", "2026-11-02T02:00:00Z",
        "2026-11-02T03:00:00Z", "2026-11-02T04:00:00Z"), // 23:00 EST
        firesBetween("0 0 * * * *", FALL_DAY, FALL_NEXT_DAY));
  }

  @Test
  void fallBackQuarterHourlyFollowsRealTime() {
    assertEquals(instants(
        "2026-11-01T05:00:00Z", "2026-11-01T05:15:00Z", "2026-11-01T05:30:00Z", "2026-11-01T05:45:00Z", // 01:xx EDT
        "2026-11-01T06:00:00Z", "2026-11-01T06:15:00Z", "2026-11-01T06:30:00Z", "2026-11-01T06:45:00Z", // 01:xx EST
        "2026-11-01T07:00:00Z"), // 02:00 EST
        firesBetween("0 */15 * * * *", "2026-11-01T05:00:00Z", "2026-11-01T07:00:01Z"));
  }

  @Test
  void nextFromInsideTheSecondPassSkipsToTheNextDay() {
    assertEquals(Optional.of(Instant.parse("2026-11-02T06:30:00Z")),
        cron("0 30 1 * * *", NEW_YORK).next(Instant.parse("2026-11-01T06:10:00Z")));
  }

  @Test
  void fireTimesAlwaysIncreaseThroughAYearOfTransitions() {
    for (String rule : List.of("0 0 * * * *", "0 30 2 * * *", "0 30 1 * * *", "0 */20 1-3 * * *", "30 59 1 * * *")) {
      Trigger t = cron(rule, NEW_YORK);
      Instant after = Instant.parse("2026-01-01T00:00:00Z");
      Instant stop = Instant.parse("2027-01-01T00:00:00Z");
      while (after.isBefore(stop)) {
        Instant fire = t.next(after).orElseThrow();
        assertTrue(fire.isAfter(after), rule + ": " + fire + " after " + after);
        after = fire;
      }
    }
  }

  /** Rules that fire once in years or decades; the last two only on Feb 29 of a given weekday. */
  private static final List<String> RARE = List.of("0 30 2 29 2 *", "0 0 2 L 3 6", "59 59 23 31 12 6#5",
      "0 0 0 29 2 6L", "0 30 2 29 2 sun");

  @Test
  void aRareRuleCostsAFewSearchesPerFireNotTwoPerYear() {
    // Seen live: one job_next_times of 0 0 0 29 2 6L in a DST zone held the event loop for seconds, because every
    // offset period (two a year, for centuries) cost a cron-utils search that itself scanned years ahead.
    for (String rule : RARE) {
      for (ZoneId zone : List.of(NEW_YORK, ZoneId.of("Europe/Berlin"), ZoneId.of("Australia/Lord_Howe"))) {
        CronTrigger t = CronTrigger.parse(rule, zone, ANCHOR, null, null);
        long before = t.searches();
        List<Instant> times = Triggers.nextTimes(t, ANCHOR, 20);
        assertEquals(20, times.size(), rule + " in " + zone);
        long searches = t.searches() - before;
        // a handful per fire (a fire in a DST gap costs five), however many years lie between fires
        assertTrue(searches <= 5 * 20, rule + " in " + zone + ": " + searches + " cron-utils searches for 20 fires");
      }
    }
  }

  @Test
  void skippingQuietPeriodsFindsWhatWalkingEveryPeriodFinds() {
    List<String> rules = List.of("0 30 2 * * *", "0 30 1 * * *", "0 0 * * * *", "0 */20 1-3 * * *",
        "0 0 0 * * sun", "0 15 2 8-14 3 sun", "0 30 1 * 11 sun#1", "0 0 2 L 3 *", "0 30 2 * 3 6L",
        "0 0 0 13 * fri", "0 0 12 1 1 *");
    List<ZoneId> zones = Stream.of("America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago",
        "Pacific/Apia", "Antarctica/Troll", "Asia/Tehran", "America/St_Johns", "UTC").map(ZoneId::of).toList();
    for (ZoneId zone : zones) {
      List<Instant> starts = startsAroundTransitions(zone);
      for (Instant from : starts) {
        for (String rule : rules) {
          assertSameFires(rule, zone, from, 12);
        }
      }
      // the plain walk is what is slow for these: a few starts each
      for (Instant from : starts.subList(0, Math.min(starts.size(), 3))) {
        for (String rule : RARE) {
          assertSameFires(rule, zone, from, 2);
        }
      }
    }
  }

  /** A plain start, the days Samoa skipped, and instants just around the zone's transitions of 2026 and 2027. */
  private static List<Instant> startsAroundTransitions(ZoneId zone) {
    List<Instant> starts = new ArrayList<>(List.of(ANCHOR, Instant.parse("2011-12-28T00:00:00Z")));
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 3; i++) {
      var transition = zone.getRules().nextTransition(t);
      if (transition == null) {
        break;
      }
      Instant at = transition.getInstant();
      starts.addAll(List.of(at.minusSeconds(3 * 86400), at.minusSeconds(3600), at.minusNanos(1), at,
          at.plusSeconds(1800)));
      t = at;
    }
    return starts;
  }

  private static void assertSameFires(String rule, ZoneId zone, Instant from, int count) {
    Trigger skipping = CronTrigger.parse(rule, zone, ANCHOR, null, null);
    Trigger walking = CronTrigger.parseWalkingEveryPeriod(rule, zone, ANCHOR);
    assertEquals(Triggers.nextTimes(walking, from, count), Triggers.nextTimes(skipping, from, count),
        rule + " in " + zone + " from " + from);
  }

  @Test
  void cronThatNeverFiresIsRejected() {
    RuleException e = assertThrows(RuleException.class, () -> cron("0 0 0 30 2 *"));
    assertEquals("rule", e.field());
    assertTrue(e.getMessage().contains("never fires"), e.getMessage());
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "70 * * * * *      | rule.second      | second: 70 is out of range 0-59",
      "* 60 * * * *      | rule.minute      | minute: 60 is out of range 0-59",
      "* * 24 * * *      | rule.hour        | hour: 24 is out of range 0-23",
      "* * * 32 * *      | rule.day         | day: 32 is out of range 1-31",
      "* * * 0 * *       | rule.day         | day: 0 is out of range 1-31",
      "* * * * 13 *      | rule.month       | month: 13 is out of range 1-12",
      "* * * * * 7       | rule.day_of_week | day_of_week: 7 is out of range 0-6",
      "* * * * * 0-7     | rule.day_of_week | day_of_week: 7 is out of range 0-6",
      "*/0 * * * * *     | rule.second      | second: step 0",
      "5-2 * * * * *     | rule.second      | runs backwards",
      "* * * * * sun-mon | rule.day_of_week | runs backwards",
      "L * * * * *       | rule.second      | second: 'L' is not valid",
      "* * * * foo *     | rule.month       | month: 'foo' is not valid",
      "* * * * * funday  | rule.day_of_week | day_of_week: 'funday' is not valid",
      "* * * * * fri#6   | rule.day_of_week | must be 1-5",
      "* * * * * L       | rule.day_of_week | L alone",
      "'1,2, * * * * *'  | rule.second      | second: '1,2,' is not valid",
      "* * * ? * ?       | rule             | cannot both be ?",
      "* * * * *         | rule             | cron needs 6 fields: second minute hour day month day_of_week (got 5)",
      "* * * * * * *     | rule             | cron needs 6 fields: second minute hour day month day_of_week (got 7)",
      "abc               | rule             | (got 1)",
  })
  void invalidCronNamesTheField(String rule, String field, String message) {
    RuleException e = assertThrows(RuleException.class, () -> cron(rule));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void sevenForSundaySuggestsNames() {
    RuleException e = assertThrows(RuleException.class, () -> cron("0 0 9 * * 7"));
    assertTrue(e.getMessage().contains("0 = Monday") && e.getMessage().contains("sun"), e.getMessage());
  }

  @Test
  void emptyCronIsARuleError() {
    for (String blank : new String[] {"", "   ", null}) {
      RuleException e = assertThrows(RuleException.class, () -> cron(blank));
      assertEquals("rule", e.field());
    }
  }
}
