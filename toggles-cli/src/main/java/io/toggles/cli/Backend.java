package io.toggles.cli;

import io.toggles.FeatureState;
import io.toggles.StoreException;
import io.toggles.ToggleAdmin;
import io.toggles.UnknownFeatureException;
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

  /**
   * The feature's state; refuses a feature the store knows nothing of.
   *
   * @throws UnknownFeatureException if the feature is neither declared nor has rows
   */
  default FeatureState readKnown(String feature) {
    FeatureState state = admin().read(feature);
    if (state.definition().isEmpty() && state.rows().isEmpty()) {
      throw new UnknownFeatureException(feature);
    }
    return state;
  }

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

    /**
     * Checks that commands other than {@code init} can work on the schema.
     *
     * @param where the database, for the message
     * @throws StoreException if the schema is missing, too new, or older than this CLI needs
     */
    void requireUsable(String where) {
      if (!present) {
        throw new StoreException(
            "no toggles schema in "
                + where
                + ": run 'toggles init' first (or have a DBA apply 'toggles schema --print')");
      }
      if (!usable()) {
        throw new StoreException(
            "the toggles schema in "
                + where
                + " is version "
                + version
                + " and needs a reader of version "
                + minReaderVersion
                + " or later; this CLI supports "
                + supported
                + ": use a newer toggles CLI");
      }
      if (version < supported) { // an older schema: init upgrades it
        throw new StoreException(
            "the toggles schema in "
                + where
                + " is version "
                + version
                + ", older than this CLI needs ("
                + supported
                + "): run 'toggles init' to upgrade it");
      }
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
