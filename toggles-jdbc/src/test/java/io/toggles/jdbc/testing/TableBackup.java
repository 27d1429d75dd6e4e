package io.toggles.jdbc.testing;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A copy of a store's tables taken now and put back later: "restore the database from last night's
 * backup", for fault tests. {@link #take} copies the five tables of a table prefix ({@code
 * <prefix>schema_version}, {@code state}, {@code features}, {@code settings}, {@code changes}) into
 * tables of a backup prefix in the same database and schema ({@code CREATE TABLE ... AS SELECT});
 * {@link #restore()} empties the store's tables and refills them from the copy, in one transaction,
 * so that a node sees the store either before or after the restore. The store keeps its identity
 * (the state row, store id included, comes back too), exactly as a restored backup would; what was
 * written after the copy is gone, and a change written again at one of those revisions has another
 * id.
 *
 * <pre>{@code
 * TableBackup backup = TableBackup.take(dataSource, "toggles_"); // last night
 * writer.kill("checkout", audit);                                // today
 * backup.restore();                                              // the restore
 * }</pre>
 *
 * <p>Works on H2, PostgreSQL and MySQL/MariaDB (a generated column such as MySQL's {@code
 * scope_key} is computed again on restore, not copied). {@link #drop()} removes the copy. Not
 * thread-safe; the tables must not be written while a copy is taken or restored.
 */
public final class TableBackup {
  private static final List<String> TABLES =
      List.of("schema_version", "state", "features", "settings", "changes");
  private static int taken;

  private final DataSource dataSource;
  private final String prefix;
  private final String backupPrefix;

  private TableBackup(DataSource dataSource, String prefix, String backupPrefix) {
    this.dataSource = dataSource;
    this.prefix = prefix;
    this.backupPrefix = backupPrefix;
  }

  /**
   * Copies the tables of {@code prefix} now.
   *
   * @param dataSource connections to the store's database and schema
   * @param prefix the store's table prefix
   */
  public static synchronized TableBackup take(DataSource dataSource, String prefix)
      throws SQLException {
    String backupPrefix = "bk" + (++taken) + "_" + prefix;
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      for (String table : TABLES) {
        st.execute("DROP TABLE IF EXISTS " + backupPrefix + table);
        st.execute("CREATE TABLE " + backupPrefix + table + " AS SELECT * FROM " + prefix + table);
      }
    }
    return new TableBackup(dataSource, prefix, backupPrefix);
  }

  /** Puts the copy back: every table emptied and refilled from it, in one transaction. */
  public void restore() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String table : TABLES) {
          List<String> columns = copiedColumns(c, table);
          String list = String.join(", ", columns);
          st.executeUpdate("DELETE FROM " + prefix + table);
          st.executeUpdate(
              "INSERT INTO "
                  + prefix
                  + table
                  + " ("
                  + list
                  + ") SELECT "
                  + list
                  + " FROM "
                  + backupPrefix
                  + table);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    }
  }

  /** Removes the copy. */
  public void drop() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      for (String table : TABLES) {
        st.execute("DROP TABLE IF EXISTS " + backupPrefix + table);
      }
    }
  }

  /** The columns of a store table that can be written: all but generated ones, quoted. */
  private List<String> copiedColumns(Connection c, String table) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String product = md.getDatabaseProductName().toLowerCase(Locale.ROOT);
    boolean h2 = product.startsWith("h2");
    boolean mysql = product.startsWith("mysql") || product.startsWith("mariadb");
    String name = h2 ? (prefix + table).toUpperCase(Locale.ROOT) : prefix + table;
    String escape = md.getSearchStringEscape();
    String pattern = escape == null ? name : name.replace("_", escape + "_");
    List<String> out = new ArrayList<>();
    try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), pattern, null)) {
      while (rs.next()) {
        if ("YES".equalsIgnoreCase(rs.getString("IS_GENERATEDCOLUMN"))) {
          continue;
        }
        String col = rs.getString("COLUMN_NAME");
        out.add(mysql ? "`" + col + "`" : "\"" + col + "\"");
      }
    }
    if (out.isEmpty()) {
      throw new SQLException("no columns found for table " + name);
    }
    return out;
  }
}
