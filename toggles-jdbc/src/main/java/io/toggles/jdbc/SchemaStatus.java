package io.toggles.jdbc;

import java.util.Optional;

/**
 * What {@link JdbcStore#schemaStatus()} found in the database.
 *
 * @param present whether the schema's tables and version row exist
 * @param version the newest schema version applied to the database, 0 when absent
 * @param minReaderVersion the oldest schema version a library must understand to use the database,
 *     as recorded with that version; 0 when absent. Additive changes keep it at 1, so an older
 *     library keeps working on a newer schema.
 * @param supportedVersion the schema version this library writes and understands ({@link
 *     JdbcStore#SCHEMA_VERSION})
 */
public record SchemaStatus(
    boolean present, int version, int minReaderVersion, int supportedVersion) {

  /**
   * Validates the numbers.
   *
   * @throws IllegalArgumentException if a present schema has no version, or an absent one has
   */
  public SchemaStatus {
    if (present ? version < 1 || minReaderVersion < 1 : version != 0 || minReaderVersion != 0) {
      throw new IllegalArgumentException(
          "inconsistent schema status: present="
              + present
              + ", version="
              + version
              + ", minReaderVersion="
              + minReaderVersion);
    }
  }

  /**
   * Whether this library can read and write the database: the schema is present, not older than the
   * library (see {@link #needsUpgrade()}), and either not newer or newer only by additive changes.
   */
  public boolean usable() {
    return present
        && !needsUpgrade()
        && (version <= supportedVersion || minReaderVersion <= supportedVersion);
  }

  /**
   * Whether the schema is of an older version than this library's: {@code toggles init} (or {@link
   * JdbcStore#createSchema()}) upgrades it in place, additively, and libraries of that older
   * version keep working on the upgraded schema.
   */
  public boolean needsUpgrade() {
    return present && version < supportedVersion;
  }

  /** Why the library cannot use the database, as a message a person can act on; empty if usable. */
  public Optional<String> problem() {
    if (!present) {
      return Optional.of(
          "schema missing: run `toggles init` or JdbcStore.createSchema(), or have a DBA apply"
              + " JdbcStore.ddl(...)");
    }
    if (needsUpgrade()) {
      return Optional.of(
          "schema version "
              + version
              + " is older than this library's ("
              + supportedVersion
              + "): run `toggles init` or JdbcStore.createSchema() to upgrade it in place (the"
              + " change is additive: nodes of the previous release keep working)");
    }
    if (!usable()) {
      return Optional.of(
          "schema version "
              + version
              + " is newer than this library understands ("
              + supportedVersion
              + ") and needs a library for schema "
              + minReaderVersion
              + " or later; upgrade toggles");
    }
    return Optional.empty();
  }
}
