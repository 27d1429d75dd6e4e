package io.toggles.spring.boot.autoconfigure;

import io.toggles.StoreException;
import io.toggles.jdbc.JdbcStore;
import io.toggles.jdbc.SchemaStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What start-up does about the toggles schema. With {@code toggles.jdbc.create-schema=true} the
 * store creates a missing schema on first use. Otherwise a missing schema fails start-up with
 * {@link MissingSchemaException} (saying what to run), unless {@code
 * toggles.fail-on-missing-schema=false}: then the application starts, checks answer their defaults,
 * health is DOWN with the reason, and the node loads everything once the schema exists. A schema
 * too new for this library always fails start-up. A database that cannot be reached does not: the
 * toggles serve their snapshot or defaults and keep trying, as they do without Spring.
 */
final class SchemaCheck {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaCheck.class);

  private SchemaCheck() {}

  static JdbcStore checked(JdbcStore store, TogglesProperties properties) {
    if (properties.jdbc().createSchema()) {
      return store;
    }
    SchemaStatus status;
    try {
      status = store.schemaStatus();
    } catch (StoreException e) {
      LOG.warn(
          "toggles: cannot check the schema at start-up, starting anyway and retrying in the"
              + " background: {}",
          e.getMessage());
      return store;
    }
    if (status.usable()) {
      return store;
    }
    if (!status.present() && !properties.failOnMissingSchema()) {
      LOG.warn(
          "toggles: no toggles schema (tables {}*): starting without it"
              + " (toggles.fail-on-missing-schema=false); checks answer their defaults and health"
              + " is DOWN until it exists. {}",
          properties.jdbc().tablePrefix(),
          MissingSchemaException.WHAT_TO_RUN);
      return store;
    }
    store.close();
    throw new MissingSchemaException(status, properties.jdbc().tablePrefix());
  }
}
