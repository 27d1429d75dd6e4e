package io.toggles.cli;

/** Opens the store a command works on. The JDBC connector in production, others in tests. */
interface Connector {

  /**
   * Opens a connection to the store described by {@code target}. Cheap to call; failing to reach
   * the database may surface here or on first use, as a {@link io.toggles.StoreException}.
   */
  Backend open(Target target);
}
