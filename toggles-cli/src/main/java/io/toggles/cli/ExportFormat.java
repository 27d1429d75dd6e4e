package io.toggles.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.TogglesException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The export file, version 1:
 *
 * <pre>{@code
 * {"format": "toggles-export", "version": 1, "hierarchy": ["product", "merchant", "country"],
 *  "revision": 42,
 *  "features": [{"key": "checkout.new-flow", "type": "BOOLEAN", "default": "false",
 *                "description": "...", "owner": "...", "killed": false,
 *                "rows": [{"scope": {"product": "shop"}, "value": "true"}]}]}
 * }</pre>
 *
 * Values are their canonical text, as {@code set} takes them; {@code default} is null when the
 * feature declares none. {@code revision} is informational. Row versions are not exported: an
 * import compares values.
 */
final class ExportFormat {
  static final String FORMAT = "toggles-export";
  static final int VERSION = 1;

  private ExportFormat() {}

  static Map<String, Object> write(Hierarchy hierarchy, long revision, List<FeatureState> states) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("hierarchy", hierarchy.dimensions());
    root.put("revision", revision);
    List<Object> features = new ArrayList<>();
    for (FeatureState s : states) {
      if (s.definition().isEmpty()) {
        continue; // rows of undeclared features cannot be imported anywhere
      }
      FeatureDefinition d = s.definition().get();
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("key", d.key());
      f.put("type", d.type().name());
      f.put("default", JsonOutput.value(d.defaultValue()));
      f.put("description", d.description());
      f.put("owner", d.owner());
      f.put("killed", s.killed());
      List<Object> rows = new ArrayList<>();
      for (Setting r : RowTables.inPrecedenceOrder(s.rows())) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scope", r.scope().asMap());
        row.put("value", r.value().text());
        rows.add(row);
      }
      f.put("rows", rows);
      features.add(f);
    }
    root.put("features", features);
    return root;
  }

  /**
   * Reads an export.
   *
   * @throws TogglesException naming the place in the file that is wrong
   */
  static List<FeatureState> read(JsonNode root, Hierarchy hierarchy) {
    if (!root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new TogglesException("not a toggles export: \"format\" must be \"" + FORMAT + "\"");
    }
    int version = root.path("version").asInt(-1);
    if (version != VERSION) {
      throw new TogglesException(
          "export format version "
              + root.path("version")
              + " is not supported; this CLI reads version "
              + VERSION);
    }
    List<String> dims = new ArrayList<>();
    root.path("hierarchy").forEach(n -> dims.add(n.asText()));
    if (!dims.equals(hierarchy.dimensions())) {
      throw new TogglesException(
          "the export's hierarchy "
              + dims
              + " differs from the store's "
              + hierarchy.dimensions()
              + "; use --hierarchy to name the store's, or convert the file");
    }
    JsonNode features = root.path("features");
    if (!features.isArray()) {
      throw new TogglesException("\"features\" must be a list");
    }
    List<FeatureState> out = new ArrayList<>();
    int i = 0;
    for (JsonNode f : features) {
      String where = "features[" + i++ + "]";
      try {
        out.add(feature(f, hierarchy));
      } catch (IllegalArgumentException | TogglesException e) {
        throw new TogglesException(where + " (" + f.path("key").asText() + "): " + e.getMessage());
      }
    }
    return out;
  }

  private static FeatureState feature(JsonNode f, Hierarchy hierarchy) {
    String key = text(f, "key");
    SettingType type = SettingType.named(text(f, "type"));
    FeatureDefinition.Builder b = FeatureDefinition.builder(key, type);
    JsonNode dflt = f.path("default");
    if (!dflt.isMissingNode() && !dflt.isNull()) {
      b.defaultValue(SettingValue.parse(type, dflt.asText()));
    }
    b.description(f.path("description").asText(""));
    b.owner(f.path("owner").asText(""));
    FeatureDefinition def = b.build();
    List<Setting> rows = new ArrayList<>();
    int i = 0;
    for (JsonNode r : f.path("rows")) {
      String where = "rows[" + i++ + "]";
      Map<String, String> scope = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : r.path("scope").properties()) {
        scope.put(e.getKey(), e.getValue().asText());
      }
      try {
        rows.add(
            new Setting(
                key, Scope.of(hierarchy, scope), SettingValue.parse(type, text(r, "value")), 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return new FeatureState(key, Optional.of(def), f.path("killed").asBoolean(false), rows, 0);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || !v.isValueNode()) {
      throw new IllegalArgumentException("\"" + field + "\" is missing");
    }
    return v.asText();
  }
}
