package io.toggles.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toggles.Change;
import io.toggles.Context;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Health;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The read paths of the admin endpoint: health, features, rows, eval, history. */
final class AdminReads {
  private static final Set<String> PAGE_PARAMS = Set.of("limit", "offset");

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

  private final Toggles toggles;
  private final ToggleAdmin admin;
  private final Hierarchy hierarchy;
  private final RequestChecks checks;
  private final int maxPageSize;

  AdminReads(Toggles toggles, ToggleAdmin admin, RequestChecks checks, int maxPageSize) {
    this.toggles = toggles;
    this.admin = admin;
    this.hierarchy = toggles.hierarchy();
    this.checks = checks;
    this.maxPageSize = maxPageSize;
  }

  /** {@code GET health}: 200 while ready or stale (serving the last known values), else 503. */
  Reply health(HttpServletRequest request) {
    QueryParams.of(request, Set.of());
    checks.authorize(request, new AdminAction(AdminAction.Kind.HEALTH, Optional.empty()));
    Health h = toggles.health();
    ObjectNode body =
        Json.object()
            .put("status", h.status().name().toLowerCase(Locale.ROOT))
            .put("revision", h.revision())
            .put("lastSync", h.lastSync().map(Instant::toString).orElse(null))
            .put("stalenessMillis", h.staleness().toMillis())
            .put("lastError", h.lastError().orElse(null))
            .put("fromSnapshot", h.fromSnapshot());
    return Reply.of(h.status() == Health.Status.ERROR ? 503 : 200, body);
  }

  /** {@code GET features}: declared features by key, a page of them. */
  Reply listFeatures(HttpServletRequest request) {
    QueryParams p = QueryParams.of(request, PAGE_PARAMS);
    checks.authorize(request, new AdminAction(AdminAction.Kind.LIST_FEATURES, Optional.empty()));
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
    return Reply.ok(out);
  }

  /** {@code GET features/{key}}. */
  Reply readFeature(HttpServletRequest request, String key) {
    QueryParams.of(request, Set.of());
    checks.authorize(request, new AdminAction(AdminAction.Kind.READ_FEATURE, Optional.of(key)));
    FeatureState state = admin.read(key);
    if (state.definition().isEmpty() && state.rows().isEmpty()) {
      throw AdminError.notFound("feature '" + key + "' is not declared and has no rows");
    }
    return Reply.ok(AdminJson.feature(state));
  }

  /** {@code GET features/{key}/rows}: most specific first, a page of them. */
  Reply listRows(HttpServletRequest request, String key) {
    QueryParams p = QueryParams.of(request, PAGE_PARAMS);
    checks.authorize(request, new AdminAction(AdminAction.Kind.LIST_ROWS, Optional.of(key)));
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
    return Reply.ok(out);
  }

  /** {@code GET eval?feature=&<dimension>=...}: the value and its explanation. */
  Reply evaluate(HttpServletRequest request) {
    Set<String> allowed = new LinkedHashSet<>(hierarchy.dimensions());
    allowed.add("feature");
    QueryParams p = QueryParams.of(request, allowed);
    String feature =
        p.get("feature")
            .orElseThrow(() -> AdminError.badRequest("query parameter 'feature' is required"));
    FeatureDefinition.requireValidKey(feature);
    Context.Builder context = hierarchy.context();
    for (String dimension : hierarchy.dimensions()) {
      p.get(dimension)
          .ifPresent(value -> context.with(dimension, Scope.requireValidValue(dimension, value)));
    }
    checks.authorize(request, new AdminAction(AdminAction.Kind.EVALUATE, Optional.of(feature)));
    return Reply.ok(AdminJson.explanation(toggles.explain(feature, context.build())));
  }

  /** {@code GET history?feature=&limit=}: the newest changes first. */
  Reply history(HttpServletRequest request) {
    QueryParams p = QueryParams.of(request, Set.of("feature", "limit"));
    Optional<String> feature = p.get("feature").map(FeatureDefinition::requireValidKey);
    int limit = p.integer("limit", Math.min(100, maxPageSize), 1, maxPageSize);
    checks.authorize(request, new AdminAction(AdminAction.Kind.HISTORY, feature));
    ObjectNode out = Json.object();
    ArrayNode changes = out.putArray("changes");
    for (Change c : admin.history(feature, limit)) {
      changes.add(AdminJson.change(c));
    }
    return Reply.ok(out);
  }

  private Page page(QueryParams p, int total) {
    int limit = p.integer("limit", Math.min(100, maxPageSize), 1, maxPageSize);
    int offset = p.integer("offset", 0, 0, Integer.MAX_VALUE);
    int from = Math.min(offset, total);
    int to = (int) Math.min((long) from + limit, total);
    return new Page(offset, limit, total, from, to);
  }

  /** One page of a list: what was asked, and the slice {@code [from, to)} of the whole. */
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
}
