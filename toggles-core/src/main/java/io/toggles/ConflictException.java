package io.toggles;

/**
 * Someone else changed what a write expected (optimistic concurrency), or a revert found the row
 * changed again since. Nothing was written; read again and retry if still wanted.
 */
public final class ConflictException extends TogglesException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what changed. */
  public ConflictException(String message) {
    super(message);
  }
}
