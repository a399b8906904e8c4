package io.ruqi.migrate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text out of a pickle: a Python unicode string as it is; a Python 2 {@code str} or Python 3 {@code bytes} decoded as
 * UTF-8 (RuQi's sources say {@code coding=utf8}), or, if they are not UTF-8, one char per byte.
 */
final class PyText {

  private PyText() {
  }

  static String of(Object value) {
    if (value instanceof String s) {
      return s;
    }
    byte[] bytes = value instanceof PyBytes py2 ? py2.bytes() : value instanceof byte[] py3 ? py3 : null;
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }
}
