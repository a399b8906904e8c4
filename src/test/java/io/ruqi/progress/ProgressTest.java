package io.ruqi.progress;

import io.ruqi.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a person waiting on long work reads, as the clock is moved (never slept). */
class ProgressTest {
  final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:00Z"));
  final List<String> log = new ArrayList<>();

  @Test
  void a_log_gets_a_line_of_counts_every_ten_seconds_and_one_at_the_end() {
    Progress p = Progress.lines("job_history_clear", "rows", 1_000_000, clock, log::add);
    p.advance(10_000);
    clock.advance(Duration.ofSeconds(9));
    p.advance(10_000);
    assertEquals(List.of(), log, "not before 10 s");
    clock.advance(Duration.ofSeconds(1));
    p.advance(230_000);
    assertEquals(List.of("job_history_clear: 250,000 of 1,000,000 rows (25%), 25,000/s, about 30 s left"), log);
    clock.advance(Duration.ofSeconds(5));
    p.advance(250_000);
    assertEquals(1, log.size(), "the next line 10 s after the last");
    clock.advance(Duration.ofSeconds(5));
    p.advance(0);
    assertEquals("job_history_clear: 500,000 of 1,000,000 rows (50%), 25,000/s, about 20 s left", log.get(1));
    clock.advance(Duration.ofSeconds(20));
    p.advance(500_000);
    p.finish();
    p.finish();
    assertEquals(List.of("job_history_clear: 250,000 of 1,000,000 rows (25%), 25,000/s, about 30 s left",
        "job_history_clear: 500,000 of 1,000,000 rows (50%), 25,000/s, about 20 s left",
        "job_history_clear: 1,000,000 of 1,000,000 rows (100%), 25,000/s",
        "job_history_clear: 1,000,000 rows in 40 s"), log);
  }

  @Test
  void short_work_logs_nothing() {
    Progress p = Progress.lines("job_import", "jobs", 200, clock, log::add);
    p.advance(200);
    clock.advance(Duration.ofSeconds(3));
    p.finish();
    assertEquals(List.of(), log);
  }

  @Test
  void without_a_total_the_counts_and_rate_are_shown() {
    Progress p = Progress.lines("migrate history", "rows", 0, clock, log::add);
    clock.advance(Duration.ofSeconds(12));
    p.advance(1_800);
    clock.advance(Duration.ofMinutes(3));
    p.advance(27_000);
    p.total(28_800).finish();
    assertEquals(List.of("migrate history: 1,800 rows, 150/s", "migrate history: 28,800 rows, 150/s",
        "migrate history: 28,800 rows in 3 min 12 s"), log);
  }

  @Test
  void a_terminal_gets_a_bar_redrawn_in_place_at_most_every_200_ms() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = Progress.bar("migrate jobs", "jobs", 400, clock, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    clock.advance(Duration.ofMillis(100));
    p.advance(50);
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    clock.advance(Duration.ofMillis(100));
    p.advance(50);
    assertEquals("\rmigrate jobs [#######.......................]  25% 100/400 jobs 500/s about 1 s left",
        bytes.toString(StandardCharsets.UTF_8));
    bytes.reset();
    clock.advance(Duration.ofMillis(600));
    p.advance(300);
    p.finish();
    assertEquals("\rmigrate jobs [##############################] 100% 400/400 jobs 500/s" + " ".repeat(15)
        + "\rmigrate jobs [##############################] 100% 400/400 jobs 500/s\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void a_shorter_bar_covers_the_longer_one_before_it() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = Progress.bar("bench", "fires", 0, clock, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    clock.advance(Duration.ofSeconds(1));
    p.advance(123_456);
    clock.advance(Duration.ofSeconds(999));
    p.advance(0);
    String[] draws = bytes.toString(StandardCharsets.UTF_8).split("\r", -1);
    assertEquals("bench 123,456 fires 123,456/s", draws[1]);
    assertEquals("bench 123,456 fires 123/s    ", draws[2]);
  }
}
