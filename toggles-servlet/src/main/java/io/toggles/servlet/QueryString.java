package io.toggles.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads parameters from the query string alone, strictly. {@code ServletRequest.getParameter} would
 * also parse (and so consume) a form-encoded body, which the application may want to read itself;
 * and containers decode a malformed UTF-8 sequence ({@code %ff}) as U+FFFD, which would then pass
 * as an ordinary character.
 */
final class QueryString {
  private QueryString() {}

  /**
   * One parameter as it appears in the query string.
   *
   * @param rawName the name as sent, still encoded
   * @param name the decoded name, null if it is not valid URL-encoded UTF-8
   * @param value the decoded value ({@code ""} without {@code =}), null if it is not valid
   *     URL-encoded UTF-8
   */
  record Param(String rawName, @Nullable String name, @Nullable String value) {}

  /** The parameters of {@code query}, in order; empty segments ({@code a=1&&b=2}) are skipped. */
  static List<Param> parse(@Nullable String query) {
    List<Param> out = new ArrayList<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (end > start) {
        int eq = query.indexOf('=', start);
        boolean hasValue = eq >= 0 && eq < end;
        String rawName = query.substring(start, hasValue ? eq : end);
        out.add(
            new Param(
                rawName, decode(rawName), hasValue ? decode(query.substring(eq + 1, end)) : ""));
      }
      start = end + 1;
    }
    return out;
  }

  /**
   * The values of parameter {@code name} in {@code query}, in order, decoded as UTF-8 form
   * encoding; a value that cannot be decoded is returned as {@code null}.
   */
  static List<@Nullable String> values(@Nullable String query, String name) {
    List<@Nullable String> out = new ArrayList<>(1);
    for (Param p : parse(query)) {
      if (name.equals(p.name())) {
        out.add(p.value());
      }
    }
    return out;
  }

  /**
   * Decodes form encoding ({@code +} is a space, {@code %XX} a byte) as strict UTF-8.
   *
   * @return the text, or null for a bad escape or bytes that are not well-formed UTF-8
   */
  static @Nullable String decode(String raw) {
    if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        int hi = i + 2 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
        int lo = hi >= 0 ? hex(raw.charAt(i + 2)) : -1;
        if (lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < raw.length()
          && Character.isLowSurrogate(raw.charAt(i + 1))) {
        // Not sent encoded (a client that does not conform): the character as it is, in UTF-8.
        bytes.writeBytes(raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        return null;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return Utf8.decode(bytes.toByteArray(), bytes.size()).orElse(null);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
