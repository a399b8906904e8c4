package io.ruqi.exec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Cuts a process's output into lines for a live view, bounded so that no command can flood the event bus or a
 * browser: a line longer than {@code maxLineBytes} is cut (and the rest of it skipped), and at most
 * {@code perSecond} lines a second go out, with bursts of {@code burst}. A line over the rate is dropped and counted,
 * never waited for: the output pump, and so the process, never slow down for a watcher. Written by the pump thread
 * only.
 */
public final class OutputLines {
  /** Gets the lines kept; {@code dropped} counts the lines left out so far (rate), for the watcher to say so. */
  public interface Listener {
    void line(long seq, String text, long dropped);

    void end(long dropped);
  }

  static final int MAX_LINE_BYTES = 1_000;
  static final int PER_SECOND = 50;
  static final int BURST = 200;
  private static final String CUT = " [ruqi: line cut]";

  private final Listener listener;
  private final LongSupplier nanos;
  private final int maxLineBytes;
  private final double perNano;
  private final int burst;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean skippingRest;
  private double tokens;
  private long refilledAt;
  private long seq;
  private long dropped;
  /** The listener threw: the live view stops, the run and its captured output go on. */
  private boolean broken;

  OutputLines(Listener listener, LongSupplier nanos, int maxLineBytes, int perSecond, int burst) {
    this.listener = listener;
    this.nanos = nanos;
    this.maxLineBytes = maxLineBytes;
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = nanos.getAsLong();
  }

  /** The bounds of a production run: {@value #MAX_LINE_BYTES} bytes a line, {@value #PER_SECOND} lines a second. */
  static OutputLines of(Listener listener) {
    return new OutputLines(listener, System::nanoTime, MAX_LINE_BYTES, PER_SECOND, BURST);
  }

  void write(byte[] bytes, int offset, int length) {
    if (broken) {
      return;
    }
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (!skippingRest) {
          emit(false);
        }
        skippingRest = false;
        line.reset();
      } else if (!skippingRest) {
        line.write(b);
        if (line.size() >= maxLineBytes) {
          emit(true);
          line.reset();
          skippingRest = true;
        }
      }
    }
  }

  /** The output ended: a last line without a newline goes out, then the end. */
  void end() {
    if (line.size() > 0 && !skippingRest) {
      emit(false);
    }
    line.reset();
    guarded(() -> listener.end(dropped)); // even after a failure: the listener lets go of the run
  }

  private void emit(boolean cut) {
    if (broken) {
      return;
    }
    if (!take()) {
      dropped++;
      return;
    }
    String text = line.toString(StandardCharsets.UTF_8);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    String shown = cut ? text + CUT : text;
    long n = ++seq;
    guarded(() -> listener.line(n, shown, dropped));
  }

  private void guarded(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      broken = true;
    }
  }

  private boolean take() {
    long now = nanos.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
    refilledAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
