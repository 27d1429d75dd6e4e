package io.toggles.spring.boot.autoconfigure;

import io.toggles.Change;
import io.toggles.Explanation;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Health;
import io.toggles.Scope;
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

  /** An ordered map of {@code key, value} pairs; values may be null. */
  static Map<String, Object> map(@Nullable Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static Map<String, Object> health(Health h) {
    return map(
        "status", lower(h.status()),
        "revision", h.revision(),
        "lastSync", h.lastSync().map(Object::toString).orElse(null),
        "stalenessMillis", h.staleness().toMillis(),
        "lastError", h.lastError().orElse(null),
        "fromSnapshot", h.fromSnapshot());
  }

  private static @Nullable String text(Optional<SettingValue> v) {
    return v.map(SettingValue::text).orElse(null);
  }

  static Map<String, Object> definition(FeatureDefinition d, Optional<FeatureState> cached) {
    return map(
        "key", d.key(),
        "type", lower(d.type()),
        "defaultValue", text(d.defaultValue()),
        "description", d.description(),
        "owner", d.owner(),
        "cached", cached.isPresent(),
        "killed", cached.map(FeatureState::killed).orElse(null),
        "rowCount", cached.map(s -> s.rows().size()).orElse(null));
  }

  static Map<String, Object> feature(FeatureState s, int offset, int limit) {
    Optional<FeatureDefinition> d = s.definition();
    List<Setting> rows = new ArrayList<>(s.rows());
    rows.sort(ROW_ORDER);
    int from = Math.min(offset, rows.size());
    int to = Math.min(rows.size(), from + limit);
    return map(
        "key", s.key(),
        "declared", d.isPresent(),
        "type", d.map(x -> lower(x.type())).orElse(null),
        "defaultValue", text(d.flatMap(FeatureDefinition::defaultValue)),
        "description", d.map(FeatureDefinition::description).orElse(null),
        "owner", d.map(FeatureDefinition::owner).orElse(null),
        "killed", s.killed(),
        "revision", s.revision(),
        "rowCount", rows.size(),
        "offset", from,
        "rows", rows.subList(from, to).stream().map(EndpointJson::row).toList());
  }

  static Map<String, Object> row(Setting s) {
    return map("scope", s.scope().asMap(), "value", s.value().text(), "version", s.version());
  }

  static Map<String, Object> change(Change c) {
    return map(
        "revision", c.revision(),
        "feature", c.feature(),
        "kind", lower(c.kind()),
        "scope", c.scope().map(Scope::asMap).orElse(null),
        "oldValue", text(c.oldValue()),
        "newValue", text(c.newValue()),
        "newVersion", c.newVersion().isPresent() ? c.newVersion().getAsLong() : null,
        "actor", c.actor(),
        "reason", c.reason(),
        "revertOf", c.revertOf().isPresent() ? c.revertOf().getAsLong() : null,
        "at", c.at().toString());
  }

  static Map<String, Object> explanation(Explanation e) {
    return map(
        "feature", e.feature(),
        "context", e.context().asMap(),
        "outcome", lower(e.outcome()),
        "value", text(e.value()),
        "winner", e.winner().map(EndpointJson::row).orElse(null),
        "revision", e.revision(),
        "explanation", e.render());
  }

  static Map<String, Object> written(@Nullable Change change, boolean synced) {
    return map(
        "changed",
        change != null,
        "change",
        change == null ? null : change(change),
        "syncedThisNode",
        synced);
  }

  static Map<String, Object> error(String code, @Nullable String message) {
    return map("error", code, "message", message);
  }
}
