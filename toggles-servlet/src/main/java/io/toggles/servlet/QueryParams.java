package io.toggles.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The query parameters of an admin request: each at most once, only those a path takes. */
final class QueryParams {
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  /**
   * The parameters of {@code request}.
   *
   * @throws AdminError 400 for a parameter not in {@code allowed} or given more than once
   */
  static QueryParams of(HttpServletRequest request, Set<String> allowed) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw AdminError.badRequest(
            "unknown query parameter "
                + LogText.quote(e.getKey())
                + (allowed.isEmpty() ? "; this path takes none" : "; expected " + allowed));
      }
      if (e.getValue().length != 1) {
        throw AdminError.badRequest("query parameter '" + e.getKey() + "' is given more than once");
      }
      out.put(e.getKey(), e.getValue()[0]);
    }
    return new QueryParams(out);
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /**
   * The integer parameter {@code name}, {@code dflt} if absent.
   *
   * @throws AdminError 400 if it is not an integer from {@code min} to {@code max}
   */
  int integer(String name, int dflt, int min, int max) {
    String text = values.get(name);
    if (text == null) {
      return dflt;
    }
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw AdminError.badRequest(
          "query parameter '" + name + "' is not an integer: " + LogText.quote(text));
    }
    if (v < min || v > max) {
      throw AdminError.badRequest(
          "query parameter '" + name + "' must be " + min + " to " + max + ", got " + v);
    }
    return v;
  }
}
