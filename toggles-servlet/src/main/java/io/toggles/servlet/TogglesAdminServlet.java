package io.toggles.servlet;

import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An optional JSON admin endpoint over {@link Toggles} (evaluation, health) and {@link ToggleAdmin}
 * (listing and writes). Nothing registers it: map it yourself under a path of your choice ending in
 * {@code /*}, behind your authentication:
 *
 * <pre>{@code
 * TogglesAdminServlet admin = TogglesAdminServlet.builder(toggles, store)
 *     .authorizer((request, action) -> request.isUserInRole("toggles-admin"))
 *     .allowWrites(true)
 *     .build();
 * servletContext.addServlet("toggles-admin", admin).addMapping("/admin/toggles/*");
 * }</pre>
 *
 * <p>Paths, relative to the mapping:
 *
 * <ul>
 *   <li>{@code GET health}: {@code {"status":"ready","revision":42,"lastSync":"2026-...Z",
 *       "stalenessMillis":180,"lastError":null,"fromSnapshot":false}}; status 200 while ready or
 *       stale (serving the last known values), 503 with {@code "error"} before any load.
 *   <li>{@code GET features?limit=&offset=}: declared features, by key, paginated.
 *   <li>{@code GET features/{key}}: one feature.
 *   <li>{@code GET features/{key}/rows?limit=&offset=}: its rows, most specific first, paginated.
 *   <li>{@code GET eval?feature={key}&<dimension>=<value>...}: the value and its explanation.
 *   <li>{@code GET history?feature=&limit=}: the newest change-log entries first.
 *   <li>{@code POST features/{key}/set}, {@code unset}, {@code kill}, {@code unkill}, {@code POST
 *       revert}: writes, see below.
 * </ul>
 *
 * <p><b>Authorization.</b> The {@link AdminAuthorizer} is asked for every request. Without one,
 * reads are open to whoever reaches the path (protect it with your container's security) and every
 * write is refused. A write also needs {@link Builder#allowWrites(boolean) allowWrites(true)} and
 * an authenticated principal, whose name is recorded as the change's actor; the body must give a
 * {@code reason}.
 *
 * <p><b>Cross-site request forgery.</b> A write must be a {@code POST} with {@code Content-Type:
 * application/json} and the header {@code X-Toggles-Admin: 1}: neither a form post nor a "simple"
 * cross-origin request can send them. A write whose {@code Origin} header is present (a browser's)
 * must come from the {@linkplain Builder#serverName configured server name} or one of the
 * {@linkplain Builder#allowedOrigins allowed origins}; with neither configured, browsers cannot
 * write (clients that send no {@code Origin}, such as scripts, still can). The origin is never
 * compared with the request's own {@code Host} header: under DNS rebinding, a page of {@code
 * http://evil.example} whose name the attacker re-points at this server sends {@code Host:
 * evil.example} and {@code Origin: http://evil.example}, which match each other. The servlet never
 * answers CORS preflights.
 *
 * <p><b>Input and output.</b> Request bodies are capped ({@link Builder#maxBodyBytes}, 413 beyond);
 * pages are capped ({@link Builder#maxPageSize}); unknown query parameters and body fields are
 * refused. Input is strict, and each refusal (400) names the field or parameter:
 *
 * <ul>
 *   <li>a body is well-formed UTF-8 holding one JSON object, nothing after it, each field at most
 *       once at every depth (a parser where the last one wins would read {@code
 *       {"scope":{"merchant":"m1"},"scope":{}}} as a global row);
 *   <li>no string, field name or query parameter holds a control character ({@code value} may hold
 *       tab, line feed and carriage return: a JSON document may span lines) or invalid UTF-8; the
 *       query string is decoded strictly ({@code %ff} is refused, never read as U+FFFD);
 *   <li>a number is read exactly as written, never through a {@code double}: for a {@code DECIMAL}
 *       feature it keeps every digit ({@code 1e-400} is stored as exactly that; more than 100
 *       digits or an exponent beyond ±1000 is refused, never rounded), for a {@code LONG} it must
 *       be an integer in range.
 * </ul>
 *
 * Every response is JSON ({@code application/json; charset=utf-8}, {@code nosniff}, {@code
 * no-store}) written by Jackson, with {@code < > & '} escaped too, so echoed input stays inert.
 * Input is only ever parsed as data.
 *
 * <p><b>Errors</b> are {@code {"error":code,"message":text}}, the message saying what is wrong:
 *
 * <ul>
 *   <li>400 {@code bad_request}: bad input (a malformed key, scope or value, a value of the wrong
 *       type, an unknown field or parameter);
 *   <li>403 {@code forbidden}: refused by the checks above or the authorizer;
 *   <li>404 {@code not_found}: unknown path, or a feature that is not declared;
 *   <li>405 {@code method_not_allowed}, with {@code Allow};
 *   <li>409 {@code refused}: a rule of the write path refuses the write whatever the caller
 *       expected (a kill of a feature with no safe value, a revert of a declaration, ...); the body
 *       also has {@code "rule"}, the {@link io.toggles.WriteRefusedException.Rule} in lower case;
 *   <li>409 {@code conflict}: an expectation failed ({@code expectVersion}), or a revert found its
 *       row changed since;
 *   <li>413 {@code payload_too_large}, 415 {@code unsupported_media_type};
 *   <li>503 {@code store_unavailable}: the store failed; the message is generic (a database's error
 *       text can echo the input or name internals), the server log has the detail, escaped;
 *   <li>500 {@code internal}: a bug, with no detail; the server log has it.
 * </ul>
 *
 * Refusals (4xx) are not logged; only 503 (WARN) and 500 (ERROR) are.
 *
 * <p>After a successful write the servlet syncs its {@link Toggles}, so this node serves the change
 * at once; other nodes follow within their sync interval. Thread-safe.
 */
public final class TogglesAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TogglesAdminServlet.class);

  /** The header a write must carry, with the value {@code 1}. */
  public static final String CSRF_HEADER = "X-Toggles-Admin";

  private final transient AdminRoutes routes;
  private final int maxBodyBytes;

  private TogglesAdminServlet(Builder b) {
    RequestChecks checks =
        new RequestChecks(b.authorizer, b.allowWrites, b.allowedOrigins, b.serverName);
    this.routes =
        new AdminRoutes(
            new AdminReads(b.toggles, b.admin, checks, b.maxPageSize),
            new AdminWrites(b.toggles, b.admin, checks, b.maxBodyBytes));
    this.maxBodyBytes = b.maxBodyBytes;
    if (b.allowWrites && b.authorizer == null) {
      LOG.warn(
          "toggles: admin endpoint has writes allowed but no AdminAuthorizer; every write is"
              + " refused until one is configured");
    }
  }

  /**
   * A builder for an endpoint that evaluates with {@code toggles} and reads and writes through
   * {@code admin}.
   *
   * @throws IllegalArgumentException if the two have different hierarchies
   * @throws NullPointerException if either is null
   */
  public static Builder builder(Toggles toggles, ToggleAdmin admin) {
    return new Builder(toggles, admin);
  }

  /** Serves every method; see the class description for paths and answers. */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Reply reply;
    try {
      reply = routes.route(request);
    } catch (RuntimeException e) {
      reply = AdminErrors.reply(e, request);
    }
    RequestBody.settle(request, response, maxBodyBytes);
    if (reply.allow() != null) {
      response.setHeader("Allow", reply.allow());
    }
    response.setStatus(reply.status());
    Json.write(response, reply.body());
  }

  /** Configures a {@link TogglesAdminServlet}. Not thread-safe. */
  public static final class Builder {
    private final Toggles toggles;
    private final ToggleAdmin admin;
    private @Nullable AdminAuthorizer authorizer;
    private boolean allowWrites;
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private @Nullable String serverName;
    private int maxBodyBytes = 64 * 1024;
    private int maxPageSize = 500;

    private Builder(Toggles toggles, ToggleAdmin admin) {
      if (toggles == null || admin == null) {
        throw new NullPointerException(toggles == null ? "toggles" : "admin");
      }
      if (!toggles.hierarchy().equals(admin.hierarchy())) {
        throw new IllegalArgumentException(
            "the toggles have dimensions "
                + toggles.hierarchy().dimensions()
                + " but the admin store has "
                + admin.hierarchy().dimensions());
      }
      this.toggles = toggles;
      this.admin = admin;
    }

    /**
     * Who may do what. Without an authorizer reads are open and every write is refused.
     *
     * @throws NullPointerException if null
     */
    public Builder authorizer(AdminAuthorizer authorizer) {
      if (authorizer == null) {
        throw new NullPointerException("authorizer");
      }
      this.authorizer = authorizer;
      return this;
    }

    /** Whether writes are served at all; default {@code false} (every write refused, 403). */
    public Builder allowWrites(boolean allowWrites) {
      this.allowWrites = allowWrites;
      return this;
    }

    /**
     * Origins from which browsers may write, as {@code scheme://host} or {@code
     * scheme://host:port}: the one users reach this servlet at (or use {@link #serverName}), an
     * admin UI on another host.
     *
     * @throws IllegalArgumentException if an origin is not of that form
     */
    public Builder allowedOrigins(String... origins) {
      for (String origin : origins) {
        allowedOrigins.add(requireOrigin(origin));
      }
      return this;
    }

    /**
     * The host name users reach this servlet at, as in their browser's address bar ({@code
     * toggles.example.com}, or an IP address): a write whose {@code Origin} is this name, with the
     * request's scheme and port, is accepted. This is what the request's {@code Host} header would
     * give, but configured: a {@code Host} header is chosen by whoever sends the request, and a
     * page that re-points its own domain at this server (DNS rebinding) sends a {@code Host} and an
     * {@code Origin} that match each other. Behind a proxy that changes the scheme or port, give
     * the full origin to {@link #allowedOrigins} instead.
     *
     * @throws IllegalArgumentException if {@code name} is not a host name or IP address alone (no
     *     scheme, port or path)
     */
    public Builder serverName(String name) {
      String problem =
          "server name "
              + LogText.quote(name)
              + " is not a host name or IP address alone (no scheme, port or path)";
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException(problem);
      }
      URI uri;
      try {
        uri = new URI("http://" + name);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(problem, e);
      }
      if (uri.getHost() == null || !uri.getHost().equalsIgnoreCase(name) || uri.getPort() != -1) {
        throw new IllegalArgumentException(problem);
      }
      this.serverName = name.toLowerCase(Locale.ROOT);
      return this;
    }

    private static String requireOrigin(@Nullable String origin) {
      String problem =
          "origin " + LogText.quote(origin) + " is not of the form scheme://host[:port]";
      if (origin == null) {
        throw new IllegalArgumentException(problem);
      }
      URI uri;
      try {
        uri = new URI(origin);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(problem, e);
      }
      if (uri.getScheme() == null
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(problem);
      }
      return origin.toLowerCase(Locale.ROOT);
    }

    /**
     * The largest request body accepted, in bytes; default 65,536. Larger bodies are answered 413.
     *
     * @throws IllegalArgumentException if below 1,024 or above 1,048,576
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1024 || bytes > 1024 * 1024) {
        throw new IllegalArgumentException("max body bytes must be 1024 to 1048576, got " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * The largest page of a list ({@code limit}); default 500. The default page is 100 or this,
     * whichever is smaller.
     *
     * @throws IllegalArgumentException if below 1 or above 10,000
     */
    public Builder maxPageSize(int size) {
      if (size < 1 || size > 10_000) {
        throw new IllegalArgumentException("max page size must be 1 to 10000, got " + size);
      }
      this.maxPageSize = size;
      return this;
    }

    /** The servlet. */
    public TogglesAdminServlet build() {
      return new TogglesAdminServlet(this);
    }
  }
}
