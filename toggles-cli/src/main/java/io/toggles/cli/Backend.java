package io.toggles.cli;

import io.toggles.ToggleAdmin;
import io.toggles.spi.ToggleStore;

/**
 * An open store: the core read and write APIs plus the schema operations only a database has. Only
 * {@link JdbcConnector} knows the JDBC store; every command works through this interface.
 */
interface Backend extends AutoCloseable {

  /** The read SPI, for loading features. */
  ToggleStore store();

  /** The write API: every change the CLI makes goes through it. */
  ToggleAdmin admin();

  /** Creates or upgrades the schema; idempotent. */
  void createSchema();

  /** Whether the schema is there and which version it has. */
  SchemaInfo schema();

  /** Counts of what the store holds. */
  Stats stats();

  /** Closes connections. */
  @Override
  void close();

  /**
   * The schema's state.
   *
   * @param present whether the toggles tables exist
   * @param version the schema version found, 0 if absent
   * @param minReaderVersion the oldest schema version a reader must understand to use it
   * @param supported the schema version this CLI reads and writes
   */
  record SchemaInfo(boolean present, int version, int minReaderVersion, int supported) {

    /** Present, and not newer than this CLI except by additive changes. */
    boolean usable() {
      return present && (version <= supported || minReaderVersion <= supported);
    }
  }

  /**
   * What the store holds.
   *
   * @param revision the latest revision
   * @param features declared features
   * @param rows setting rows
   * @param changes change-log entries
   */
  record Stats(long revision, long features, long rows, long changes) {}
}
