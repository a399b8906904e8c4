package io.ruqi.client;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** ruqi writes times as {@code YYYY-MM-DD HH:MM:SS}, without a zone (the job's, or the service's). */
final class WireTimes {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private WireTimes() {
  }

  static LocalDateTime parse(String text) {
    return text == null ? null : LocalDateTime.parse(text, FORMAT);
  }

  static String format(LocalDateTime time) {
    return FORMAT.format(time);
  }
}
