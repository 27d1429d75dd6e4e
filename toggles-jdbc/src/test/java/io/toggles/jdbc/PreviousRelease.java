package io.toggles.jdbc;

import io.toggles.Hierarchy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The previous release (schema version 1) as far as the tables see it: its DDL and its SQL
 * statements, kept verbatim as test resources ({@code v1/schema-*.sql}, {@code
 * v1/statements-*.sql}, from commit 12d08fb), run the way its {@code JdbcStore} ran them, for the
 * default hierarchy. Used to test both directions of the schema change: the previous release on the
 * new schema, and the new release upgrading the old one.
 */
final class PreviousRelease {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private final Dialect dialect;
  private final String prefix;
  private final Map<String, String> statements;
  private final Jdbi jdbi;

  PreviousRelease(Dialect dialect, DataSource dataSource, String prefix) {
    this.dialect = dialect;
    this.prefix = prefix;
    this.statements = statements(dialect, prefix);
    this.jdbi = Jdbi.create(dataSource);
    jdbi.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP);
  }

  /** The previous release's statements by name, for one dialect and table prefix. */
  record Statements(Map<String, String> byName) {
    /** Its statement updating the row at a scope of the default hierarchy. */
    String updateRow(io.toggles.Scope scope) {
      StringBuilder p = new StringBuilder();
      for (int i = 0; i < H.size(); i++) {
        p.append(scope.value(i).isPresent() ? '1' : '0');
      }
      return byName.get("updateRow." + p);
    }
  }

  static Statements statementsFor(Dialect dialect, String prefix) {
    return new Statements(statements(dialect, prefix));
  }

  private static String resource(String name) {
    try (InputStream in = PreviousRelease.class.getResourceAsStream("v1/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource v1/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lower(Dialect d) {
    return d.name().toLowerCase(Locale.ROOT);
  }

  /** The statements by name, for {@code prefix} (the resource is rendered for toggles_). */
  private static Map<String, String> statements(Dialect dialect, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    String name = null;
    StringBuilder sql = new StringBuilder();
    for (String line : resource("statements-" + lower(dialect) + ".sql").split("\n")) {
      if (line.startsWith("-- name: ")) {
        name = line.substring("-- name: ".length()).strip();
      } else if (name != null && !line.isBlank() && !line.startsWith("--")) {
        sql.append(line);
        if (line.endsWith(";")) {
          String text = sql.substring(0, sql.length() - 1).replace("toggles_", prefix);
          out.put(name, text);
          sql.setLength(0);
          name = null;
        }
      }
    }
    return out;
  }

  /** The previous release's DDL for this dialect and prefix, as its {@code ddl(...)} printed it. */
  String ddl() {
    return Ddl.render(resource("schema-" + lower(dialect) + ".sql"), dialect, H, prefix, 1);
  }

  /** Applies {@link #ddl()} statement by statement, as its {@code createSchema()} did. */
  void createSchema() throws SQLException {
    jdbi.useHandle(
        h -> {
          try (Statement st = h.getConnection().createStatement()) {
            for (String statement : Ddl.statements(ddl())) {
              st.execute(statement);
            }
          }
        });
  }

  /**
   * What the previous release checked before first use: the newest version row must be readable by
   * version 1, and its probe (every column it uses) must run.
   *
   * @return the version it found
   */
  int checkSchema() {
    return jdbi.withHandle(
        h -> {
          int[] row =
              h.createQuery(statements.get("schemaVersionRead"))
                  .map((rs, ctx) -> new int[] {rs.getInt(1), rs.getInt(2)})
                  .findFirst()
                  .orElseThrow(() -> new AssertionError("no schema version"));
          if (row[0] > 1 && row[1] > 1) {
            throw new AssertionError("the previous release would refuse schema " + row[0]);
          }
          h.createQuery(statements.get("probe")).map((rs, ctx) -> 1).list();
          return row[0];
        });
  }

  long revision() {
    return jdbi.withHandle(h -> h.createQuery(statements.get("revision")).mapTo(Long.class).one());
  }

  /** Declares a feature as the previous release did (insert or update, then one change). */
  void define(String feature, String type, String defaultValue) {
    write(
        (h, tx) -> {
          boolean exists =
              h.createQuery(statements.get("definitionForUpdate"))
                  .bind("feature", feature)
                  .mapToMap()
                  .findOne()
                  .isPresent();
          h.createUpdate(statements.get(exists ? "updateDefinition" : "insertDefinition"))
              .bind("feature", feature)
              .bind("type", type)
              .bind("default", defaultValue)
              .bind("description", "")
              .bind("owner", "")
              .bind("now", tx.now())
              .bind("actor", "old-release")
              .execute();
          tx.change(h, feature, "DEFINE", new String[3], null, null, type, defaultValue, null);
        });
  }

  /**
   * Sets a row as the previous release did: find it by its v1 statement, update it to version + 1
   * or insert it at version 1, and append the change.
   *
   * @param scope product, merchant, country; null for a wildcard
   * @return the row's new version
   */
  long set(String feature, String type, String value, String... scope) {
    long[] version = {0};
    write(
        (h, tx) -> {
          String pattern = pattern(scope);
          var find = h.createQuery(statements.get("findRow." + pattern)).bind("feature", feature);
          bindScope(find, scope);
          Map<String, Object> old = find.mapToMap().findOne().orElse(null);
          String oldValue = old == null ? null : String.valueOf(old.get(valueKey(old)));
          version[0] = old == null ? 1 : ((Number) old.get("version")).longValue() + 1;
          Update u;
          if (old != null) {
            u = h.createUpdate(statements.get("updateRow." + pattern));
            bindScope(u, scope);
          } else {
            u = h.createUpdate(statements.get("insertRow"));
            for (int i = 0; i < 3; i++) {
              u.bind("d" + i, scope[i]);
            }
          }
          u.bind("feature", feature)
              .bind("value", value)
              .bind("version", version[0])
              .bind("now", tx.now())
              .bind("actor", "old-release")
              .execute();
          tx.change(
              h,
              feature,
              "SET",
              scope,
              old == null ? null : type,
              oldValue,
              type,
              value,
              version[0]);
        });
    return version[0];
  }

  /** Removes a row as the previous release did. */
  void unset(String feature, String type, String... scope) {
    write(
        (h, tx) -> {
          String pattern = pattern(scope);
          var find = h.createQuery(statements.get("findRow." + pattern)).bind("feature", feature);
          bindScope(find, scope);
          Map<String, Object> old =
              find.mapToMap().findOne().orElseThrow(() -> new AssertionError("no row to unset"));
          var u = h.createUpdate(statements.get("deleteRow." + pattern));
          bindScope(u, scope);
          u.bind("feature", feature).execute();
          tx.change(
              h,
              feature,
              "UNSET",
              scope,
              type,
              String.valueOf(old.get(valueKey(old))),
              null,
              null,
              null);
        });
  }

  /** Turns the kill switch on as the previous release did. */
  void kill(String feature) {
    write(
        (h, tx) -> {
          h.createUpdate(statements.get("setKilled"))
              .bind("feature", feature)
              .bind("killed", true)
              .bind("now", tx.now())
              .bind("actor", "old-release")
              .execute();
          tx.change(h, feature, "KILL", new String[3], null, null, null, null, null);
        });
  }

  /** One feature as the previous release loaded it: its rows as "scope=value@version", killed. */
  List<String> load(String feature) {
    return jdbi.withHandle(
        h -> {
          List<String> out = new ArrayList<>();
          h.createQuery(statements.get("loadOne"))
              .bind("feature", feature)
              .map(
                  (rs, ctx) -> {
                    if (rs.getInt(1) == 0) {
                      out.add(0, "killed=" + rs.getBoolean(7) + " type=" + rs.getString(3));
                    } else {
                      out.add(
                          rs.getString(8)
                              + ","
                              + rs.getString(9)
                              + ","
                              + rs.getString(10)
                              + "="
                              + rs.getString(4)
                              + "@"
                              + rs.getLong(2));
                    }
                    return Boolean.TRUE;
                  })
              .forEach(x -> {});
          return out;
        });
  }

  /** What the previous release's load of everything read: "feature:row count". */
  List<String> loadAll() {
    return jdbi.inTransaction(
        TransactionIsolationLevel.REPEATABLE_READ,
        h -> {
          List<String> out = new ArrayList<>();
          h.createQuery(statements.get("loadAllDefinitions"))
              .map((rs, ctx) -> rs.getString(2))
              .forEach(f -> out.add("feature " + f));
          h.createQuery(statements.get("loadAllRows"))
              .map((rs, ctx) -> rs.getString(1))
              .forEach(f -> out.add("row of " + f));
          return out;
        });
  }

  /** The revisions and kinds the previous release read from the change feed. */
  List<String> changesSince(long revision) {
    return jdbi.withHandle(
        h ->
            h.createQuery(statements.get("changesSince"))
                .bind("revision", revision)
                .bind("limit", 1000)
                .map((rs, ctx) -> rs.getLong(1) + ":" + rs.getString(3))
                .list());
  }

  private static String pattern(String... scope) {
    StringBuilder p = new StringBuilder();
    for (String v : scope) {
      p.append(v == null ? '0' : '1');
    }
    return p.toString();
  }

  private static void bindScope(org.jdbi.v3.core.statement.SqlStatement<?> st, String... scope) {
    for (int i = 0; i < scope.length; i++) {
      if (scope[i] != null) {
        st.bind("d" + i, scope[i]);
      }
    }
  }

  private static String valueKey(Map<String, Object> row) {
    for (String k : row.keySet()) {
      if (k.equalsIgnoreCase("value")) {
        return k;
      }
    }
    throw new AssertionError("no value column in " + row.keySet());
  }

  private interface Work {
    void run(Handle h, Tx tx);
  }

  /** The previous release's write transaction: lock, work, advance the revision. */
  private void write(Work work) {
    jdbi.useTransaction(
        TransactionIsolationLevel.READ_COMMITTED,
        h -> {
          Tx tx =
              h.createQuery(statements.get("lock"))
                  .map((rs, ctx) -> new Tx(rs.getLong(1), dialect.readTime(rs, 2)))
                  .one();
          work.run(h, tx);
          h.createUpdate(statements.get("setRevision")).bind("revision", tx.revision).execute();
        });
  }

  private final class Tx {
    long revision;
    final Instant at;

    Tx(long revision, Instant at) {
      this.revision = revision;
      this.at = at;
    }

    Argument now() {
      return (position, statement, ctx) -> dialect.bindTime(statement, position, at);
    }

    void change(
        Handle h,
        String feature,
        String kind,
        String[] scope,
        String oldType,
        String oldValue,
        String newType,
        String newValue,
        Long newVersion) {
      revision++;
      Update u =
          h.createUpdate(statements.get("insertChange"))
              .bind("revision", revision)
              .bind("feature", feature)
              .bind("kind", kind)
              .bind("old_type", oldType)
              .bind("old_value", oldValue)
              .bind("new_type", newType)
              .bind("new_value", newValue)
              .bind("new_version", newVersion)
              .bind("actor", "old-release")
              .bind("reason", "written by the previous release")
              .bind("revert_of", (Long) null)
              .bind("now", now());
      for (int i = 0; i < 3; i++) {
        u.bind("d" + i, scope[i]);
      }
      u.execute();
    }
  }
}
