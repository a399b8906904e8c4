package io.ruqi.exec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The live view's lines: cut on newlines, bounded in length and in rate, drops counted; time moved by hand. */
class OutputLinesTest {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final List<String> got = new ArrayList<>();
  final List<Long> droppedSeen = new ArrayList<>();
  long endedWithDropped = -1;

  final OutputLines.Listener listener = new OutputLines.Listener() {
    @Override
    public void line(long seq, String text, long dropped) {
      got.add(seq + ":" + text);
      droppedSeen.add(dropped);
    }

    @Override
    public void end(long dropped) {
      endedWithDropped = dropped;
    }
  };

  void write(OutputLines lines, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    lines.write(bytes, 0, bytes.length);
  }

  @Test
  void lines_are_cut_on_newlines_across_writes_and_the_last_one_goes_out_at_the_end() {
    OutputLines lines = new OutputLines(listener, nanos::get, 100, 10, 10);
    write(lines, "first\r\nsec");
    write(lines, "ond\n\nthird 如期");
    assertEquals(List.of("1:first", "2:second", "3:"), got);
    lines.end();
    assertEquals(List.of("1:first", "2:second", "3:", "4:third 如期"), got);
    assertEquals(0, endedWithDropped);
  }

  @Test
  void a_long_line_is_cut_once_and_its_rest_skipped() {
    OutputLines lines = new OutputLines(listener, nanos::get, 8, 10, 10);
    write(lines, "0123456789abcdef\nnext\n");
    assertEquals(List.of("1:01234567 [ruqi: line cut]", "2:next"), got);
  }

  @Test
  void over_the_rate_lines_are_dropped_and_counted_never_waited_for() {
    OutputLines lines = new OutputLines(listener, nanos::get, 100, 2, 3);
    write(lines, "a\nb\nc\nd\ne\n"); // a burst of 3, then nothing left
    assertEquals(List.of("1:a", "2:b", "3:c"), got);
    nanos.addAndGet(1_000_000_000L); // a second later: 2 more
    write(lines, "f\ng\nh\n");
    assertEquals(List.of("1:a", "2:b", "3:c", "4:f", "5:g"), got);
    assertEquals(2L, droppedSeen.get(3), "the next line kept says how many were left out");
    lines.end();
    assertEquals(3, endedWithDropped);
  }

  @Test
  void a_listener_that_throws_stops_the_live_view_not_the_run() {
    OutputLines lines = new OutputLines(new OutputLines.Listener() {
      @Override
      public void line(long seq, String text, long dropped) {
        got.add(text);
        throw new IllegalStateException("bus closed");
      }

      @Override
      public void end(long dropped) {
        endedWithDropped = dropped;
      }
    }, nanos::get, 100, 10, 10);
    write(lines, "a\nb\n");
    lines.end();
    assertEquals(List.of("a"), got);
    assertEquals(0, endedWithDropped, "told of the end all the same, to let go of the run");
  }
}
