package io.ruqi.exec;

/**
 * Keeps a command's output to what the history holds: at most 4096 characters, the head and the tail, with a
 * marker saying how much was left out between them (the end of a log is usually where the error is).
 */
public final class OutputCap {
  public static final int MAX_CHARS = 4096;

  private OutputCap() {
  }

  public static String cap(String text) {
    if (text == null) {
      return "";
    }
    if (text.length() <= MAX_CHARS) {
      return text;
    }
    return join(text.substring(0, MAX_CHARS / 2), text.length() - MAX_CHARS, text.substring(text.length() - MAX_CHARS / 2));
  }

  /** Head, then a marker for {@code omitted} characters (or bytes) left out, then tail, within {@link #MAX_CHARS}. */
  public static String join(String head, long omitted, String tail) {
    String marker = "\n...[" + omitted + " omitted]...\n";
    int room = MAX_CHARS - marker.length();
    int headChars = Math.min(head.length(), room / 2);
    int tailChars = Math.min(tail.length(), room - headChars);
    return head.substring(0, headChars) + marker + tail.substring(tail.length() - tailChars);
  }
}
