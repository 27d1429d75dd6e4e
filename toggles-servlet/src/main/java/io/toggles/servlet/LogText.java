package io.toggles.servlet;

import org.jspecify.annotations.Nullable;

/** Renders untrusted text for log lines: escaped (printable ASCII only) and cut short. */
final class LogText {

  private LogText() {}

  /** {@code text} escaped and cut at 80 characters, in single quotes: for error messages. */
  static String quote(@Nullable String text) {
    return "'" + escape(text, 80) + "'";
  }

  /**
   * Every character outside printable ASCII becomes a {@code \\uXXXX} escape, so that input cannot
   * forge log lines or hide in control or bidi characters; more than {@code max} characters are
   * cut, so that it cannot flood the log.
   */
  static String escape(@Nullable String text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
    int i = 0;
    for (; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (i < text.length()) {
      out.append("... (").append(text.length()).append(" chars)");
    }
    return out.toString();
  }

  /**
   * {@code failure} and its causes, each as {@code Type: message}, joined by {@code "; caused by "}
   * and escaped as {@link #escape}: a database's error text may quote the input that failed.
   */
  static String causes(Throwable failure, int max) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
      if (depth > 0) {
        out.append("; caused by ");
      }
      out.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return escape(out.toString(), max);
  }
}
