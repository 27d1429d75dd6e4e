package io.toggles.servlet;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ConflictException;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Health;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingNotFoundException;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.UnknownFeatureException;
import io.toggles.WrongTypeException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * cross-origin request can send them. A request whose {@code Origin} header is present must come
 * from the servlet's own origin or one of the {@linkplain Builder#allowedOrigins allowed origins}.
 * The servlet never answers CORS preflights.
 *
 * <p><b>Input and output.</b> Request bodies are capped ({@link Builder#maxBodyBytes}, 413 beyond);
 * pages are capped ({@link Builder#maxPageSize}); unknown query parameters and body fields are
 * refused. Every response is JSON ({@code application/json; charset=utf-8}, {@code nosniff}, {@code
 * no-store}) written by Jackson, with {@code < > & '} escaped too, so echoed input stays inert.
 * Input is only ever parsed as data. Errors are {@code {"error":code,"message":text}}: 400 for bad
 * input, unknown features and wrong types, 403 refused, 404 unknown path, 405 wrong method, 409
 * conflicts, 413 body too large, 415 wrong content type, 503 store unavailable, 500 anything else
 * (with no detail; the server log has it).
 *
 * <p>After a successful write the servlet syncs its {@link Toggles}, so this node serves the change
 * at once; other nodes follow within their sync interval. Thread-safe.
 */
public final class TogglesAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TogglesAdminServlet.class);

  /** The header a write must carry, with the value {@code 1}. */
  public static final String CSRF_HEADER = "X-Toggles-Admin";

  private static final Set<String> PAGE_PARAMS = Set.of("limit", "offset");
  private static final String BODY_READ = TogglesAdminServlet.class.getName() + ".bodyRead";

  private final transient Toggles toggles;
  private final transient ToggleAdmin admin;
  private final transient Hierarchy hierarchy;
  private final transient @Nullable AdminAuthorizer authorizer;
  private final boolean allowWrites;
  private final Set<String> allowedOrigins;
  private final int maxBodyBytes;
  private final int maxPageSize;

  private TogglesAdminServlet(Builder b) {
    this.toggles = b.toggles;
    this.admin = b.admin;
    this.hierarchy = b.toggles.hierarchy();
    this.authorizer = b.authorizer;
    this.allowWrites = b.allowWrites;
    this.allowedOrigins = Set.copyOf(b.allowedOrigins);
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxPageSize = b.maxPageSize;
    if (allowWrites && authorizer == null) {
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
    int status;
    ObjectNode body;
    try {
      Reply reply = route(request);
      status = reply.status();
      body = reply.body();
    } catch (AdminError e) {
      status = e.status;
      body = error(e.code, e.getMessage());
      if (e.allow != null) {
        response.setHeader("Allow", e.allow);
      }
    } catch (IllegalArgumentException | WrongTypeException | UnknownFeatureException e) {
      status = 400;
      body = error("bad_request", e.getMessage());
    } catch (SettingNotFoundException e) {
      status = 404;
      body = error("not_found", e.getMessage());
    } catch (ConflictException e) {
      status = 409;
      body = error("conflict", e.getMessage());
    } catch (StoreException e) {
      LOG.warn("toggles: admin request failed, the store is unavailable: {}", e.toString());
      status = 503;
      body = error("store_unavailable", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("toggles: admin request {} {} failed", request.getMethod(), path(request), e);
      status = 500;
      body = error("internal", "internal error; the server log has the details");
    }
    settleBody(request, response);
    response.setStatus(status);
    Json.write(response, body);
  }

  /**
   * Makes sure the connection can serve the next request: a request refused before its body was
   * read has the rest of its body, up to the cap, read and discarded; a larger one (or one that
   * cannot be read) closes the connection, so a client never sends its next request on a connection
   * the server is about to drop.
   */
  private void settleBody(HttpServletRequest request, HttpServletResponse response) {
    if (request.getAttribute(BODY_READ) == Boolean.TRUE || request.getContentLengthLong() == 0) {
      return;
    }
    boolean drained;
    if (request.getContentLengthLong() > maxBodyBytes) {
      drained = false;
    } else {
      try {
        drained = request.getInputStream().readNBytes(maxBodyBytes + 1).length <= maxBodyBytes;
      } catch (IOException | IllegalStateException e) {
        drained = false;
      }
    }
    if (!drained) {
      response.setHeader("Connection", "close");
    }
  }

  private static ObjectNode error(String code, @Nullable String message) {
    return Json.object().put("error", code).put("message", message == null ? code : message);
  }

  private static String path(HttpServletRequest request) {
    String p = request.getPathInfo();
    return p == null ? "/" : p;
  }

  // ---------------------------------------------------------------- routing

  private Reply route(HttpServletRequest request) {
    String[] parts = path(request).replaceAll("^/+|/+$", "").split("/", -1);
    String method = request.getMethod();
    if (parts.length == 1 && parts[0].equals("health")) {
      requireGet(method);
      return health(request);
    }
    if (parts.length == 1 && parts[0].equals("features")) {
      requireGet(method);
      return Reply.ok(listFeatures(request));
    }
    if (parts.length == 1 && parts[0].equals("eval")) {
      requireGet(method);
      return Reply.ok(evaluate(request));
    }
    if (parts.length == 1 && parts[0].equals("history")) {
      requireGet(method);
      return Reply.ok(history(request));
    }
    if (parts.length == 1 && parts[0].equals("revert")) {
      requirePost(method);
      return Reply.ok(revert(request));
    }
    if (parts.length == 2 && parts[0].equals("features")) {
      requireGet(method);
      return Reply.ok(readFeature(request, FeatureDefinition.requireValidKey(parts[1])));
    }
    if (parts.length == 3 && parts[0].equals("features")) {
      String key = parts[1];
      switch (parts[2]) {
        case "rows":
          requireGet(method);
          return Reply.ok(listRows(request, FeatureDefinition.requireValidKey(key)));
        case "set":
          requirePost(method);
          return Reply.ok(
              write(request, AdminAction.Kind.SET, FeatureDefinition.requireValidKey(key)));
        case "unset":
          requirePost(method);
          return Reply.ok(
              write(request, AdminAction.Kind.UNSET, FeatureDefinition.requireValidKey(key)));
        case "kill":
          requirePost(method);
          return Reply.ok(
              write(request, AdminAction.Kind.KILL, FeatureDefinition.requireValidKey(key)));
        case "unkill":
          requirePost(method);
          return Reply.ok(
              write(request, AdminAction.Kind.UNKILL, FeatureDefinition.requireValidKey(key)));
        default:
          break;
      }
    }
    throw AdminError.notFound(
        "no such admin path; expected health, features, features/{key}, features/{key}/rows,"
            + " features/{key}/(set|unset|kill|unkill), eval, history or revert");
  }

  private static void requireGet(String method) {
    if (!method.equals("GET")) {
      throw AdminError.methodNotAllowed("GET");
    }
  }

  private static void requirePost(String method) {
    if (!method.equals("POST")) {
      throw AdminError.methodNotAllowed("POST");
    }
  }

  private void authorize(HttpServletRequest request, AdminAction action) {
    if (authorizer == null) {
      if (action.isWrite()) {
        throw AdminError.forbidden(
            "writes are refused: no AdminAuthorizer is configured for this endpoint");
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

  // ---------------------------------------------------------------- reads

  private Reply health(HttpServletRequest request) {
    params(request, Set.of());
    authorize(request, new AdminAction(AdminAction.Kind.HEALTH, Optional.empty()));
    Health h = toggles.health();
    ObjectNode body =
        Json.object()
            .put("status", h.status().name().toLowerCase(Locale.ROOT))
            .put("revision", h.revision())
            .put("lastSync", h.lastSync().map(Instant::toString).orElse(null))
            .put("stalenessMillis", h.staleness().toMillis())
            .put("lastError", h.lastError().orElse(null))
            .put("fromSnapshot", h.fromSnapshot());
    // Stale still serves values (the last known ones): only "error" is unavailable.
    return new Reply(h.status() == Health.Status.ERROR ? 503 : 200, body);
  }

  /** A successful answer: its status and body. */
  private record Reply(int status, ObjectNode body) {
    static Reply ok(ObjectNode body) {
      return new Reply(200, body);
    }
  }

  private ObjectNode listFeatures(HttpServletRequest request) {
    Map<String, String> p = params(request, PAGE_PARAMS);
    authorize(request, new AdminAction(AdminAction.Kind.LIST_FEATURES, Optional.empty()));
    List<String> keys = new ArrayList<>();
    for (FeatureDefinition d : admin.features()) {
      keys.add(d.key());
    }
    keys.sort(Comparator.naturalOrder());
    Page page = page(p, keys.size());
    ObjectNode out = Json.object();
    ArrayNode features = out.putArray("features");
    for (String key : keys.subList(page.from, page.to)) {
      features.add(AdminJson.feature(admin.read(key)));
    }
    page.describe(out);
    return out;
  }

  private ObjectNode readFeature(HttpServletRequest request, String key) {
    params(request, Set.of());
    authorize(request, new AdminAction(AdminAction.Kind.READ_FEATURE, Optional.of(key)));
    FeatureState state = admin.read(key);
    if (state.definition().isEmpty() && state.rows().isEmpty()) {
      throw AdminError.notFound("feature '" + key + "' is not declared and has no rows");
    }
    return AdminJson.feature(state);
  }

  private ObjectNode listRows(HttpServletRequest request, String key) {
    Map<String, String> p = params(request, PAGE_PARAMS);
    authorize(request, new AdminAction(AdminAction.Kind.LIST_ROWS, Optional.of(key)));
    FeatureState state = admin.read(key);
    List<Setting> rows = new ArrayList<>(state.rows());
    rows.sort(ROW_ORDER);
    Page page = page(p, rows.size());
    ObjectNode out = Json.object().put("feature", key).put("revision", state.revision());
    ArrayNode list = out.putArray("rows");
    for (Setting s : rows.subList(page.from, page.to)) {
      list.add(AdminJson.row(s));
    }
    page.describe(out);
    return out;
  }

  /** Most specific first, then by values (absent first) dimension by dimension: a stable order. */
  private static final Comparator<Setting> ROW_ORDER =
      (a, b) -> {
        int c = Integer.compare(b.scope().rank(), a.scope().rank());
        for (int i = 0; c == 0 && i < a.scope().hierarchy().size(); i++) {
          String x = a.scope().value(i).orElse("");
          String y = b.scope().value(i).orElse("");
          c = x.compareTo(y);
        }
        return c;
      };

  private ObjectNode evaluate(HttpServletRequest request) {
    Set<String> allowed = new LinkedHashSet<>(hierarchy.dimensions());
    allowed.add("feature");
    Map<String, String> p = params(request, allowed);
    String feature = p.get("feature");
    if (feature == null) {
      throw AdminError.badRequest("query parameter 'feature' is required");
    }
    FeatureDefinition.requireValidKey(feature);
    Context.Builder context = hierarchy.context();
    for (String dimension : hierarchy.dimensions()) {
      String value = p.get(dimension);
      if (value != null) {
        context.with(dimension, Scope.requireValidValue(dimension, value));
      }
    }
    authorize(request, new AdminAction(AdminAction.Kind.EVALUATE, Optional.of(feature)));
    return AdminJson.explanation(toggles.explain(feature, context.build()));
  }

  private ObjectNode history(HttpServletRequest request) {
    Map<String, String> p = params(request, Set.of("feature", "limit"));
    Optional<String> feature =
        Optional.ofNullable(p.get("feature")).map(FeatureDefinition::requireValidKey);
    int limit = intParam(p, "limit", Math.min(100, maxPageSize), 1, maxPageSize);
    authorize(request, new AdminAction(AdminAction.Kind.HISTORY, feature));
    ObjectNode out = Json.object();
    ArrayNode changes = out.putArray("changes");
    for (Change c : admin.history(feature, limit)) {
      changes.add(AdminJson.change(c));
    }
    return out;
  }

  /** The query parameters, each at most once and all of them in {@code allowed}. */
  private static Map<String, String> params(HttpServletRequest request, Set<String> allowed) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw AdminError.badRequest(
            "unknown query parameter "
                + quote(e.getKey())
                + (allowed.isEmpty() ? "; this path takes none" : "; expected " + allowed));
      }
      if (e.getValue().length != 1) {
        throw AdminError.badRequest("query parameter '" + e.getKey() + "' is given more than once");
      }
      out.put(e.getKey(), e.getValue()[0]);
    }
    return out;
  }

  private static int intParam(Map<String, String> p, String name, int dflt, int min, int max) {
    String text = p.get(name);
    if (text == null) {
      return dflt;
    }
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw AdminError.badRequest(
          "query parameter '" + name + "' is not an integer: " + quote(text));
    }
    if (v < min || v > max) {
      throw AdminError.badRequest(
          "query parameter '" + name + "' must be " + min + " to " + max + ", got " + v);
    }
    return v;
  }

  private Page page(Map<String, String> p, int total) {
    int limit = intParam(p, "limit", Math.min(100, maxPageSize), 1, maxPageSize);
    int offset = intParam(p, "offset", 0, 0, Integer.MAX_VALUE);
    int from = Math.min(offset, total);
    int to = (int) Math.min((long) from + limit, total);
    return new Page(offset, limit, total, from, to);
  }

  private record Page(int offset, int limit, int total, int from, int to) {
    void describe(ObjectNode out) {
      out.put("total", total).put("offset", offset).put("limit", limit);
      if (to < total) {
        out.put("nextOffset", to);
      } else {
        out.putNull("nextOffset");
      }
    }
  }

  // ---------------------------------------------------------------- writes

  private ObjectNode write(HttpServletRequest request, AdminAction.Kind kind, String feature) {
    String actor = checkWriteRequest(request);
    ObjectNode body = readBody(request);
    Audit audit;
    Change change;
    switch (kind) {
      case SET:
        {
          Fields f = new Fields(body, "scope", "value", "expectVersion", "reason");
          Scope scope = scope(f.requireObject("scope"));
          JsonNode valueNode = f.require("value");
          Expect expect = expect(f);
          audit = Audit.of(actor, f.requireText("reason"));
          authorize(request, new AdminAction(kind, Optional.of(feature)));
          FeatureDefinition def =
              admin
                  .read(feature)
                  .definition()
                  .orElseThrow(() -> new UnknownFeatureException(feature));
          SettingValue value = def.type().parse(valueText(valueNode));
          change = admin.set(feature, scope, value, expect, audit);
          break;
        }
      case UNSET:
        {
          Fields f = new Fields(body, "scope", "expectVersion", "reason");
          Scope scope = scope(f.requireObject("scope"));
          Expect expect = expect(f);
          audit = Audit.of(actor, f.requireText("reason"));
          authorize(request, new AdminAction(kind, Optional.of(feature)));
          change = admin.unset(feature, scope, expect, audit);
          break;
        }
      case KILL:
      case UNKILL:
        {
          Fields f = new Fields(body, "reason");
          audit = Audit.of(actor, f.requireText("reason"));
          authorize(request, new AdminAction(kind, Optional.of(feature)));
          Optional<Change> done =
              kind == AdminAction.Kind.KILL
                  ? admin.kill(feature, audit)
                  : admin.unkill(feature, audit);
          if (done.isEmpty()) {
            return written(null);
          }
          change = done.get();
          break;
        }
      default:
        throw new AssertionError(kind);
    }
    return written(change);
  }

  private ObjectNode revert(HttpServletRequest request) {
    String actor = checkWriteRequest(request);
    Fields f = new Fields(readBody(request), "revision", "reason");
    JsonNode rev = f.require("revision");
    if (!rev.canConvertToLong() || !rev.isIntegralNumber() || rev.asLong() < 1) {
      throw AdminError.badRequest("'revision' must be a positive integer");
    }
    long revision = rev.asLong();
    Audit audit = Audit.of(actor, f.requireText("reason"));
    Change target =
        admin
            .change(revision)
            .orElseThrow(() -> AdminError.badRequest("no change at revision " + revision));
    authorize(request, new AdminAction(AdminAction.Kind.REVERT, Optional.of(target.feature())));
    return written(admin.revert(revision, audit));
  }

  private ObjectNode written(@Nullable Change change) {
    ObjectNode out = Json.object().put("changed", change != null);
    out.set("change", change == null ? null : AdminJson.change(change));
    boolean synced;
    try {
      toggles.sync();
      synced = true;
    } catch (RuntimeException e) {
      LOG.warn("toggles: write done, but syncing this node after it failed: {}", e.toString());
      synced = false;
    }
    return out.put("synced", synced);
  }

  /**
   * The checks every write passes before its body is read: writes enabled, an authorizer
   * configured, the CSRF defences, an authenticated principal.
   *
   * @return the actor
   */
  private String checkWriteRequest(HttpServletRequest request) {
    if (!allowWrites) {
      throw AdminError.forbidden("writes are disabled on this endpoint");
    }
    if (authorizer == null) {
      throw AdminError.forbidden(
          "writes are refused: no AdminAuthorizer is configured for this endpoint");
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !originAllowed(request, origin)) {
      throw AdminError.forbidden(
          "cross-origin write refused: origin " + quote(origin) + " is not allowed");
    }
    if (!isJson(request.getContentType())) {
      throw new AdminError(
          415, "unsupported_media_type", "writes need Content-Type: application/json");
    }
    if (!"1".equals(request.getHeader(CSRF_HEADER))) {
      throw AdminError.forbidden("writes need the header " + CSRF_HEADER + ": 1");
    }
    Principal principal = request.getUserPrincipal();
    if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
      throw AdminError.forbidden("writes need an authenticated user, recorded as the actor");
    }
    return principal.getName();
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

  private boolean originAllowed(HttpServletRequest request, String origin) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(o)) {
      return true;
    }
    String scheme = request.getScheme().toLowerCase(Locale.ROOT);
    int port = request.getServerPort();
    boolean defaultPort =
        (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    String self =
        scheme
            + "://"
            + request.getServerName().toLowerCase(Locale.ROOT)
            + (defaultPort ? "" : ":" + port);
    return o.equals(self);
  }

  private ObjectNode readBody(HttpServletRequest request) {
    long declared = request.getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(maxBodyBytes + 1);
    } catch (IOException e) {
      throw AdminError.badRequest("cannot read the request body");
    }
    if (bytes.length > maxBodyBytes) {
      throw tooLarge();
    }
    request.setAttribute(BODY_READ, Boolean.TRUE);
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw AdminError.badRequest(
          "request body is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
    } catch (IOException e) {
      throw AdminError.badRequest("request body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw AdminError.badRequest("request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private AdminError tooLarge() {
    return new AdminError(
        413, "payload_too_large", "request body is larger than " + maxBodyBytes + " bytes");
  }

  private Scope scope(ObjectNode node) {
    Scope.Builder b = hierarchy.scope();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!hierarchy.dimensions().contains(e.getKey())) {
        throw AdminError.badRequest(
            "scope names unknown dimension "
                + quote(e.getKey())
                + "; the hierarchy is "
                + hierarchy.dimensions());
      }
      if (!e.getValue().isTextual()) {
        throw AdminError.badRequest("scope value of '" + e.getKey() + "' must be a string");
      }
      b.with(e.getKey(), e.getValue().asText());
    }
    return b.build();
  }

  private static Expect expect(Fields f) {
    JsonNode v = f.optional("expectVersion");
    if (v == null || v.isNull()) {
      return Expect.any();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw AdminError.badRequest(
          "'expectVersion' must be 0 (the row must not exist) or a row version from 1");
    }
    return v.asLong() == 0 ? Expect.absent() : Expect.version(v.asLong());
  }

  private static String valueText(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isBoolean() || v.isNumber()) {
      return v.asText();
    }
    throw AdminError.badRequest(
        "'value' must be a string (the value's text; a JSON setting's document as a string), a"
            + " boolean or a number");
  }

  static String quote(@Nullable String text) {
    return "'" + LogText.escape(text, 80) + "'";
  }

  /** The fields of a request body: only the named ones are allowed. */
  private static final class Fields {
    private final ObjectNode body;

    Fields(ObjectNode body, String... allowed) {
      this.body = body;
      List<String> names = List.of(allowed);
      for (Map.Entry<String, JsonNode> field : body.properties()) {
        String name = field.getKey();
        if (!names.contains(name)) {
          throw AdminError.badRequest("unknown field " + quote(name) + "; expected " + names);
        }
      }
    }

    @Nullable JsonNode optional(String name) {
      return body.get(name);
    }

    JsonNode require(String name) {
      JsonNode v = body.get(name);
      if (v == null || v.isNull()) {
        throw AdminError.badRequest("field '" + name + "' is required");
      }
      return v;
    }

    String requireText(String name) {
      JsonNode v = require(name);
      if (!v.isTextual()) {
        throw AdminError.badRequest("field '" + name + "' must be a string");
      }
      return v.asText();
    }

    ObjectNode requireObject(String name) {
      JsonNode v = require(name);
      if (!v.isObject()) {
        throw AdminError.badRequest(
            "field '" + name + "' must be an object of dimension names to values ({} for global)");
      }
      return (ObjectNode) v;
    }
  }

  // ---------------------------------------------------------------- builder

  /** Configures a {@link TogglesAdminServlet}. Not thread-safe. */
  public static final class Builder {
    private final Toggles toggles;
    private final ToggleAdmin admin;
    private @Nullable AdminAuthorizer authorizer;
    private boolean allowWrites;
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
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
     * Origins besides the servlet's own from which writes are accepted, as {@code scheme://host} or
     * {@code scheme://host:port} (for an admin UI on another host, or a proxy that changes the host
     * the servlet sees).
     *
     * @throws IllegalArgumentException if an origin is not of that form
     */
    public Builder allowedOrigins(String... origins) {
      for (String origin : origins) {
        allowedOrigins.add(requireOrigin(origin));
      }
      return this;
    }

    private static String requireOrigin(@Nullable String origin) {
      String problem = "origin " + quote(origin) + " is not of the form scheme://host[:port]";
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
