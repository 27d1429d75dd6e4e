package io.toggles.jdbc;

import java.util.concurrent.atomic.AtomicInteger;

/** The store contract on H2 2.x: an in-memory database of its own for each test. */
class H2JdbcStoreTest extends AbstractJdbcStoreTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @Override
  Target newTarget() {
    return new Target("jdbc:h2:mem:toggles" + DATABASES.incrementAndGet(), "sa", "", "toggles_");
  }

  @Override
  Dialect dialect() {
    return Dialect.H2;
  }

  @Override
  String unreachableUrl() {
    return "jdbc:h2:tcp://127.0.0.1:1/mem:nothing;PASSWORD=s3cret-pw";
  }
}
