package io.ruqi.store;

import java.time.LocalDateTime;

/**
 * The SQLite store's one text form of a time, {@code 2026-12-05T01:02:00.000} (UTC, to the millisecond): text order
 * is time order, and it is what {@link Dialect#utcNow()} writes too. Written and read by hand: a drain reads and binds
 * a few times per fire, and the java.time formatter cost about a tenth of the store thread in its profile.
 */
final class SqliteTimes {
  private static final int LENGTH = 23;

  private SqliteTimes() {
  }

  private static final LocalDateTime FIRST = LocalDateTime.of(0, 1, 1, 0, 0);
  private static final LocalDateTime LAST = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000);

  /**
   * A time outside the four-digit years (which alone sort right in one width) is written as the first or last one:
   * no fire's time is out there, and as a bound (history cleared before the year 10000) it picks the same rows.
   */
  static String format(LocalDateTime time) {
    LocalDateTime t = time.isBefore(FIRST) ? FIRST : time.isAfter(LAST) ? LAST : time;
    int year = t.getYear();
    char[] c = new char[LENGTH];
    digits(c, 0, year, 4);
    c[4] = '-';
    digits(c, 5, t.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, t.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, t.getHour(), 2);
    c[13] = ':';
    digits(c, 14, t.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, t.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1_000_000, 3);
    return new String(c);
  }

  /** Reads the form above; any other text java.time's ISO form takes (a row written by hand, say). */
  static LocalDateTime parse(String text) {
    if (text.length() == LENGTH && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
        && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == '.') {
      int year = number(text, 0, 4);
      int month = number(text, 5, 2);
      int day = number(text, 8, 2);
      int hour = number(text, 11, 2);
      int minute = number(text, 14, 2);
      int second = number(text, 17, 2);
      int millis = number(text, 20, 3);
      if ((year | month | day | hour | minute | second | millis) >= 0) {
        return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000);
      }
    }
    return LocalDateTime.parse(text.replace(' ', 'T'));
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The number the digits at {@code at} write, or -1 if one of them is no digit. */
  private static int number(String text, int at, int width) {
    int n = 0;
    for (int i = at; i < at + width; i++) {
      char ch = text.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      n = n * 10 + (ch - '0');
    }
    return n;
  }
}
