package io.toggles.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toggles.Change;
import io.toggles.Context;
import io.toggles.Explanation;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingValue;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes of the admin endpoint. Values are always their canonical text (a JSON string),
 * whatever their type, so that longs and decimals lose no precision in JavaScript clients; enum
 * values are lower-case; absent values are {@code null}. New fields may be added; clients ignore
 * fields they do not know.
 */
final class AdminJson {
  private AdminJson() {}

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static ObjectNode feature(FeatureState state) {
    ObjectNode n =
        Json.object().put("key", state.key()).put("declared", state.definition().isPresent());
    Optional<FeatureDefinition> d = state.definition();
    n.put("type", d.map(def -> lower(def.type())).orElse(null));
    n.put(
        "defaultValue",
        d.flatMap(FeatureDefinition::defaultValue).map(SettingValue::text).orElse(null));
    n.put("description", d.map(FeatureDefinition::description).orElse(null));
    n.put("owner", d.map(FeatureDefinition::owner).orElse(null));
    n.put("killed", state.killed());
    n.put("rowCount", state.rows().size());
    n.put("revision", state.revision());
    return n;
  }

  static ObjectNode scope(Scope scope) {
    return map(scope.asMap());
  }

  static ObjectNode context(Context context) {
    return map(context.asMap());
  }

  private static ObjectNode map(Map<String, String> values) {
    ObjectNode n = Json.object();
    values.forEach(n::put);
    return n;
  }

  static ObjectNode row(Setting s) {
    ObjectNode n = Json.object();
    n.set("scope", scope(s.scope()));
    n.put("value", s.value().text());
    n.put("version", s.version());
    return n;
  }

  static ObjectNode change(Change c) {
    ObjectNode n = Json.object();
    n.put("revision", c.revision());
    n.put("feature", c.feature());
    n.put("kind", lower(c.kind()));
    n.set("scope", c.scope().map(AdminJson::scope).orElse(null));
    n.put("oldValue", c.oldValue().map(SettingValue::text).orElse(null));
    n.put("newValue", c.newValue().map(SettingValue::text).orElse(null));
    if (c.newVersion().isPresent()) {
      n.put("newVersion", c.newVersion().getAsLong());
    } else {
      n.putNull("newVersion");
    }
    n.put("actor", c.actor());
    n.put("reason", c.reason());
    if (c.revertOf().isPresent()) {
      n.put("revertOf", c.revertOf().getAsLong());
    } else {
      n.putNull("revertOf");
    }
    n.put("at", c.at().toString());
    return n;
  }

  static ObjectNode explanation(Explanation e) {
    ObjectNode n = Json.object();
    n.put("feature", e.feature());
    n.set("context", context(e.context()));
    n.put("outcome", lower(e.outcome()));
    n.put("type", e.definition().map(d -> lower(d.type())).orElse(null));
    n.put("value", e.value().map(SettingValue::text).orElse(null));
    n.set("winner", e.winner().map(AdminJson::row).orElse(null));
    ArrayNode outranked = n.putArray("outranked");
    for (Explanation.Outranked o : e.outranked()) {
      ObjectNode r = row(o.setting());
      r.put("lostOn", o.lostOn());
      outranked.add(r);
    }
    ArrayNode excluded = n.putArray("excluded");
    for (Explanation.Excluded x : e.excluded()) {
      ObjectNode r = row(x.setting());
      r.put("dimension", x.dimension());
      r.put("contextValue", x.contextValue().orElse(null));
      excluded.add(r);
    }
    n.put("excludedTotal", e.excludedTotal());
    n.put("revision", e.revision());
    n.put("text", e.render());
    return n;
  }
}
