package io.ruqi.http;

/** Makes text safe for one header line: no CR/LF (no header injection), printable ASCII only, bounded. */
final class HeaderText {
  private static final int MAX = 512;

  private HeaderText() {
  }

  static String safe(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX));
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : (c == '\n' || c == '\r' || c == '\t' ? ' ' : '?'));
    }
    return out.toString();
  }
}
