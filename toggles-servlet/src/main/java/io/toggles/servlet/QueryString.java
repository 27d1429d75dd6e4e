package io.toggles.servlet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads parameters from the query string alone. {@code ServletRequest.getParameter} would also
 * parse (and so consume) a form-encoded body, which the application may want to read itself.
 */
final class QueryString {
  private QueryString() {}

  /**
   * The values of parameter {@code name} in {@code query}, in order, decoded as UTF-8 form
   * encoding; a value that cannot be decoded is returned as {@code null}.
   */
  static List<@Nullable String> values(@Nullable String query, String name) {
    List<@Nullable String> out = new ArrayList<>(1);
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
        if (name.equals(decode(rawName))) {
          out.add(hasValue ? decode(query.substring(eq + 1, end)) : "");
        }
      }
      start = end + 1;
    }
    return out;
  }

  private static @Nullable String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
