package io.toggles.spring.boot.autoconfigure;

import io.toggles.Change;
import io.toggles.Explanation;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Health;
import io.toggles.Setting;
import io.toggles.SettingValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The shapes of the {@code toggles} endpoint's answers, as maps that Spring's JSON support writes.
 * Values are always their canonical text, so that longs and decimals lose no digit; absent values
 * are null; enum values are lower case.
 */
final class EndpointJson {
  /** Most specific first, then by values dimension by dimension: a stable order. */
  static final Comparator<Setting> ROW_ORDER =
      Comparator.comparingInt((Setting s) -> -s.scope().rank())
          .thenComparing(s -> s.scope().toString());

  private EndpointJson() {}

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static Map<String, Object> health(Health h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", lower(h.status()));
    m.put("revision", h.revision());
    m.put("lastSync", h.lastSync().map(Object::toString).orElse(null));
    m.put("stalenessMillis", h.staleness().toMillis());
    m.put("lastError", h.lastError().orElse(null));
    m.put("fromSnapshot", h.fromSnapshot());
    return m;
  }

  static Map<String, Object> definition(FeatureDefinition d, Optional<FeatureState> cached) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", d.key());
    m.put("type", lower(d.type()));
    m.put("defaultValue", d.defaultValue().map(SettingValue::text).orElse(null));
    m.put("description", d.description());
    m.put("owner", d.owner());
    m.put("cached", cached.isPresent());
    m.put("killed", cached.map(FeatureState::killed).orElse(null));
    m.put("rowCount", cached.map(s -> s.rows().size()).orElse(null));
    return m;
  }

  static Map<String, Object> feature(FeatureState s, int offset, int limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", s.key());
    m.put("declared", s.definition().isPresent());
    Optional<FeatureDefinition> d = s.definition();
    m.put("type", d.map(x -> lower(x.type())).orElse(null));
    m.put(
        "defaultValue",
        d.flatMap(FeatureDefinition::defaultValue).map(SettingValue::text).orElse(null));
    m.put("description", d.map(FeatureDefinition::description).orElse(null));
    m.put("owner", d.map(FeatureDefinition::owner).orElse(null));
    m.put("killed", s.killed());
    m.put("revision", s.revision());
    List<Setting> rows = new ArrayList<>(s.rows());
    rows.sort(ROW_ORDER);
    int from = Math.min(offset, rows.size());
    int to = Math.min(rows.size(), from + limit);
    m.put("rowCount", rows.size());
    m.put("offset", from);
    m.put("rows", rows.subList(from, to).stream().map(EndpointJson::row).toList());
    return m;
  }

  static Map<String, Object> row(Setting s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scope", s.scope().asMap());
    m.put("value", s.value().text());
    m.put("version", s.version());
    return m;
  }

  static Map<String, Object> change(Change c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("revision", c.revision());
    m.put("feature", c.feature());
    m.put("kind", lower(c.kind()));
    m.put("scope", c.scope().map(x -> (Object) x.asMap()).orElse(null));
    m.put("oldValue", c.oldValue().map(SettingValue::text).orElse(null));
    m.put("newValue", c.newValue().map(SettingValue::text).orElse(null));
    m.put("newVersion", c.newVersion().isPresent() ? c.newVersion().getAsLong() : null);
    m.put("actor", c.actor());
    m.put("reason", c.reason());
    m.put("revertOf", c.revertOf().isPresent() ? c.revertOf().getAsLong() : null);
    m.put("at", c.at().toString());
    return m;
  }

  static Map<String, Object> explanation(Explanation e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("feature", e.feature());
    m.put("context", e.context().asMap());
    m.put("outcome", lower(e.outcome()));
    m.put("value", e.value().map(SettingValue::text).orElse(null));
    m.put("winner", e.winner().map(EndpointJson::row).orElse(null));
    m.put("revision", e.revision());
    m.put("explanation", e.render());
    return m;
  }

  static Map<String, Object> written(@Nullable Change change, boolean synced) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("changed", change != null);
    m.put("change", change == null ? null : change(change));
    m.put("syncedThisNode", synced);
    return m;
  }

  static Map<String, Object> error(String code, @Nullable String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", code);
    m.put("message", message);
    return m;
  }
}
