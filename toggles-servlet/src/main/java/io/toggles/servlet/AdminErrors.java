package io.toggles.servlet;

import io.toggles.ConflictException;
import io.toggles.SettingNotFoundException;
import io.toggles.StoreException;
import io.toggles.UnknownFeatureException;
import io.toggles.WriteRefusedException;
import io.toggles.WrongTypeException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps what a request of the admin endpoint threw to its answer. Every refusal of the write path is
 * a named exception with a status of its own and its message; only a failure of the store (503,
 * with a generic message: the database's own text may echo input or name internals) and a bug (500)
 * are logged, the store's detail escaped.
 *
 * <table>
 *   <caption>Status and code by exception</caption>
 *   <tr><th>thrown</th><th>status</th><th>code</th></tr>
 *   <tr><td>{@link AdminError}</td><td>its own</td><td>its own</td></tr>
 *   <tr><td>{@link IllegalArgumentException}, {@link WrongTypeException}</td><td>400</td>
 *       <td>{@code bad_request}</td></tr>
 *   <tr><td>{@link UnknownFeatureException}, {@link SettingNotFoundException}</td><td>404</td>
 *       <td>{@code not_found}</td></tr>
 *   <tr><td>{@link WriteRefusedException}</td><td>409</td><td>{@code refused}, with
 *       {@code "rule"}</td></tr>
 *   <tr><td>{@link ConflictException}</td><td>409</td><td>{@code conflict}</td></tr>
 *   <tr><td>{@link StoreException}</td><td>503</td><td>{@code store_unavailable}</td></tr>
 *   <tr><td>anything else</td><td>500</td><td>{@code internal}</td></tr>
 * </table>
 */
final class AdminErrors {
  private static final Logger LOG = LoggerFactory.getLogger(TogglesAdminServlet.class);

  static final String STORE_UNAVAILABLE =
      "the store is unavailable; the server log has the details";

  private AdminErrors() {}

  static Reply reply(RuntimeException failure, HttpServletRequest request) {
    if (failure instanceof AdminError e) {
      return new Reply(e.status, Reply.errorBody(e.code, e.getMessage()), e.allow);
    }
    if (failure instanceof IllegalArgumentException || failure instanceof WrongTypeException) {
      return Reply.error(400, "bad_request", failure.getMessage());
    }
    if (failure instanceof UnknownFeatureException || failure instanceof SettingNotFoundException) {
      return Reply.error(404, "not_found", failure.getMessage());
    }
    if (failure instanceof WriteRefusedException e) {
      Reply reply = Reply.error(409, "refused", e.getMessage());
      reply.body().put("rule", AdminJson.lower(e.rule()));
      return reply;
    }
    if (failure instanceof ConflictException) {
      return Reply.error(409, "conflict", failure.getMessage());
    }
    if (failure instanceof StoreException) {
      LOG.warn(
          "toggles: admin request {} {} failed, the store is unavailable: {}",
          request.getMethod(),
          LogText.escape(AdminRoutes.path(request), 200),
          LogText.causes(failure, 2000));
      return Reply.error(503, "store_unavailable", STORE_UNAVAILABLE);
    }
    LOG.error(
        "toggles: admin request {} {} failed",
        request.getMethod(),
        LogText.escape(AdminRoutes.path(request), 200),
        failure);
    return Reply.error(500, "internal", "internal error; the server log has the details");
  }
}
