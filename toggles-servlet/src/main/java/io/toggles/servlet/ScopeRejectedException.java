package io.toggles.servlet;

import io.toggles.TogglesException;

/**
 * A request carried a scope value that the {@link ContextExtractor} refuses: {@link TogglesFilter}
 * answers it with status 400 and this message, JSON-encoded. The message must name the dimension
 * and what is wrong, and must not repeat the raw value unescaped.
 */
public final class ScopeRejectedException extends TogglesException {
  private static final long serialVersionUID = 1L;

  private final String dimension;

  /**
   * For a value of {@code dimension} that {@code message} explains.
   *
   * @param dimension the dimension whose value is refused
   * @param message what is wrong, for the client
   */
  public ScopeRejectedException(String dimension, String message) {
    super(message);
    this.dimension = dimension;
  }

  /** The dimension whose value was refused. */
  public String dimension() {
    return dimension;
  }
}
