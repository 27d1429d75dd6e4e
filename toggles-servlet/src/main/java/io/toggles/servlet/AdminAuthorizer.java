package io.toggles.servlet;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whether the caller of a request may perform an action of {@link TogglesAdminServlet}.
 * Supplied by the application, typically from its own roles:
 *
 * <pre>{@code
 * AdminAuthorizer byRole = (request, action) ->
 *     action.isWrite() ? request.isUserInRole("toggles-admin") : request.isUserInRole("staff");
 * }</pre>
 *
 * <p>It is asked for every request the servlet serves, reads included; a write additionally needs
 * the servlet's writes enabled and an authenticated principal, checked before the authorizer is
 * asked. Must be thread-safe; must not read the request body. An exception it throws refuses the
 * request (500).
 */
@FunctionalInterface
public interface AdminAuthorizer {

  /** Whether the caller of {@code request} may perform {@code action}. */
  boolean permits(HttpServletRequest request, AdminAction action);
}
