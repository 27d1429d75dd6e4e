package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.ConflictException;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.SettingValue;
import io.toggles.jdbc.testing.TestDatabases;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL: the JVM's embedded server, a schema of its own for each store.
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
    JdbcStore store = store(H);
    Target t = target(store);
    store.define(FeatureDefinition.bool("f"), AUDIT);
    insertRow(t, "f", "", "", "", "true");
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

  /**
   * A scan of the expression index (a plain index scan, or a bitmap one where the planner guesses
   * many rows share the empty wildcards), with every dimension's COALESCE in its condition.
   */
  @Override
  void assertFindsOneRowThroughTheUniqueIndex(String plan, String prefix) {
    assertThat(plan)
        .containsAnyOf(
            "Index Scan using " + prefix + "settings_scope_uq",
            "Bitmap Index Scan on " + prefix + "settings_scope_uq")
        .doesNotContain("Seq Scan");
    String cond = plan.lines().filter(l -> l.contains("Index Cond")).findFirst().orElseThrow();
    assertThat(cond)
        .contains("feature", "COALESCE(product", "COALESCE(merchant", "COALESCE(country");
  }

  /** The previous release compared the columns, which the expression index does not cover. */
  @Override
  boolean previousReleaseMissedTheIndex(String plan, String prefix) {
    String cond = plan.lines().filter(l -> l.contains("Index Cond")).findFirst().orElse("");
    assertThat(cond).doesNotContain("COALESCE");
    return true;
  }
}
