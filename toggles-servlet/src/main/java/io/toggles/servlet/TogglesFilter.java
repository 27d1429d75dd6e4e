package io.toggles.servlet;

import io.toggles.Context;
import io.toggles.Hierarchy;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each request's {@link Context} with a {@link ContextExtractor} and binds it to the request
 * thread for the rest of the filter chain, where {@link RequestContext#current()} finds it.
 *
 * <p>The binding is removed in a {@code finally} block when the chain returns: also when it throws,
 * and also when the request went asynchronous, so a container thread never carries a context into
 * the next request. Async continuations on other threads must carry the context themselves, see
 * {@link RequestContext}. If an extractor throws {@link ScopeRejectedException}, the request is
 * answered 400 with a JSON body {@code {"error":"bad_scope","dimension":...,"message":...}} and the
 * chain does not run.
 *
 * <p><b>Leftover bindings.</b> A context already bound when a request enters means some code bound
 * one and never closed it (a leak). The filter logs it at ERROR and replaces it, rather than
 * failing: refusing would fail an innocent request and, as the leak stays on the pooled thread,
 * every later request that thread serves; replacing gives this request its own correct context and
 * the {@code finally} clears the thread. A nested dispatch of the same request (forward, include,
 * error, async dispatch with the filter mapped for those dispatcher types) is not a leak: it keeps
 * the binding of the thread it runs on, or, on an unbound thread, binds again the context extracted
 * when the request first entered; it never extracts again.
 *
 * <p>Nothing registers this filter automatically; add it to the servlet context yourself, with
 * {@code asyncSupported} if any servlet behind it is asynchronous:
 *
 * <pre>{@code
 * FilterRegistration.Dynamic f =
 *     servletContext.addFilter("toggles", TogglesFilter.of(RequestScopeExtractor.of(hierarchy)));
 * f.setAsyncSupported(true);
 * f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), true, "/*");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TogglesFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(TogglesFilter.class);

  /** The request attribute holding the context extracted for this request. */
  static final String CONTEXT_ATTRIBUTE = TogglesFilter.class.getName() + ".context";

  private final ContextExtractor extractor;

  private TogglesFilter(ContextExtractor extractor) {
    this.extractor = Objects.requireNonNull(extractor, "extractor");
  }

  /**
   * A filter that builds contexts with {@code extractor}.
   *
   * @throws NullPointerException if {@code extractor} is null
   */
  public static TogglesFilter of(ContextExtractor extractor) {
    return new TogglesFilter(extractor);
  }

  /**
   * A filter with the default extractor of {@code hierarchy}: headers, then query parameters,
   * invalid values dropped. Same as {@code of(RequestScopeExtractor.of(hierarchy))}.
   */
  public static TogglesFilter of(Hierarchy hierarchy) {
    return new TogglesFilter(RequestScopeExtractor.of(hierarchy));
  }

  /**
   * Binds the request's context, runs the chain, and unbinds.
   *
   * @throws ServletException as the chain does
   * @throws IOException as the chain does, or writing a 400 answer
   */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    Context bound = RequestContext.bound().orElse(null);
    if (request.getAttribute(CONTEXT_ATTRIBUTE) instanceof Context extracted) {
      // A nested dispatch (forward, include, error) on the thread that is already bound, or an
      // async dispatch on another thread: keep, or bind again, what was extracted at entry.
      if (bound != null) {
        chain.doFilter(request, response);
      } else {
        runBound(extracted, null, request, response, chain);
      }
      return;
    }
    Context context;
    try {
      context = extractor.extract(request);
    } catch (ScopeRejectedException e) {
      reject(request, response, e);
      return;
    }
    Objects.requireNonNull(context, "the ContextExtractor returned null");
    request.setAttribute(CONTEXT_ATTRIBUTE, context);
    runBound(context, bound, request, response, chain);
  }

  private static void runBound(
      Context context,
      @Nullable Context leftover,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    if (leftover != null) {
      LOG.error(
          "toggles: thread {} still had a context bound ({}) when a request entered: a binding"
              + " leaked (a RequestContext.bind that was not closed?); replacing it",
          LogText.escape(Thread.currentThread().getName(), 100),
          LogText.escape(leftover.toString(), 300));
    }
    RequestContext.set(context);
    try {
      chain.doFilter(request, response);
    } finally {
      RequestContext.set(null);
    }
  }

  private static void reject(
      HttpServletRequest request, HttpServletResponse response, ScopeRejectedException e)
      throws IOException {
    if (response.isCommitted()) {
      throw new IllegalStateException("response already committed", e);
    }
    response.resetBuffer();
    if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
      // The body stays unread: tell the client not to reuse this connection.
      response.setHeader("Connection", "close");
    }
    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
    Json.write(
        response,
        Json.object()
            .put("error", "bad_scope")
            .put("dimension", e.dimension())
            .put("message", e.getMessage()));
  }
}
