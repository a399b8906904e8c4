package io.ruqi.exec;

import java.nio.charset.StandardCharsets;

/**
 * The headers that tell a command which job and fire it runs for, so it can act idempotently. The same names are
 * used on HTTP requests and on event-bus messages.
 */
public final class FireHeaders {
  public static final String JOB_ID = "X-Ruqi-Job-Id";
  public static final String JOB_NAME = "X-Ruqi-Job-Name";
  /** ISO-8601 instant, e.g. {@code 2026-11-21T04:00:00Z}. */
  public static final String FIRE_TIME = "X-Ruqi-Fire-Time";
  /** {@link FireContext#fireId()}: the same on every attempt of one fire. */
  public static final String FIRE_ID = "X-Ruqi-Fire-Id";
  public static final String ATTEMPT = "X-Ruqi-Attempt";
  /** {@link FireContext#parentFireId()}: sent only on a chained fire (on_success, on_failure of another job). */
  public static final String PARENT_FIRE_ID = "X-Ruqi-Parent-Fire-Id";
  /** The fire id again, under the name HTTP services already look for (IETF httpapi idempotency-key draft). */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FireHeaders() {
  }

  /**
   * Makes any text safe as an HTTP header value: visible ASCII stays as it is (so plain ids read naturally), every
   * other UTF-8 byte, and {@code %} and {@code +}, become {@code %XX}. No CR/LF can get through, so a job name
   * cannot inject headers; and both {@code URLDecoder.decode(v, UTF_8)} and a plain percent-decode give the original
   * back ({@code +} is escaped because URLDecoder would read it as a space).
   */
  public static String safe(String text) {
    if (text == null) {
      return "";
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c > 0x20 && c < 0x7F && c != '%' && c != '+') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }
}
