package io.toggles;

import org.jspecify.annotations.Nullable;

/** Message helpers: quoting user input so that it cannot forge log lines or hide in whitespace. */
final class Texts {
  private static final int MAX_ECHO = 80;

  private Texts() {}

  /** Quotes a value for an error message, escaping control characters and cutting long input. */
  static String quote(@Nullable String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_ECHO) + 8).append('\'');
    for (int i = 0; i < value.length() && i < MAX_ECHO; i++) {
      char c = value.charAt(i);
      if (c == '\'' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('\'');
    if (value.length() > MAX_ECHO) {
      out.append("... (").append(value.length()).append(" chars)");
    }
    return out.toString();
  }
}
