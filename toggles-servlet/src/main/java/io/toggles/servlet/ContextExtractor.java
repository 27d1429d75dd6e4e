package io.toggles.servlet;

import io.toggles.Context;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Builds the {@link Context} of a request. {@link TogglesFilter} calls it once per request, before
 * the rest of the chain, and binds the result with {@link RequestContext}.
 *
 * <p>The default, {@link RequestScopeExtractor}, reads request headers and query parameters named
 * after the dimensions. Write your own to take values from elsewhere; validate each value with
 * {@link io.toggles.Scope#requireValidValue} so that malformed input never reaches a check. From
 * the authenticated principal and the path, for instance:
 *
 * <pre>{@code
 * ContextExtractor fromPrincipalAndPath = request -> {
 *   Context.Builder c = hierarchy.context();
 *   Principal user = request.getUserPrincipal();
 *   if (user != null) {
 *     c.with("merchant", Scope.requireValidValue("merchant", user.getName()));
 *   }
 *   String path = request.getPathInfo(); // e.g. "/products/shoes/checkout"
 *   if (path != null && path.startsWith("/products/")) {
 *     String product = path.split("/", 4)[2];
 *     try {
 *       c.with("product", Scope.requireValidValue("product", product));
 *     } catch (IllegalArgumentException e) {
 *       throw new ScopeRejectedException("product", e.getMessage());
 *     }
 *   }
 *   return c.build();
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe: one instance serves all requests concurrently.
 */
@FunctionalInterface
public interface ContextExtractor {

  /**
   * The context of {@code request}, of the hierarchy the application's {@link io.toggles.Toggles}
   * use. Must not read the request body.
   *
   * @throws ScopeRejectedException to refuse the request: the filter answers 400 and the rest of
   *     the chain does not run
   */
  Context extract(HttpServletRequest request);
}
