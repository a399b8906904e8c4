package io.ruqi.schedule;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The days a calendar lists, as Quartz's HolidayCalendar (dates) and AnnualCalendar (a day of every year) have
 * them, plus inclusive ranges. An entry is {@code 2026-12-25}, {@code 2026-12-24..2026-12-26} or {@code --12-25}
 * (every year; {@code --02-29} only in leap years). Days are local dates: a fire is judged by its date in its
 * job's time zone. Immutable; ranges are merged, so a lookup is one binary search.
 */
public final class CalendarDays {
  /** The most entries of one calendar: before and after, a calendar fits one audit row (a TEXT column, 64 KB). */
  public static final int MAX_ENTRIES = 1_000;
  private static final Pattern DATE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})");
  private static final Pattern RANGE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})\\.\\.(\\d{4}-\\d{2}-\\d{2})");
  private static final Pattern ANNUAL = Pattern.compile("--\\d{2}-\\d{2}");

  public static final CalendarDays NONE = new CalendarDays(List.of(), new long[0], new long[0], Set.of());

  private final List<String> entries;
  /** Merged ranges as epoch days, sorted: starts[i]..ends[i] inclusive, and ends[i] < starts[i + 1]. */
  private final long[] starts;
  private final long[] ends;
  private final Set<MonthDay> annual;

  private CalendarDays(List<String> entries, long[] starts, long[] ends, Set<MonthDay> annual) {
    this.entries = entries;
    this.starts = starts;
    this.ends = ends;
    this.annual = annual;
  }

  /**
   * The days of {@code entries}, each checked: a bad one is refused with the entry and why.
   *
   * @throws RuleException field {@code days}
   */
  public static CalendarDays parse(List<?> entries) {
    if (entries.size() > MAX_ENTRIES) {
      throw new RuleException("days", "a calendar lists at most " + MAX_ENTRIES + " entries (got "
          + entries.size() + "); use ranges (2026-12-24..2026-12-26) for runs of days");
    }
    TreeSet<String> canonical = new TreeSet<>();
    List<long[]> ranges = new ArrayList<>();
    Set<MonthDay> annual = new HashSet<>();
    for (Object o : entries) {
      if (!(o instanceof String text)) {
        throw new RuleException("days", "each entry of days is a text such as 2026-12-25 (got " + o + ")");
      }
      String e = text.strip();
      Matcher range = RANGE.matcher(e);
      if (DATE.matcher(e).matches()) {
        long day = date(e, e).toEpochDay();
        ranges.add(new long[] {day, day});
      } else if (range.matches()) {
        LocalDate from = date(range.group(1), e);
        LocalDate to = date(range.group(2), e);
        if (to.isBefore(from)) {
          throw new RuleException("days", "'" + e + "': the range ends before it starts");
        }
        ranges.add(new long[] {from.toEpochDay(), to.toEpochDay()});
      } else if (ANNUAL.matcher(e).matches()) {
        try {
          annual.add(MonthDay.parse(e));
        } catch (DateTimeException bad) {
          throw new RuleException("days", "'" + e + "' is no day of the year (--MM-DD, e.g. --12-25)");
        }
      } else {
        throw new RuleException("days", "'" + abbreviated(e) + "' is not a day: write 2026-12-25, a range"
            + " 2026-12-24..2026-12-26, or --12-25 for every year");
      }
      canonical.add(e);
    }
    ranges.sort(Comparator.comparingLong(r -> r[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] r : ranges) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r[0] <= last[1] + 1) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.add(new long[] {r[0], r[1]});
      }
    }
    long[] starts = new long[merged.size()];
    long[] ends = new long[merged.size()];
    for (int i = 0; i < merged.size(); i++) {
      starts[i] = merged.get(i)[0];
      ends[i] = merged.get(i)[1];
    }
    return new CalendarDays(List.copyOf(canonical), starts, ends, Set.copyOf(annual));
  }

  /** Whether the calendar lists {@code day}. */
  public boolean lists(LocalDate day) {
    if (annual.contains(MonthDay.from(day))) {
      return true;
    }
    long d = day.toEpochDay();
    int lo = 0;
    int hi = starts.length - 1;
    while (lo <= hi) { // the last range starting on or before d
      int mid = (lo + hi) >>> 1;
      if (starts[mid] <= d) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return hi >= 0 && d <= ends[hi];
  }

  /** The entries, sorted and without duplicates: what is stored and shown. */
  public List<String> entries() {
    return entries;
  }

  private static LocalDate date(String text, String entry) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeException bad) {
      throw new RuleException("days", "'" + entry + "': " + text + " is no date");
    }
  }

  private static String abbreviated(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
