package io.toggles.cli;

import io.toggles.Hierarchy;
import io.toggles.ToggleAdmin;
import io.toggles.jdbc.Dialect;
import io.toggles.jdbc.JdbcStore;
import io.toggles.jdbc.SchemaStatus;
import io.toggles.jdbc.StoreStats;
import io.toggles.spi.ToggleStore;
import java.time.Duration;
import java.util.Locale;

/** The only class that knows the JDBC store: opens one for a command and adapts it. */
final class JdbcConnector implements Connector {
  /**
   * How long a command waits for a database connection: an unreachable database must fail an
   * on-call engineer's command in seconds, not after a pool's usual 30.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  @Override
  public Backend open(Target target) {
    JdbcStore.Builder b =
        JdbcStore.builder(target.url())
            .hierarchy(target.hierarchy())
            .connectionTimeout(CONNECT_TIMEOUT);
    target.user().ifPresent(b::user);
    target.password().ifPresent(b::password);
    target.tablePrefix().ifPresent(b::tablePrefix);
    return new JdbcBackend(b.build());
  }

  /**
   * The DDL for a DBA to apply by hand.
   *
   * @throws IllegalArgumentException for an unknown dialect or a bad prefix
   */
  static String ddl(String dialect, Hierarchy hierarchy, String tablePrefix) {
    return JdbcStore.ddl(dialect(dialect), hierarchy, tablePrefix);
  }

  /** The dialect of a name ({@code h2}, {@code postgresql}, {@code mysql}, {@code mariadb}). */
  static Dialect dialect(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "h2":
        return Dialect.H2;
      case "postgresql":
      case "postgres":
        return Dialect.POSTGRESQL;
      case "mysql":
      case "mariadb":
        return Dialect.MYSQL;
      default:
        throw new IllegalArgumentException(
            "unknown dialect '" + name + "'; expected h2, postgresql, mysql or mariadb");
    }
  }

  /** The default table prefix of the JDBC store. */
  static final String DEFAULT_PREFIX = "toggles_";

  private record JdbcBackend(JdbcStore jdbc) implements Backend {
    @Override
    public ToggleAdmin admin() {
      return jdbc;
    }

    @Override
    public ToggleStore store() {
      return jdbc;
    }

    @Override
    public void createSchema() {
      jdbc.createSchema();
    }

    @Override
    public SchemaInfo schema() {
      SchemaStatus s = jdbc.schemaStatus();
      return new SchemaInfo(s.present(), s.version(), s.minReaderVersion(), s.supportedVersion());
    }

    @Override
    public Stats stats() {
      StoreStats s = jdbc.stats();
      return new Stats(s.revision(), s.featureCount(), s.rowCount(), s.changeCount());
    }

    @Override
    public void close() {
      jdbc.close();
    }
  }
}
