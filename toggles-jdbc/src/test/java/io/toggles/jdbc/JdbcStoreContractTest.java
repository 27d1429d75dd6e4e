package io.toggles.jdbc;

import io.toggles.Hierarchy;
import io.toggles.testing.StoreContractTest;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The store contract every {@link io.toggles.ToggleAdmin} meets (the same one {@code InMemoryStore}
 * runs in toggles-core), run on each database.
 */
class JdbcStoreContractTest {

  static JdbcStore open(String url, String user, Hierarchy hierarchy, String prefix) {
    JdbcStore store =
        JdbcStore.builder(url).user(user).hierarchy(hierarchy).tablePrefix(prefix).build();
    store.createSchema();
    return store;
  }

  @Nested
  class OnH2 extends StoreContractTest<JdbcStore> {
    @Override
    protected JdbcStore newStore(Hierarchy hierarchy) {
      return open(TestDatabases.h2(), "sa", hierarchy, "toggles_");
    }
  }

  @Nested
  class OnPostgres extends StoreContractTest<JdbcStore> {
    @Override
    protected JdbcStore newStore(Hierarchy hierarchy) {
      return open(TestDatabases.postgresSchema(), "postgres", hierarchy, "toggles_");
    }
  }

  @Nested
  class OnMariaDb extends StoreContractTest<JdbcStore> {
    @Override
    protected JdbcStore newStore(Hierarchy hierarchy) {
      Assumptions.assumeTrue(unavailable == null, unavailable);
      return open(
          TestDatabases.mariaDbServer() + database,
          TestDatabases.mariaDbUser(),
          hierarchy,
          "t" + TestDatabases.unique().substring(1, 10) + "_");
    }
  }

  private static String database;
  private static String unavailable;

  @BeforeAll
  static void createMariaDb() {
    try {
      database = TestDatabases.createMariaDb();
    } catch (TestDatabases.Unavailable e) {
      unavailable = e.getMessage();
    }
  }

  @AfterAll
  static void dropMariaDb() throws SQLException {
    if (database != null) {
      TestDatabases.dropMariaDb(database);
    }
  }
}
