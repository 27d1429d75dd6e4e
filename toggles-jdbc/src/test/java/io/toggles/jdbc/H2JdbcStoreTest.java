package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.jdbc.testing.TestDatabases;

/** The store contract on H2 2.x: an in-memory database of its own for each store. */
class H2JdbcStoreTest extends AbstractJdbcStoreTest {

  @Override
  Target newTarget() {
    return new Target(TestDatabases.h2(), "sa", "", "toggles_");
  }

  @Override
  Dialect dialect() {
    return Dialect.H2;
  }

  @Override
  String unreachableUrl() {
    return "jdbc:h2:tcp://127.0.0.1:1/mem:nothing;PASSWORD=s3cret-pw";
  }

  /** H2 names the index it uses in a comment, with the conditions it looks up by. */
  @Override
  void assertFindsOneRowThroughTheUniqueIndex(String plan, String prefix) {
    assertThat(plan).doesNotContain("tableScan");
    String index = plan.substring(plan.indexOf("/*"), plan.indexOf("*/"));
    assertThat(index)
        .containsIgnoringCase(prefix + "settings_scope_uq")
        .contains("FEATURE = ?", "PRODUCT ", "MERCHANT ", "COUNTRY ");
  }

  /** H2 indexes the columns themselves: the previous release's statements used the index too. */
  @Override
  boolean previousReleaseMissedTheIndex(String plan, String prefix) {
    assertFindsOneRowThroughTheUniqueIndex(plan, prefix);
    return false;
  }
}
