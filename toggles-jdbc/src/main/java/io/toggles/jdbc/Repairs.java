package io.toggles.jdbc;

import io.toggles.FeatureDefinition;
import io.toggles.SettingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Finds what the store cannot read in its tables and says how to fix each: the store part of the
 * repair path for declarations and rows edited by hand.
 */
final class Repairs {
  private final Database db;
  private final Schema schema;
  private final RowMapping mapping;

  Repairs(Database db, Schema schema, RowMapping mapping) {
    this.db = db;
    this.schema = schema;
    this.mapping = mapping;
  }

  List<Unreadable> unreadable() {
    Sql s = schema.ready();
    return db.call(
        "looking for unreadable declarations and rows",
        h -> {
          Map<String, RowMapping.RawDefinition> defs = new TreeMap<>();
          for (RowMapping.RawDefinition raw :
              h.createQuery(s.definitions).map((rs, ctx) -> RowMapping.rawDefinition(rs)).list()) {
            defs.put(raw.feature(), raw);
          }
          List<Unreadable> out = new ArrayList<>();
          for (RowMapping.RawDefinition raw : defs.values()) {
            declarationProblem(raw).ifPresent(p -> out.add(declaration(s, raw, p)));
          }
          List<RowMapping.RawRow> rows =
              h.createQuery(s.loadAllRows).map((rs, ctx) -> mapping.rawRow(rs)).list();
          for (RowMapping.RawRow raw : rows) {
            rowProblem(raw, defs.get(raw.feature())).ifPresent(p -> out.add(row(s, raw, p)));
          }
          return out;
        });
  }

  private Optional<String> declarationProblem(RowMapping.RawDefinition raw) {
    try {
      FeatureDefinition.requireValidKey(raw.feature());
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    return mapping.unreadable(raw);
  }

  private Optional<String> rowProblem(
      RowMapping.RawRow raw, RowMapping.@Nullable RawDefinition def) {
    if (def == null) {
      return Optional.of("feature '" + raw.feature() + "' is not declared");
    }
    if (mapping.unreadable(def).isPresent()) {
      return Optional.of("the declaration of feature '" + raw.feature() + "' is unreadable");
    }
    if (mapping.scope(raw.dims()).isEmpty()) {
      return Optional.of("its scope holds a value the API never writes");
    }
    try {
      def.definition().type().parse(raw.value());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private Unreadable declaration(Sql s, RowMapping.RawDefinition raw, String problem) {
    Optional<String> sql = Optional.empty();
    SettingType type = typeOf(raw.type());
    // Only the default is wrong, and dropping it takes nothing a kill falls back to.
    if (type != null
        && raw.defaultValue() != null
        && (!raw.killed() || type == SettingType.BOOLEAN)
        && readableWithoutDefault(raw)) {
      sql =
          Optional.of(
              "UPDATE "
                  + s.features
                  + " SET default_value = NULL, version = version + 1 WHERE feature = "
                  + literal(s.dialect, raw.feature()));
    }
    return new Unreadable(
        s.features,
        raw.feature(),
        "",
        problem,
        sql,
        "declare it again with `toggles define` (nodes see that at once through the change log)");
  }

  private Unreadable row(Sql s, RowMapping.RawRow raw, String problem) {
    StringBuilder where =
        new StringBuilder("DELETE FROM ")
            .append(s.settings)
            .append(" WHERE feature = ")
            .append(literal(s.dialect, raw.feature()));
    for (int i = 0; i < s.hierarchy.size(); i++) {
      where.append(" AND ").append(s.dialect.quote(s.hierarchy.dimension(i)));
      String v = raw.dims()[i];
      where.append(v == null ? " IS NULL" : " = " + literal(s.dialect, v));
    }
    return new Unreadable(
        s.settings,
        raw.feature(),
        raw.describe(s.hierarchy),
        problem,
        Optional.of(where.toString()),
        "delete it (nodes never served it), then set the row again through the API if wanted");
  }

  private static boolean readableWithoutDefault(RowMapping.RawDefinition raw) {
    try {
      new RowMapping.RawDefinition(
              raw.feature(), raw.type(), null, raw.description(), raw.owner(), raw.killed())
          .definition();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static @Nullable SettingType typeOf(String name) {
    try {
      return SettingType.named(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** An SQL string literal of {@code value} for the dialect. */
  static String literal(Dialect dialect, String value) {
    String v = value.replace("'", "''");
    if (dialect == Dialect.MYSQL) {
      v = v.replace("\\", "\\\\");
    }
    return "'" + v + "'";
  }
}
