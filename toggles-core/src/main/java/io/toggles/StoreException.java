package io.toggles;

/**
 * The store could not be read or written: the database is unreachable, the schema is missing or of
 * another version, a query failed. A failed read is never mistaken for "no rows".
 */
public class StoreException extends TogglesException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what failed. */
  public StoreException(String message) {
    super(message);
  }

  /** With a message and the underlying failure. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
