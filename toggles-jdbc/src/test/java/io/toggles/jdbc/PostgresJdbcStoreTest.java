package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.ConflictException;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.SettingValue;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL: the JVM's embedded server, a schema of its own for each test.
 */
class PostgresJdbcStoreTest extends AbstractJdbcStoreTest {

  @Override
  Target newTarget() {
    return new Target(TestDatabases.postgresSchema(), "postgres", "", "toggles_");
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
