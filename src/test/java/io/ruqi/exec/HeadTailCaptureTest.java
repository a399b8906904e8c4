package io.ruqi.exec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadTailCaptureTest {

  @Test
  void shortOutputIsKeptWholeWithOneNewlineStripped() {
    assertEquals("a\nb\n", render("a\nb\n\n", null));
    assertEquals("a", render("a\r\n", null));
    assertEquals("", render("", null));
  }

  @Test
  void noteBecomesTheLastLine() {
    assertEquals("out\n[note]", render("out\n", "[note]"));
    assertEquals("[note]", render("", "[note]"));
  }

  @Test
  void exactly4096BytesNeedNoMarker() {
    String text = "h".repeat(2048) + "t".repeat(2048);
    assertEquals(text, render(text, null));
  }

  @Test
  void longOutputKeepsHeadAndTailAndCountsTheMiddle() {
    String text = "H" + "m".repeat(100_000) + "T";
    HeadTailCapture c = new HeadTailCapture();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // odd chunk sizes exercise the ring buffer's wrap-around
    for (int i = 0; i < bytes.length; i += 777) {
      c.write(bytes, i, Math.min(777, bytes.length - i));
    }
    String out = c.render("[end]");
    assertTrue(out.length() <= OutputCap.MAX_CHARS);
    assertTrue(out.startsWith("Hmm"));
    assertTrue(out.endsWith("mmT\n[end]"), out.substring(out.length() - 20));
    assertTrue(out.contains("...[" + (100_002 - 4096) + " omitted]..."));
    assertEquals(100_002, c.totalBytes());
  }

  @Test
  void byteByByteEqualsOneWrite() {
    String text = "x".repeat(3000) + "y".repeat(3000) + "z".repeat(3000);
    HeadTailCapture slow = new HeadTailCapture();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      slow.write(new byte[] {b}, 0, 1);
    }
    assertEquals(render(text, null), slow.render(null));
  }

  @Test
  void cutsNeverSplitACharacter() {
    // 1 ASCII byte then 3-byte characters: the head ends and the tail starts inside one
    String text = "a" + "€".repeat(5000);
    String out = render(text, null);
    assertFalse(out.contains("\uFFFD"), out);
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    int headKept = 1 + 3 * 682;        // 2047 bytes: "a" and 682 whole euros
    int tailKept = 3 * 682;            // 2046 bytes: the last 682 whole euros
    assertTrue(out.contains("...[" + (bytes - headKept - tailKept) + " omitted]..."), out);
  }

  @Test
  void characterBoundaryHelpers() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    assertEquals(0, HeadTailCapture.completeCharactersEnd(euro, 2));
    assertEquals(3, HeadTailCapture.completeCharactersEnd(euro, 3));
    assertEquals(1, HeadTailCapture.firstCharacterStart(new byte[] {euro[1], 'a'}));
    assertEquals(2, HeadTailCapture.firstCharacterStart(new byte[] {euro[1], euro[2], 'a'}));
  }

  private static String render(String text, String note) {
    HeadTailCapture c = new HeadTailCapture();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    c.write(bytes, 0, bytes.length);
    return c.render(note);
  }
}
