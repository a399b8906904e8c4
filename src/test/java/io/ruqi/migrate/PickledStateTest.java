package io.ruqi.migrate;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Pickles as Python 2 wrote them (RuQi's own: protocol 0, {@code str} as bytes), spelled out opcode by opcode here
 * since no Python 2 is at hand: the real-pickle tests (MigrateFromRuqiTest) are Python 3's.
 */
class PickledStateTest {

  /** {@code pickle.dumps({'cmd': 'bash 备份.sh', 'next_run_time': datetime(2021, 4, 14, 11, 5, 1)})}, Python 2. */
  static final String PY2_DICT = "(dp0\nS'cmd'\np1\nS'bash \\xe5\\xa4\\x87\\xe4\\xbb\\xbd.sh'\np2\n"
      + "sS'next_run_time'\np3\ncdatetime\ndatetime\np4\n(S'\\x07\\xe5\\x04\\x0e\\x0b\\x05\\x01\\x00\\x00\\x00'\n"
      + "p5\ntp6\nRp7\nsS'interval'\np8\ncdatetime\ntimedelta\np9\n(I0\nI30\nI0\ntp10\nRp11\ns.";

  @Test
  void python_2_text_is_read_as_utf_8_and_its_datetimes_and_timedeltas_as_values() {
    Map<?, ?> state = (Map<?, ?>) PickledState.read(PY2_DICT.getBytes(StandardCharsets.US_ASCII));
    assertEquals("bash 备份.sh", PyText.of(state.get("cmd")));
    PyDateTime next = (PyDateTime) state.get("next_run_time");
    assertEquals(LocalDateTime.of(2021, 4, 14, 11, 5, 1), next.wall());
    assertNull(next.zone(), "RuQi's fork wrote naive times");
    assertEquals(Instant.parse("2021-04-14T03:05:01Z"), next.instant(ZoneId.of("Asia/Shanghai")));
    assertEquals(Duration.ofSeconds(30), state.get("interval"));
  }

  @Test
  void a_broken_pickle_is_a_reason_not_a_crash() {
    assertThrows(UnreadableState.class, () -> PickledState.read("(dp0\nS'cmd".getBytes(StandardCharsets.US_ASCII)));
  }
}
