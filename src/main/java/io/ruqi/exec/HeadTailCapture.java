package io.ruqi.exec;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the first and the last {@value #HALF} bytes of a stream of any length and counts the bytes in between, so a
 * command can print gigabytes while the runner holds 4 KiB. Written by one pump thread and read by the run's worker
 * (possibly while the pump is still blocked), hence synchronized.
 */
final class HeadTailCapture {
  static final int HALF = OutputCap.MAX_CHARS / 2;

  private final byte[] head = new byte[HALF];
  private int headLength;
  /** Ring buffer holding the newest bytes once the head is full. */
  private final byte[] tail = new byte[HALF];
  private int tailStart;
  private int tailLength;
  private long total;

  synchronized void write(byte[] bytes, int offset, int length) {
    total += length;
    int toHead = Math.min(length, HALF - headLength);
    System.arraycopy(bytes, offset, head, headLength, toHead);
    headLength += toHead;
    offset += toHead;
    length -= toHead;
    if (length >= HALF) {
      // the chunk alone fills the ring: keep its last bytes
      System.arraycopy(bytes, offset + length - HALF, tail, 0, HALF);
      tailStart = 0;
      tailLength = HALF;
      return;
    }
    for (int i = 0; i < length; i++) {
      tail[(tailStart + tailLength) % HALF] = bytes[offset + i];
      if (tailLength < HALF) {
        tailLength++;
      } else {
        tailStart = (tailStart + 1) % HALF;
      }
    }
  }

  synchronized long totalBytes() {
    return total;
  }

  /**
   * The captured text as UTF-8, one trailing newline removed, {@code note} (if any) appended as a last line, within
   * {@link OutputCap#MAX_CHARS}. When bytes were dropped, head and tail are cut on character boundaries and joined
   * with a marker counting every byte left out (including the pieces of characters cut at the edges).
   */
  synchronized String render(String note) {
    byte[] tailBytes = tailInOrder();
    long omitted = total - headLength - tailLength;
    if (omitted == 0) {
      byte[] all = new byte[headLength + tailBytes.length];
      System.arraycopy(head, 0, all, 0, headLength);
      System.arraycopy(tailBytes, 0, all, headLength, tailBytes.length);
      return OutputCap.cap(withNote(stripOneNewline(new String(all, StandardCharsets.UTF_8)), note));
    }
    int headEnd = completeCharactersEnd(head, headLength);
    int tailFrom = firstCharacterStart(tailBytes);
    String headText = new String(head, 0, headEnd, StandardCharsets.UTF_8);
    String tailText = new String(tailBytes, tailFrom, tailBytes.length - tailFrom, StandardCharsets.UTF_8);
    long omittedBytes = omitted + (headLength - headEnd) + tailFrom;
    return OutputCap.join(headText, omittedBytes, withNote(stripOneNewline(tailText), note));
  }

  private byte[] tailInOrder() {
    byte[] out = new byte[tailLength];
    for (int i = 0; i < tailLength; i++) {
      out[i] = tail[(tailStart + i) % HALF];
    }
    return out;
  }

  /** Length of the prefix of {@code bytes} that does not end inside a multi-byte UTF-8 sequence. */
  static int completeCharactersEnd(byte[] bytes, int length) {
    int lead = length - 1;
    // walk back over at most 3 continuation bytes (10xxxxxx) to the sequence's lead byte
    while (lead >= 0 && length - lead <= 4 && isContinuation(bytes[lead])) {
      lead--;
    }
    if (lead < 0 || length - lead > 4) {
      return length; // not UTF-8 we can reason about; leave it to the decoder
    }
    return lead + sequenceLength(bytes[lead]) > length ? lead : length;
  }

  /** Index of the first byte that is not the continuation of a character cut off before the buffer. */
  static int firstCharacterStart(byte[] bytes) {
    int i = 0;
    while (i < bytes.length && i < 3 && isContinuation(bytes[i])) {
      i++;
    }
    return i;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int sequenceLength(byte lead) {
    if ((lead & 0xE0) == 0xC0) {
      return 2;
    }
    if ((lead & 0xF0) == 0xE0) {
      return 3;
    }
    if ((lead & 0xF8) == 0xF0) {
      return 4;
    }
    return 1;
  }

  private static String stripOneNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static String withNote(String text, String note) {
    if (note == null) {
      return text;
    }
    return text.isEmpty() ? note : text + "\n" + note;
  }
}
