package io.toggles.internal;

/**
 * Stored text made safe to show on a terminal or in a line-oriented view: control characters (C0,
 * DEL, C1), bidirectional formatting characters and line or paragraph separators become <code>
 * &#92;uXXXX</code> escapes, so that a value cannot clear a screen, set a window title, reverse the
 * text around it or forge a line; every other character, letters of any script included, is kept.
 *
 * <p>Escaping is idempotent (an escape is made only of safe characters). It is not reversible: a
 * stored text that contains <code>&#92;u001b</code> literally shows the same as one holding an ESC;
 * the JSON output of the tools is the exact form. No compatibility promise (see the package).
 * Stateless and thread-safe.
 */
public final class DisplayText {
  /** What marks text cut by {@link #escape(String, int)}: {@code "... (65536 chars)"}. */
  static final String CUT_MARKER = "... (%d chars)";

  private DisplayText() {}

  /**
   * Whether a character is shown escaped: a control character, a bidirectional formatting character
   * (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) or a line or paragraph separator
   * (U+2028, U+2029).
   */
  public static boolean isUnsafe(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u061c'
        || c == '\u200e'
        || c == '\u200f'
        || (c >= '\u2028' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  /** The text with every {@linkplain #isUnsafe unsafe} character escaped, whole. */
  public static String escape(String text) {
    return escape(text, Integer.MAX_VALUE);
  }

  /**
   * The text escaped as {@link #escape(String)} and cut after at most {@code max} characters of
   * output, with a marker giving the whole text's length: {@code "abc... (65536 chars)"}. An escape
   * or a surrogate pair is never cut in half.
   *
   * @param max how many characters of the text to show, at least 1
   * @throws IllegalArgumentException if {@code max} is below 1
   */
  public static String escape(String text, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    if (text.length() <= max && isSafe(text)) {
      return text; // the common case: nothing to escape or cut, no copy
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 24);
    int i = 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      int width = isUnsafe(c) ? 6 : Character.isHighSurrogate(c) ? 2 : 1;
      if (out.length() + width > max) {
        break;
      }
      if (isUnsafe(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
        if (width == 2 && i + 1 < text.length()) {
          out.append(text.charAt(++i));
        }
      }
    }
    if (i < text.length()) {
      out.append(String.format(CUT_MARKER, text.length()));
    }
    return out.toString();
  }

  private static boolean isSafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isUnsafe(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
