package io.toggles.servlet;

/** A request the admin servlet answers with an error status; internal control flow only. */
final class AdminError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  AdminError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
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
