/**
 * Jakarta Servlet 6 integration: {@link io.toggles.servlet.TogglesFilter} binds each request's
 * {@link io.toggles.Context} to the request thread, where {@link
 * io.toggles.servlet.RequestContext#current()} finds it; {@link
 * io.toggles.servlet.TogglesAdminServlet} is an optional JSON admin endpoint.
 *
 * <p>Nothing here registers itself: the application adds the filter and, if it wants one, the admin
 * servlet to its servlet context.
 */
@NullMarked
package io.toggles.servlet;

import org.jspecify.annotations.NullMarked;
