package io.toggles.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on MariaDB (or MySQL): the server at {@code TOGGLES_TEST_MARIADB_URL} (default
 * {@code jdbc:mariadb://127.0.0.1:3306/}, user root), a database of its own for the class, a table
 * prefix of its own for each test. Skipped with the reason when the server is unreachable, but
 * failing when {@code CI=true}.
 */
class MariaDbJdbcStoreTest extends AbstractJdbcStoreTest {
  private static String server;
  private static String database;
  private static String unavailable;

  @BeforeAll
  static void createDatabase() {
    String env = System.getenv("TOGGLES_TEST_MARIADB_URL");
    String url = env == null || env.isBlank() ? "jdbc:mariadb://127.0.0.1:3306/" : env;
    int slash = url.indexOf('/', url.indexOf("//") + 2);
    server = slash < 0 ? url + "/" : url.substring(0, slash + 1);
    String name = "toggles_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(server + "?connectTimeout=3000", user(), "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
      database = name; // only now is there something to drop
    } catch (SQLException e) {
      String reason = "MariaDB is not reachable at " + server + " (" + e.getMessage() + ")";
      if ("true".equals(String.valueOf(System.getenv("CI")).toLowerCase(Locale.ROOT))) {
        throw new AssertionError(reason + "; CI=true, so the MariaDB tests must run", e);
      }
      unavailable = reason + "; skipping the MariaDB contract tests";
      System.err.println("WARNING: " + unavailable);
    }
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database == null || server == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(server, user(), "");
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database);
    }
  }

  private static String user() {
    return "root";
  }

  @Override
  Target newTarget() {
    Assumptions.assumeTrue(unavailable == null, unavailable); // each test reports the reason
    return new Target(server + database, user(), "", uniquePrefix());
  }

  @Override
  Dialect dialect() {
    return Dialect.MYSQL;
  }

  @Override
  String unreachableUrl() {
    return "jdbc:mariadb://127.0.0.1:1/nothing?password=s3cret-pw&connectTimeout=500";
  }
}
