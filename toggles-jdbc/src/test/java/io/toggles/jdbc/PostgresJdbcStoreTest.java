package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.ConflictException;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.SettingValue;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL: one embedded server for the class, a schema of its own for each
 * test.
 */
class PostgresJdbcStoreTest extends AbstractJdbcStoreTest {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Override
  Target newTarget() {
    String schema = "s" + uniquePrefix();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new Target(
        postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema,
        "postgres",
        "",
        "toggles_");
  }

  @Test
  void aUniqueViolationReachesTheCallerAsAConflictNotAsSql() throws SQLException {
    // On PostgreSQL the unique index maps a wildcard to '', so a hand-written row with an empty
    // value (which the API never writes) occupies the global scope.
    store.define(FeatureDefinition.bool("f"), AUDIT);
    insertRow("f", "", "", "", "true");
    StoreStats before = store.stats();

    assertThatThrownBy(() -> store.set("f", H.global(), SettingValue.of(true), Expect.any(), AUDIT))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("another write created the same row");
    assertThat(store.stats()).isEqualTo(before);
  }

  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  @Override
  String unreachableUrl() {
    return "jdbc:postgresql://127.0.0.1:1/postgres?password=s3cret-pw&connectTimeout=1";
  }
}
