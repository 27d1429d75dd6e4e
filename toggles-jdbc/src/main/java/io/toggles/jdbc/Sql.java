package io.toggles.jdbc;

import io.toggles.Hierarchy;
import io.toggles.Scope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of one store: its dialect, hierarchy and table prefix. Table and column names come only
 * from the validated prefix and hierarchy; every value is a bound parameter. What differs between
 * databases comes from {@link Dialect}.
 */
final class Sql {
  final Dialect dialect;
  final Hierarchy hierarchy;
  final String prefix;
  final String schemaVersion;
  final String state;
  final String features;
  final String settings;
  final String changes;

  /** The dimension columns, quoted, comma-separated, in hierarchy order. */
  final String dims;

  /** The settings table's value column, quoted where it is a keyword (H2). */
  final String value;

  final String revision;
  final String head;
  final String lock;
  final String setRevision;
  final String schemaVersionRead;
  final String probe;
  final String loadOne;
  final String loadAllDefinitions;
  final String loadAllRows;
  final String definitionForUpdate;
  final String definitions;
  final String declared;
  final String hasRows;
  final String featureRows;
  final String insertDefinition;
  final String updateDefinition;
  final String setKilled;
  final String insertChange;
  final String changeColumns;
  final String changeAt;
  final String changesSince;
  final String changesThrough;
  final String changesOfFeatureAfter;
  final String historyAll;
  final String historyOfFeature;
  final String stats;
  final String insertRow;

  /** The PostgreSQL LISTEN/NOTIFY channel of this store's writes. */
  final String channel;

  /** Notifies the channel (delivered at commit); null where the database has no NOTIFY. */
  final @Nullable String notify;

  Sql(Dialect dialect, Hierarchy hierarchy, String prefix) {
    this.dialect = dialect;
    this.hierarchy = hierarchy;
    this.prefix = prefix;
    this.schemaVersion = prefix + "schema_version";
    this.state = prefix + "state";
    this.features = prefix + "features";
    this.settings = prefix + "settings";
    this.changes = prefix + "changes";
    this.channel = prefix + "changes";
    this.notify = dialect.notifySql();
    List<String> quoted = new ArrayList<>();
    for (String d : hierarchy.dimensions()) {
      quoted.add(dialect.quote(d));
    }
    this.dims = String.join(", ", quoted);
    this.value = dialect.valueColumn();
    String rDims = prefixed("r.", quoted);
    String nulls = String.join(", ", Collections.nCopies(quoted.size(), "NULL"));

    revision = "SELECT revision FROM " + state + " WHERE id = 1";
    changeColumns =
        "revision, feature, kind, "
            + dims
            + ", old_type, old_value, new_type, new_value, new_version, actor, reason, revert_of,"
            + " changed_at, change_set, change_id";
    // One indexed read: the state row and, by primary key, the change at :at (if any).
    head =
        "SELECT s.store_id, s.revision, c.change_id, c.revision, c.changed_at, c.feature, c.kind"
            + " FROM "
            + state
            + " s LEFT JOIN "
            + changes
            + " c ON c.revision = :at WHERE s.id = 1";
    lock = "SELECT revision, " + dialect.now() + " FROM " + state + " WHERE id = 1 FOR UPDATE";
    setRevision = "UPDATE " + state + " SET revision = :revision WHERE id = 1";
    schemaVersionRead =
        "SELECT version, min_reader_version FROM " + schemaVersion + " ORDER BY version DESC";
    // Fails with "no such column" or "no such table" unless every table and column this release
    // uses is there.
    probe =
        "SELECT st.revision, st.store_id, f.feature, f.value_type, f.default_value, f.killed,"
            + " f.version, "
            + rDims
            + ", r."
            + value
            + ", r.version, c.revision, c.kind, "
            + prefixed("c.", quoted)
            + ", c.old_type, c.new_value, c.revert_of, c.changed_at, c.change_set, c.change_id"
            + " FROM "
            + state
            + " st, "
            + features
            + " f, "
            + settings
            + " r, "
            + changes
            + " c WHERE 1 = 0";
    // One statement, so one snapshot: the revision and the feature's declaration (part 0) and its
    // rows (part 1). Columns: part, revision-or-row-version, value_type, value, description, owner,
    // killed, dimensions.
    loadOne =
        "SELECT 0, s.revision, f.value_type, f.default_value, f.description, f.owner, f.killed, "
            + nulls
            + " FROM "
            + state
            + " s LEFT JOIN "
            + features
            + " f ON f.feature = :feature WHERE s.id = 1"
            + " UNION ALL SELECT 1, r.version, NULL, r."
            + value
            + ", NULL, NULL, NULL, "
            + rDims
            + " FROM "
            + settings
            + " r WHERE r.feature = :feature";
    loadAllDefinitions =
        "SELECT s.revision, f.feature, f.value_type, f.default_value, f.description, f.owner,"
            + " f.killed FROM "
            + state
            + " s LEFT JOIN "
            + features
            + " f ON 1 = 1 WHERE s.id = 1";
    loadAllRows =
        "SELECT r.feature, r.version, r." + value + ", " + rDims + " FROM " + settings + " r";
    definitionForUpdate =
        "SELECT feature, value_type, default_value, description, owner, killed FROM "
            + features
            + " WHERE feature = :feature";
    definitions =
        "SELECT feature, value_type, default_value, description, owner, killed FROM "
            + features
            + " ORDER BY feature";
    declared = "SELECT feature FROM " + features;
    hasRows =
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM "
            + settings
            + " WHERE feature = :feature) THEN 1 ELSE 0 END";
    featureRows =
        "SELECT r.feature, r.version, r."
            + value
            + ", "
            + rDims
            + " FROM "
            + settings
            + " r WHERE r.feature = :feature";
    insertDefinition =
        "INSERT INTO "
            + features
            + " (feature, value_type, default_value, description, owner, killed, version,"
            + " updated_at, updated_by) VALUES (:feature, :type, :default, :description, :owner,"
            + " FALSE, 1, :now, :actor)";
    updateDefinition =
        "UPDATE "
            + features
            + " SET value_type = :type, default_value = :default, description = :description,"
            + " owner = :owner, version = version + 1, updated_at = :now, updated_by = :actor"
            + " WHERE feature = :feature";
    setKilled =
        "UPDATE "
            + features
            + " SET killed = :killed, version = version + 1, updated_at = :now,"
            + " updated_by = :actor WHERE feature = :feature";
    insertChange =
        "INSERT INTO "
            + changes
            + " ("
            + changeColumns
            + ") VALUES (:revision, :feature, :kind, "
            + params("d", quoted.size())
            + ", :old_type, :old_value, :new_type, :new_value, :new_version, :actor, :reason,"
            + " :revert_of, :now, :change_set, :change_id)";
    changeAt = "SELECT " + changeColumns + " FROM " + changes + " WHERE revision = :revision";
    changesSince =
        "SELECT "
            + changeColumns
            + " FROM "
            + changes
            + " WHERE revision > :revision ORDER BY revision LIMIT :limit";
    changesThrough =
        "SELECT "
            + changeColumns
            + " FROM "
            + changes
            + " WHERE revision > :from AND revision <= :through ORDER BY revision";
    changesOfFeatureAfter =
        "SELECT "
            + changeColumns
            + " FROM "
            + changes
            + " WHERE feature = :feature AND revision > :revision ORDER BY revision";
    historyAll =
        "SELECT " + changeColumns + " FROM " + changes + " ORDER BY revision DESC LIMIT :limit";
    historyOfFeature =
        "SELECT "
            + changeColumns
            + " FROM "
            + changes
            + " WHERE feature = :feature ORDER BY revision DESC LIMIT :limit";
    stats =
        "SELECT s.revision, (SELECT COUNT(*) FROM "
            + features
            + "), (SELECT COUNT(*) FROM "
            + settings
            + "), (SELECT COUNT(*) FROM "
            + changes
            + ") FROM "
            + state
            + " s WHERE s.id = 1";
    insertRow =
        "INSERT INTO "
            + settings
            + " (feature, "
            + dims
            + ", "
            + value
            + ", version, updated_at, updated_by) VALUES (:feature, "
            + params("d", quoted.size())
            + ", :value, :version, :now, :actor)";
  }

  /** The condition selecting exactly one scope's row, through the unique index. */
  String scopeCondition(Scope scope) {
    return dialect.scopeCondition(hierarchy, scope);
  }

  String findRow(Scope scope) {
    return "SELECT " + value + ", version FROM " + settings + " WHERE " + scopeCondition(scope);
  }

  String updateRow(Scope scope) {
    return "UPDATE "
        + settings
        + " SET "
        + value
        + " = :value, version = :version, updated_at = :now, updated_by = :actor WHERE "
        + scopeCondition(scope);
  }

  String deleteRow(Scope scope) {
    return "DELETE FROM " + settings + " WHERE " + scopeCondition(scope);
  }

  /** "table has no row" for the state table, with what to do. */
  String noStateRow() {
    return "table "
        + state
        + " has no row: run `toggles init` or JdbcStore.createSchema() to repair it";
  }

  private static String prefixed(String alias, List<String> columns) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      out.add(alias + c);
    }
    return String.join(", ", out);
  }

  private static String params(String name, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(":" + name + i);
    }
    return String.join(", ", out);
  }
}
