package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.jdbc.testing.TestDatabases;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on MariaDB (or MySQL): the server at {@code TOGGLES_TEST_MARIADB_URL} (default
 * {@code jdbc:mariadb://127.0.0.1:3306/}, user root), a database of its own for the class, a table
 * prefix of its own for each store. Skipped with the reason when the server is unreachable, but
 * failing when {@code CI=true}.
 */
class MariaDbJdbcStoreTest extends AbstractJdbcStoreTest {
  private static String database;
  private static String unavailable;

  @BeforeAll
  static void createDatabase() {
    try {
      database = TestDatabases.createMariaDb();
    } catch (TestDatabases.Unavailable e) {
      unavailable = e.getMessage();
    }
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database != null) {
      TestDatabases.dropMariaDb(database);
    }
  }

  @Override
  Target newTarget() {
    Assumptions.assumeTrue(unavailable == null, unavailable); // each test reports the reason
    return new Target(
        TestDatabases.mariaDbServer() + database, TestDatabases.mariaDbUser(), "", uniquePrefix());
  }

  @Override
  Dialect dialect() {
    return Dialect.MYSQL;
  }

  @Override
  String unreachableUrl() {
    return "jdbc:mariadb://127.0.0.1:1/nothing?password=s3cret-pw&connectTimeout=500";
  }

  /**
   * The unique index on (feature, scope_key), both parts used: a key length of 467 bytes (feature
   * VARCHAR(100) utf8mb4 with its length, 402, and the nullable 64-byte ASCII hash, 65) for one
   * row.
   */
  @Override
  void assertFindsOneRowThroughTheUniqueIndex(String plan, String prefix) {
    assertThat(plan)
        .contains("key=" + prefix + "settings_scope_uq")
        .contains("key_len=467", "rows=1");
  }

  /** The previous release named no scope_key: at most the feature part of the index. */
  @Override
  boolean previousReleaseMissedTheIndex(String plan, String prefix) {
    assertThat(plan).doesNotContain("key_len=467");
    return true;
  }
}
