package io.toggles.servlet;

import org.jspecify.annotations.Nullable;

/** A request the admin servlet answers with an error status; internal control flow only. */
final class AdminError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final @Nullable String allow;

  AdminError(int status, String code, String message) {
    this(status, code, message, null);
  }

  private AdminError(int status, String code, String message, @Nullable String allow) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.allow = allow;
  }

  static AdminError methodNotAllowed(String allow) {
    return new AdminError(
        405, "method_not_allowed", "this path answers only " + allow + " requests", allow);
  }

  static AdminError badRequest(String message) {
    return new AdminError(400, "bad_request", message);
  }

  static AdminError forbidden(String message) {
    return new AdminError(403, "forbidden", message);
  }

  static AdminError notFound(String message) {
    return new AdminError(404, "not_found", message);
  }
}
