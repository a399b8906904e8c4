package io.ruqi.testing;

import io.ruqi.testing.HistoryLedger.DbRow;
import io.ruqi.testing.HistoryLedger.Hit;
import io.ruqi.testing.HistoryLedger.Row;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HA pair's history checks see each broken promise, and nothing in a clean run. */
class HistoryLedgerTest {
  static final Instant T = Instant.parse("2026-11-21T04:00:00Z");

  static Row row(String job, int second, String status) {
    return new Row(job, T.plusSeconds(second), status, "node-a", 1, T.plusSeconds(second), "cmd", "");
  }

  static Hit hit(String job, int second) {
    return new Hit(job, T.plusSeconds(second).toEpochMilli(), "/" + job);
  }

  @Test
  void a_fire_the_sink_got_twice_is_reported_and_distinct_fires_are_not() {
    assertEquals(List.of(), HistoryLedger.duplicateKeys(List.of(hit("a", 1), hit("a", 2), hit("b", 1))));
    List<String> twice = HistoryLedger.duplicateKeys(List.of(hit("a", 1), hit("a", 1)));
    assertEquals(1, twice.size());
    assertTrue(twice.get(0).contains("2 times"), twice.get(0));
  }

  @Test
  void two_rows_for_one_attempt_are_reported() {
    assertEquals(List.of(), HistoryLedger.duplicateRows(List.of(row("a", 1, "success"), row("a", 2, "success"))));
    assertEquals(1, HistoryLedger.duplicateRows(List.of(row("a", 1, "success"), row("a", 1, "failed"))).size());
  }

  @Test
  void a_success_and_a_request_must_come_in_pairs() {
    List<Row> rows = List.of(row("a", 1, "success"), row("a", 2, "success"), row("a", 3, "interrupted"));
    assertEquals(List.of(), HistoryLedger.successMatchesSink(rows, List.of(hit("a", 1), hit("a", 2), hit("a", 3)),
        "interrupted"));
    List<String> problems = HistoryLedger.successMatchesSink(rows, List.of(hit("a", 1), hit("a", 3), hit("a", 4)));
    assertEquals(Set.of("a success row without a sink request: a@" + T.plusSeconds(2).getEpochSecond(),
        "a sink request without a success row: a@" + T.plusSeconds(3).getEpochSecond(),
        "a sink request without a success row: a@" + T.plusSeconds(4).getEpochSecond()), Set.copyOf(problems));
  }

  @Test
  void a_one_second_job_has_a_row_every_second_from_its_add_to_its_pause() {
    Instant[] pause = {T.plusSeconds(5), T.plusSeconds(5)};
    List<Row> whole = List.of(row("a", 1, "success"), row("a", 2, "success"), row("a", 3, "success"),
        row("a", 4, "success"), row("a", 5, "success"));
    assertEquals(List.of(), HistoryLedger.contiguous("a", whole, T, pause));
    List<Row> gap = List.of(row("a", 1, "success"), row("a", 3, "success"), row("a", 4, "success"),
        row("a", 5, "success"));
    assertTrue(HistoryLedger.contiguous("a", gap, T, pause).get(0).contains("not 1 s apart"));
    assertTrue(HistoryLedger.contiguous("a", whole, T.minusSeconds(5), pause).get(0).contains("is late for an add"));
    assertEquals(List.of("a: no rows at all"), HistoryLedger.contiguous("a", List.of(), T, pause));
  }

  @Test
  void a_skip_is_an_overlap_only_while_another_run_of_the_job_ran() {
    long t = T.toEpochMilli();
    DbRow running = new DbRow("a", "success", "node-a", t, t, t + 1_500, 1);
    DbRow skippedMeanwhile = new DbRow("a", "skipped", "node-b", t + 1_000, null, t + 1_000, 1);
    DbRow skippedAfter = new DbRow("a", "skipped", "node-b", t + 2_000, null, t + 2_000, 1);
    Map<String, List<String>> why = HistoryLedger.classifySkips(List.of(running, skippedMeanwhile, skippedAfter));
    assertEquals(1, why.get(HistoryLedger.OVERLAP).size());
    assertEquals(1, why.get(HistoryLedger.ENDED).size());

    DbRow cut = new DbRow("b", "interrupted", "node-a", t, t, t + 5_000, 1);
    DbRow skippedBehindTheDead = new DbRow("b", "skipped", "node-b", t + 1_000, null, t + 1_000, 1);
    assertEquals(Set.of(HistoryLedger.GHOST),
        HistoryLedger.classifySkips(List.of(cut, skippedBehindTheDead)).keySet());
  }

  @Test
  void rows_that_did_not_run_are_named_per_job() {
    List<String> out = HistoryLedger.notRun(List.of(row("a", 1, "success"), row("a", 2, "missed"),
        row("a", 3, "missed"), row("b", 1, "success")), "not a success", "success");
    assertEquals(1, out.size());
    assertTrue(out.get(0).startsWith("not a success: a 2 fires {missed=2}"), out.get(0));
  }
}
