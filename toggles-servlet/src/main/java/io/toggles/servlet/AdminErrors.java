package io.toggles.servlet;

import io.toggles.ConflictException;
import io.toggles.SettingNotFoundException;
import io.toggles.StoreException;
import io.toggles.UnknownFeatureException;
import io.toggles.WrongTypeException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps what a request of the admin endpoint threw to the answer: status, code and message. */
final class AdminErrors {
  private static final Logger LOG = LoggerFactory.getLogger(TogglesAdminServlet.class);

  private AdminErrors() {}

  static Reply reply(RuntimeException failure, HttpServletRequest request) {
    if (failure instanceof AdminError e) {
      return new Reply(e.status, Reply.errorBody(e.code, e.getMessage()), e.allow);
    }
    if (failure instanceof IllegalArgumentException
        || failure instanceof WrongTypeException
        || failure instanceof UnknownFeatureException) {
      return Reply.error(400, "bad_request", failure.getMessage());
    }
    if (failure instanceof SettingNotFoundException) {
      return Reply.error(404, "not_found", failure.getMessage());
    }
    if (failure instanceof ConflictException) {
      return Reply.error(409, "conflict", failure.getMessage());
    }
    if (failure instanceof StoreException) {
      LOG.warn("toggles: admin request failed, the store is unavailable: {}", failure.toString());
      return Reply.error(503, "store_unavailable", failure.getMessage());
    }
    LOG.error(
        "toggles: admin request {} {} failed",
        request.getMethod(),
        AdminRoutes.path(request),
        failure);
    return Reply.error(500, "internal", "internal error; the server log has the details");
  }
}
