package io.ruqi.progress;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How far long work has come (an import of many jobs, a history clear of millions of rows, a migration, the
 * benchmark), for the person waiting on it. On a terminal it is a bar on stderr, drawn again in place at most every
 * 200 ms; elsewhere (a service's log, a CLI's output in a file) a line with the counts at most every 10 s, so that
 * short work prints nothing and long work a line now and then. The total may be unknown (0): then counts only.
 * Time is read from the given clock, so that tests move it instead of waiting.
 */
public final class Progress {
  static final Duration BAR_EVERY = Duration.ofMillis(200);
  static final Duration LINE_EVERY = Duration.ofSeconds(10);
  private static final int BAR_WIDTH = 30;

  private final String what;
  private final String unit;
  private final Clock clock;
  private final Duration every;
  private final Consumer<String> out;
  private final boolean bar;
  private final Instant started;
  private long total;
  private long done;
  private Instant shown;
  private boolean anyShown;
  private boolean finished;
  /** The bar drawn last: a shorter one is padded to cover it. */
  private int drawn;

  private Progress(String what, String unit, long total, Clock clock, Duration every, Consumer<String> out,
                   boolean bar) {
    this.what = what;
    this.unit = unit;
    this.total = total;
    this.clock = clock;
    this.every = every;
    this.out = out;
    this.bar = bar;
    this.started = clock.instant();
    this.shown = started;
  }

  /** A bar on stderr when this process has a terminal, else lines to {@code log}. */
  public static Progress of(String what, String unit, long total, Clock clock, Consumer<String> log) {
    return System.console() != null ? bar(what, unit, total, clock, System.err) : lines(what, unit, total, clock, log);
  }

  /** Lines to {@code log} at most every 10 s (a service: its output is its log, where a bar would be overwritten). */
  public static Progress lines(String what, String unit, long total, Clock clock, Consumer<String> log) {
    return new Progress(what, unit, total, clock, LINE_EVERY, log, false);
  }

  public static Progress bar(String what, String unit, long total, Clock clock, PrintStream terminal) {
    return new Progress(what, unit, total, clock, BAR_EVERY, text -> {
      terminal.print(text);
      terminal.flush();
    }, true);
  }

  /** When the total is learnt after the work began (0: unknown). */
  public synchronized Progress total(long total) {
    this.total = total;
    return this;
  }

  public synchronized void advance(long n) {
    done += n;
    Instant now = clock.instant();
    if (!finished && Duration.between(shown, now).compareTo(every) >= 0) {
      shown = now;
      anyShown = true;
      out.accept(bar ? redraw(now) : lineText(now));
    }
  }

  /** The end: the bar drawn full and its line ended; a last line only where earlier lines were printed. */
  public synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    Instant now = clock.instant();
    if (bar) {
      out.accept(redraw(now) + "\n");
    } else if (anyShown) {
      out.accept(what + ": " + count(done) + " " + unit + " in " + seconds(Duration.between(started, now)));
    }
  }

  public synchronized long done() {
    return done;
  }

  private String redraw(Instant now) {
    String text = barText(now);
    String padded = text.length() < drawn ? text + " ".repeat(drawn - text.length()) : text;
    drawn = text.length();
    return "\r" + padded;
  }

  String lineText(Instant now) {
    StringBuilder s = new StringBuilder(what).append(": ").append(count(done));
    if (total > 0) {
      s.append(" of ").append(count(total)).append(' ').append(unit).append(" (").append(percent()).append("%)");
    } else {
      s.append(' ').append(unit);
    }
    return s.append(pace(now, ", ")).toString();
  }

  String barText(Instant now) {
    StringBuilder s = new StringBuilder(what).append(' ');
    if (total > 0) {
      int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
      s.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
          .append(String.format(Locale.ROOT, "%3d%% ", percent())).append(count(done)).append('/')
          .append(count(total));
    } else {
      s.append(count(done));
    }
    return s.append(' ').append(unit).append(pace(now, " ")).toString();
  }

  /** The rate so far and, with a total, the time left at that rate. */
  private String pace(Instant now, String separator) {
    long ms = Duration.between(started, now).toMillis();
    if (ms <= 0 || done == 0) {
      return "";
    }
    double perSecond = done * 1000.0 / ms;
    String pace = separator + count(Math.round(perSecond)) + "/s";
    if (total > done) {
      // rounded up: "0 s left" would be read as done
      pace += separator + "about " + seconds(Duration.ofSeconds((long) Math.ceil((total - done) / perSecond)))
          + " left";
    }
    return pace;
  }

  private int percent() {
    return (int) Math.min(100, done * 100 / total);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String seconds(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60)
        + " min";
  }
}
