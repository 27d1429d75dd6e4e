package io.toggles.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may do what on the admin endpoint: the authorizer for every request, and the defences every
 * write passes before its body is read (writes enabled, CSRF, origin, an authenticated principal).
 */
final class RequestChecks {
  private final @Nullable AdminAuthorizer authorizer;
  private final boolean allowWrites;
  private final Set<String> allowedOrigins;
  private final @Nullable String serverName;

  /**
   * @param allowedOrigins origins in lower case
   * @param serverName the configured host name in lower case, or null
   */
  RequestChecks(
      @Nullable AdminAuthorizer authorizer,
      boolean allowWrites,
      Set<String> allowedOrigins,
      @Nullable String serverName) {
    this.authorizer = authorizer;
    this.allowWrites = allowWrites;
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.serverName = serverName;
  }

  /**
   * Asks the authorizer; without one, reads are open and writes refused.
   *
   * @throws AdminError 403 if the action is not permitted
   */
  void authorize(HttpServletRequest request, AdminAction action) {
    if (authorizer == null) {
      if (action.isWrite()) {
        throw noAuthorizer();
      }
      return;
    }
    if (!authorizer.permits(request, action)) {
      throw AdminError.forbidden(
          "not permitted: "
              + AdminJson.lower(action.kind())
              + action.feature().map(f -> " of '" + f + "'").orElse(""));
    }
  }

  /**
   * The checks every write passes before its body is read: writes enabled, an authorizer
   * configured, the CSRF defences, an authenticated principal.
   *
   * @return the actor
   * @throws AdminError 403 or 415 for the first check that fails
   */
  String requireWriteRequest(HttpServletRequest request) {
    if (!allowWrites) {
      throw AdminError.forbidden("writes are disabled on this endpoint");
    }
    if (authorizer == null) {
      throw noAuthorizer();
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !originAllowed(request, origin)) {
      throw AdminError.forbidden(
          "cross-origin write refused: origin "
              + LogText.quote(origin)
              + " is not allowed"
              + (allowedOrigins.isEmpty() && serverName == null
                  ? "; browsers write only from origins this endpoint is configured with"
                      + " (serverName or allowedOrigins)"
                  : ""));
    }
    if (!isJson(request.getContentType())) {
      throw new AdminError(
          415, "unsupported_media_type", "writes need Content-Type: application/json");
    }
    if (!"1".equals(request.getHeader(TogglesAdminServlet.CSRF_HEADER))) {
      throw AdminError.forbidden(
          "writes need the header " + TogglesAdminServlet.CSRF_HEADER + ": 1");
    }
    Principal principal = request.getUserPrincipal();
    if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
      throw AdminError.forbidden("writes need an authenticated user, recorded as the actor");
    }
    return principal.getName();
  }

  private static AdminError noAuthorizer() {
    return AdminError.forbidden(
        "writes are refused: no AdminAuthorizer is configured for this endpoint");
  }

  private static boolean isJson(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim().toLowerCase(Locale.ROOT);
      if (param.startsWith("charset=") && !param.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code origin} is configured: one of the allowed origins, or the server name with the
   * request's scheme and port. The host is never the request's own {@code Host} header, which the
   * sender chooses (DNS rebinding); the port may come from it, as it cannot make a foreign host
   * match.
   */
  private boolean originAllowed(HttpServletRequest request, String origin) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(o)) {
      return true;
    }
    if (serverName == null) {
      return false;
    }
    String scheme = request.getScheme().toLowerCase(Locale.ROOT);
    int port = request.getServerPort();
    boolean defaultPort =
        (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return o.equals(scheme + "://" + serverName + (defaultPort ? "" : ":" + port));
  }
}
