package io.toggles.spring.boot.autoconfigure;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ConflictException;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.UnknownFeatureException;
import io.toggles.WriteRefusedException;
import io.toggles.WrongTypeException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code toggles} Actuator endpoint (exposed over the web with {@code
 * management.endpoints.web.exposure.include=toggles}). Reads:
 *
 * <ul>
 *   <li>{@code GET /actuator/toggles[?history=N]}: this node's health and revision, every declared
 *       feature (with kill state and row count where cached), and the newest N changes;
 *   <li>{@code GET /actuator/toggles/{feature}[?offset=&limit=]}: its declaration and rows as
 *       stored, most specific first;
 *   <li>{@code GET /actuator/toggles/{feature}/eval?context=product%3Dp-42%26merchant%3Dm-7}: what
 *       this node answers for that context and why ({@code context} is {@code dim=value} pairs
 *       joined by {@code &}, as one query parameter: {@code curl -G --data-urlencode
 *       'context=product=p-42&merchant=m-7'});
 *   <li>{@code GET /actuator/toggles/{feature}/history[?limit=N]}: its newest changes.
 * </ul>
 *
 * <p>Writes, only with {@code toggles.actuator.writes=true} and for a caller with {@code
 * toggles.actuator.authority} (recorded as the actor; see {@link TogglesAccess}), each with a
 * {@code reason}, through {@link ToggleAdmin} like the CLI and the admin servlet (same rules, one
 * transaction each, audited):
 *
 * <ul>
 *   <li>{@code POST /actuator/toggles/{feature}/set} {@code {"reason":..,"value":..,"scope":{..},
 *       "expectVersion":N}} ({@code value} is the value's text, or a boolean or integer; {@code
 *       scope} absent means the global row; {@code expectVersion} 0 means the row must not exist);
 *   <li>{@code POST /actuator/toggles/{feature}/unset} {@code {"reason":..,"scope":{..}}};
 *   <li>{@code POST /actuator/toggles/{feature}/kill} and {@code .../unkill} {@code {"reason":..}};
 *   <li>{@code POST /actuator/toggles} {@code {"revert":REVISION,"reason":..}}.
 * </ul>
 *
 * <p>Errors answer {@code {"error":code,"message":text}}: 400 bad input, 403 not permitted or
 * writes off, 404 unknown feature, 409 conflict or refused by a rule, 503 store unavailable. After
 * a write this node syncs at once; others follow within their sync interval. Thread-safe.
 */
@Endpoint(id = "toggles")
public final class TogglesEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(TogglesEndpoint.class);
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final Toggles toggles;
  private final ToggleAdmin admin;
  private final TogglesAccess access;
  private final TogglesProperties.Actuator properties;

  /**
   * An endpoint that evaluates with {@code toggles} and reads and writes through {@code admin}.
   *
   * @throws IllegalArgumentException if the two have different hierarchies
   */
  public TogglesEndpoint(
      Toggles toggles,
      ToggleAdmin admin,
      TogglesAccess access,
      TogglesProperties.Actuator properties) {
    Hierarchy h = toggles.hierarchy();
    if (!h.equals(admin.hierarchy())) {
      throw new IllegalArgumentException(
          "toggles (" + h + ") and admin store (" + admin.hierarchy() + ") differ in hierarchy");
    }
    this.toggles = toggles;
    this.admin = admin;
    this.access = access;
    this.properties = properties;
  }

  /** This node's health and every declared feature; the newest {@code history} changes. */
  @ReadOperation
  public WebEndpointResponse<Map<String, Object>> summary(
      SecurityContext security, @Nullable Integer history) {
    return answer(
        () -> {
          requireRead(security);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("health", EndpointJson.health(toggles.health()));
          m.put("hierarchy", toggles.hierarchy().dimensions());
          List<Map<String, Object>> features = new ArrayList<>();
          for (FeatureDefinition d : admin.features()) {
            features.add(EndpointJson.definition(d, toggles.cached(d.key())));
          }
          m.put("features", features);
          if (history != null) {
            m.put("history", changes(Optional.empty(), history));
          }
          return m;
        });
  }

  /** One feature as stored: declaration, kill switch and a page of rows. */
  @ReadOperation
  public WebEndpointResponse<Map<String, Object>> feature(
      SecurityContext security,
      @Selector String feature,
      @Nullable Integer offset,
      @Nullable Integer limit) {
    return answer(
        () -> {
          requireRead(security);
          FeatureDefinition.requireValidKey(feature);
          return EndpointJson.feature(
              admin.read(feature),
              between("offset", offset, 0, 0, Integer.MAX_VALUE),
              between("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
        });
  }

  /** {@code eval} (what this node answers, and why) or {@code history} of one feature. */
  @ReadOperation
  public WebEndpointResponse<Map<String, Object>> view(
      SecurityContext security,
      @Selector String feature,
      @Selector String view,
      @Nullable String context,
      @Nullable Integer limit) {
    return answer(
        () -> {
          requireRead(security);
          FeatureDefinition.requireValidKey(feature);
          switch (view) {
            case "eval":
              return EndpointJson.explanation(toggles.explain(feature, context(context)));
            case "history":
              return EndpointJson.map(
                  "feature", feature, "history", changes(Optional.of(feature), limit));
            default:
              throw new IllegalArgumentException(
                  "unknown view '" + view + "': use eval or history");
          }
        });
  }

  /** {@code set}, {@code unset}, {@code kill} or {@code unkill} of one feature. */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> write(
      SecurityContext security,
      @Selector String feature,
      @Selector String action,
      @Nullable String reason,
      @Nullable Object value,
      @Nullable Map<String, Object> scope,
      @Nullable Long expectVersion) {
    return answer(
        () -> {
          Audit audit = audit(security, reason);
          FeatureDefinition.requireValidKey(feature);
          Change change;
          switch (action) {
            case "set":
              FeatureDefinition def =
                  admin
                      .read(feature)
                      .definition()
                      .orElseThrow(() -> new UnknownFeatureException(feature));
              if (value == null) {
                throw new IllegalArgumentException("'value' is missing");
              }
              SettingValue v = def.type().parse(valueText(value));
              change = admin.set(feature, scope(scope), v, expect(expectVersion), audit);
              break;
            case "unset":
              change = admin.unset(feature, scope(scope), expect(expectVersion), audit);
              break;
            case "kill":
              change = admin.kill(feature, audit).orElse(null);
              break;
            case "unkill":
              change = admin.unkill(feature, audit).orElse(null);
              break;
            default:
              throw new IllegalArgumentException(
                  "unknown action '" + action + "': use set, unset, kill or unkill");
          }
          return written(change);
        });
  }

  /** Undoes the change at {@code revert} with a new change. */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> revert(
      SecurityContext security, @Nullable Long revert, @Nullable String reason) {
    return answer(
        () -> {
          Audit audit = audit(security, reason);
          if (revert == null || revert < 1) {
            throw new IllegalArgumentException("'revert' must be the revision of a change, from 1");
          }
          return written(admin.revert(revert, audit));
        });
  }

  private void requireRead(SecurityContext security) {
    if (!access.mayRead(security.getPrincipal())) {
      throw new Forbidden("not permitted: reading toggles needs an authenticated caller");
    }
  }

  private Audit audit(SecurityContext security, @Nullable String reason) {
    if (!properties.writes()) {
      throw new Forbidden("writes are off: set toggles.actuator.writes=true to allow them");
    }
    String actor =
        access
            .writer(properties.authority(), security.getPrincipal(), security::isUserInRole)
            .orElseThrow(
                () ->
                    new Forbidden(
                        "not permitted: writing toggles needs the authority '"
                            + properties.authority()
                            + "'"));
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("'reason' is missing: say why the change is made");
    }
    return Audit.of(actor, reason);
  }

  private Map<String, Object> written(@Nullable Change change) {
    boolean synced;
    try {
      toggles.sync();
      synced = true;
    } catch (RuntimeException e) {
      LOG.warn("toggles: write done, but syncing this node after it failed: {}", e.toString());
      synced = false;
    }
    return EndpointJson.written(change, synced);
  }

  private List<Map<String, Object>> changes(Optional<String> feature, @Nullable Integer limit) {
    return admin.history(feature, between("limit", limit, 20, 1, MAX_LIMIT)).stream()
        .map(EndpointJson::change)
        .toList();
  }

  private static int between(String name, @Nullable Integer value, int dflt, int min, int max) {
    if (value == null) {
      return dflt;
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "'" + name + "' must be " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  /** Parses {@code dim=value&dim=value}, each part percent-decoded. */
  private Context context(@Nullable String text) {
    Hierarchy h = toggles.hierarchy();
    Context.Builder b = h.context();
    if (text == null || text.isEmpty()) {
      return b.build();
    }
    List<String> seen = new ArrayList<>();
    for (String pair : text.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "context must be dimension=value pairs joined by '&', got a part without '='");
      }
      String dim = decode(pair.substring(0, eq));
      String value = decode(pair.substring(eq + 1));
      if (!h.dimensions().contains(dim)) {
        throw new IllegalArgumentException(
            "context names unknown dimension '" + dim + "'; the hierarchy is " + h.dimensions());
      }
      if (seen.contains(dim)) {
        throw new IllegalArgumentException("context names dimension '" + dim + "' twice");
      }
      seen.add(dim);
      b.with(dim, Scope.requireValidValue(dim, value));
    }
    return b.build();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private Scope scope(@Nullable Map<String, Object> values) {
    Hierarchy h = admin.hierarchy();
    Scope.Builder b = h.scope();
    if (values == null) {
      return b.build();
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (!h.dimensions().contains(e.getKey())) {
        throw new IllegalArgumentException(
            "scope names unknown dimension '"
                + e.getKey()
                + "'; the hierarchy is "
                + h.dimensions());
      }
      if (!(e.getValue() instanceof String s)) {
        throw new IllegalArgumentException("scope value of '" + e.getKey() + "' must be a string");
      }
      b.with(e.getKey(), s);
    }
    return b.build();
  }

  private static Expect expect(@Nullable Long version) {
    if (version == null) {
      return Expect.any();
    }
    if (version < 0) {
      throw new IllegalArgumentException(
          "'expectVersion' must be 0 (the row must not exist) or a row version from 1");
    }
    return version == 0 ? Expect.absent() : Expect.version(version);
  }

  /** A value's text: strings as they are, booleans and integers as written; nothing lossy. */
  private static String valueText(Object value) {
    if (value instanceof String || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof java.math.BigInteger) {
      return value.toString();
    }
    throw new IllegalArgumentException(
        "'value' must be a string (the value's text; a JSON setting's document as a string, a"
            + " decimal as a string so that no digit is lost), a boolean or an integer");
  }

  private static WebEndpointResponse<Map<String, Object>> answer(
      Supplier<Map<String, Object>> operation) {
    try {
      return new WebEndpointResponse<>(operation.get(), 200);
    } catch (Forbidden e) {
      return failure(403, "forbidden", e.getMessage());
    } catch (UnknownFeatureException e) {
      return failure(404, "not_found", e.getMessage());
    } catch (IllegalArgumentException | WrongTypeException e) {
      return failure(400, "bad_request", e.getMessage());
    } catch (WriteRefusedException e) {
      return failure(409, "refused", e.getMessage());
    } catch (ConflictException e) {
      return failure(409, "conflict", e.getMessage());
    } catch (StoreException e) {
      LOG.warn("toggles: endpoint request failed, the store is unavailable: {}", e.toString());
      return failure(503, "store_unavailable", e.getMessage());
    }
  }

  private static WebEndpointResponse<Map<String, Object>> failure(
      int status, String code, @Nullable String message) {
    return new WebEndpointResponse<>(EndpointJson.error(code, message), status);
  }

  /** A caller not permitted, or writes off. */
  private static final class Forbidden extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Forbidden(String message) {
      super(message, null, false, false);
    }
  }
}
