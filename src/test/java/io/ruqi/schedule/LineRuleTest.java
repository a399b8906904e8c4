package io.ruqi.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LineRuleTest {

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', value = {
      "1d python scripts/clean.py                | interval | 1d                  | python scripts/clean.py",
      "1h30m http://example.com/ping#{\"a\": 1}  | interval | 1h30m               | http://example.com/ping#{\"a\": 1}",
      "now bash x.sh                             | date     | now                 | bash x.sh",
      "2026-12-01 08:00:00 bash x.sh             | date     | 2026-12-01 08:00:00 | bash x.sh",
      "2026-12-01 bash x.sh                      | date     | 2026-12-01          | bash x.sh",
      "2026-12-01T08:00:00.5 bash x.sh           | date     | 2026-12-01T08:00:00.5 | bash x.sh",
      "0 20 2 * * * bash scripts/a.sh            | cron     | 0 20 2 * * *        | bash scripts/a.sh",
      "*/10 * * ? * mon-fri /topic#data          | cron     | */10 * * ? * mon-fri | /topic#data",
      "0 0 9 L * 4#2 python a.py --flag  x       | cron     | 0 0 9 L * 4#2       | python a.py --flag  x",
      "0 0 9 last * * bash x.sh                  | cron     | 0 0 9 last * *      | bash x.sh",
      "0 30 8 2nd fri * * bash x.sh              | cron     | 0 30 8 2nd fri * *  | bash x.sh",
      "0 30 8 last  FRI * mon-fri bash x.sh      | cron     | 0 30 8 last FRI * mon-fri | bash x.sh",
      "0 30 8 last * mon-fri bash x.sh           | cron     | 0 30 8 last * mon-fri | bash x.sh",
  })
  void splitsRuleFromCommand(String line, String type, String rule, String cmd) {
    assertEquals(new LineRule(type, rule, cmd), LineRule.parse(line));
  }

  @Test
  void parsedLineIsAValidTrigger() {
    LineRule r = LineRule.parse("  0 20 2 * * *   bash scripts/a.sh ");
    Trigger t = Triggers.parse(new TriggerSpec(r.type(), r.rule(), ZoneOffset.UTC), Instant.parse("2026-11-21T13:00:00Z"));
    assertEquals(java.util.Optional.of(Instant.parse("2026-11-22T02:20:00Z")), t.next(Instant.parse("2026-11-21T13:00:00Z")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "1d", "now", "2026-12-01 08:00:00", "0 20 2 * * *", "bash x.sh", "python a.py 1 2 3 4 5",
      "0 20 2 * *", "2026-12-01 08:00 bash x.sh", "2026-12-01", "2026-12-01 8:00:00:00 bash x.sh"})
  void lineWithoutRuleOrCommandIsALineError(String line) {
    assertEquals("line", assertThrows(RuleException.class, () -> LineRule.parse(line)).field());
  }

  @Test
  void jobIdIsTheProgramNamePlusAHashOfTheLine() {
    // sha256("interval|1d|python scripts/clean.py") = 2473af2e...
    assertEquals("clean.py-2473af2e", LineRule.deriveJobId(LineRule.parse("1d python scripts/clean.py")));
    // sha256("cron|0 20 2 * * *|bash scripts/a.sh") = 83e8c50f...
    assertEquals("a.sh-83e8c50f", LineRule.deriveJobId(LineRule.parse("0 20 2 * * * bash scripts/a.sh")));
  }

  @Test
  void jobIdIsStableAndChangesWithTheLine() {
    LineRule r = LineRule.parse("1d python scripts/clean.py");
    assertEquals(LineRule.deriveJobId(r), LineRule.deriveJobId(LineRule.parse("1d python scripts/clean.py")));
    assertNotEquals(LineRule.deriveJobId(r), LineRule.deriveJobId(LineRule.parse("2d python scripts/clean.py")));
    assertNotEquals(LineRule.deriveJobId(r), LineRule.deriveJobId(LineRule.parse("1d python scripts/clean.py --all")));
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1d https://example.com/api/ping#{\"a\":1}   | ping-",
      "1d /topic#data#id1                          | topic-",
      "1d python3 -u /opt/jobs/report.py --day 1   | report.py-",
      "1d bash ./scripts/数据.sh                    | __.sh-",
      "1d sh                                       | job-",
  })
  void jobIdUsesTheProgramsBaseName(String line, String prefix) {
    String id = LineRule.deriveJobId(LineRule.parse(line));
    assertTrue(id.startsWith(prefix), id);
    assertTrue(id.matches("[A-Za-z0-9._-]+-[0-9a-f]{8}"), id);
  }

  @Test
  void jobIdIsAtMost255Characters() {
    String id = LineRule.deriveJobId(LineRule.parse("1d bash " + "x".repeat(400) + ".sh"));
    assertEquals(255, id.length());
    assertTrue(id.matches("x+-[0-9a-f]{8}"), id);
  }
}
