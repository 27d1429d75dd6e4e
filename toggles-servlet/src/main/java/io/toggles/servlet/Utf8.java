package io.toggles.servlet;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict UTF-8 decoding of request bytes. The JDK's usual decoding (and a container's) turns a
 * malformed sequence into U+FFFD, which would then pass as an ordinary character.
 */
final class Utf8 {
  private Utf8() {}

  /** {@code bytes} decoded, or empty if they are not well-formed UTF-8. */
  static Optional<String> decode(byte[] bytes, int length) {
    try {
      return Optional.of(decoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * Decoded text with its malformed sequences replaced.
   *
   * @param text the decoded text
   * @param firstMalformed the offset of the first malformed byte, -1 if there is none
   */
  record Marked(String text, long firstMalformed) {}

  /**
   * {@code bytes} decoded, each malformed byte sequence replaced by {@code replacement}: for a JSON
   * body, text that the parser reads as a character the field checks refuse, so that the message
   * names the field.
   */
  static Marked decodeMarking(byte[] bytes, String replacement) {
    CharsetDecoder decoder = decoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 16);
    StringBuilder text = new StringBuilder(bytes.length);
    long firstMalformed = -1;
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      out.flip();
      text.append(out);
      out.clear();
      if (r.isUnderflow()) {
        break;
      }
      if (r.isError()) {
        if (firstMalformed < 0) {
          firstMalformed = in.position();
        }
        text.append(replacement);
        in.position(in.position() + r.length());
      }
    }
    decoder.flush(out);
    out.flip();
    text.append(out);
    return new Marked(text.toString(), firstMalformed);
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
