package io.toggles.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The query parameters of an admin request: each at most once, only those a path takes. */
final class QueryParams {
  private static final String NOT_UTF8 = " is not valid URL-encoded UTF-8";

  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  /**
   * The parameters of {@code request}'s query string, decoded as strict UTF-8.
   *
   * @throws AdminError 400 for a parameter not in {@code allowed}, given more than once, not valid
   *     URL-encoded UTF-8, or with a control character
   */
  static QueryParams of(HttpServletRequest request, Set<String> allowed) {
    Map<String, String> out = new HashMap<>();
    for (QueryString.Param param : QueryString.parse(request.getQueryString())) {
      String name = param.name();
      if (name == null) {
        throw AdminError.badRequest(
            "query parameter name " + LogText.quote(param.rawName()) + NOT_UTF8);
      }
      if (!allowed.contains(name)) {
        throw AdminError.badRequest(
            "unknown query parameter "
                + LogText.quote(name)
                + (allowed.isEmpty() ? "; this path takes none" : "; expected " + allowed));
      }
      String value = param.value();
      if (value == null) {
        throw AdminError.badRequest("query parameter '" + name + "'" + NOT_UTF8);
      }
      if (out.put(name, InputText.require("query parameter '" + name + "'", value, false))
          != null) {
        throw AdminError.badRequest("query parameter '" + name + "' is given more than once");
      }
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
