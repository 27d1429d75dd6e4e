package io.toggles.spring.boot.autoconfigure;

import io.toggles.TogglesException;
import io.toggles.jdbc.SchemaStatus;

/**
 * Start-up found no usable toggles schema in the database and was not allowed to create it. Its
 * message says what to run; {@link MissingSchemaFailureAnalyzer} shows it as Spring Boot's failure
 * report.
 */
public final class MissingSchemaException extends TogglesException {
  private static final long serialVersionUID = 1L;

  /** What creates the schema, for people. */
  static final String WHAT_TO_RUN =
      "Create it with `toggles init --url <jdbc-url>` (the toggles CLI) or JdbcStore.createSchema(),"
          + " or have a DBA apply the DDL of `toggles schema --print`; or set"
          + " toggles.jdbc.create-schema=true to let this application create it, or"
          + " toggles.fail-on-missing-schema=false to start without it.";

  private final boolean present;

  MissingSchemaException(SchemaStatus status, String tablePrefix) {
    super(
        "toggles: "
            + status.problem().orElse("schema unusable")
            + " (tables "
            + tablePrefix
            + "*)");
    this.present = status.present();
  }

  /** Whether the schema exists but is too new for this library (else it is missing). */
  public boolean schemaPresent() {
    return present;
  }
}
