package io.toggles;

/** The root of every exception this library throws on purpose. Unchecked. */
public class TogglesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message a person can act on. */
  public TogglesException(String message) {
    super(message);
  }

  /** An exception with a message and its cause. */
  public TogglesException(String message, Throwable cause) {
    super(message, cause);
  }
}
