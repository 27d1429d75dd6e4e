package io.toggles;

/**
 * A write that a rule of the write path refuses, whatever the caller expected: the input is well
 * formed but the feature's state does not allow it (a kill with no safe value to fall back to, a
 * type change of a feature with rows, a revert of a declaration). Nothing was written. {@link
 * #rule()} names the rule, so that callers map it (an exit code, an HTTP status) without reading
 * the message; the message says what to do instead.
 */
public final class WriteRefusedException extends TogglesException {
  private static final long serialVersionUID = 1L;

  /** The rules that refuse writes. */
  public enum Rule {
    /** A kill of a feature that has no value to fall back to (a non-boolean without a default). */
    KILL_NEEDS_SAFE_VALUE,
    /** A declaration that removes the default of a killed non-boolean feature. */
    KILLED_FEATURE_NEEDS_DEFAULT,
    /** A declaration that changes the type of a feature that has rows. */
    TYPE_CHANGE_WITH_ROWS,
    /** A revert of a declaration: declarations are changed by declaring again. */
    REVERT_OF_DECLARATION,
    /**
     * A write of a value, or a kill, of a feature whose stored declaration cannot be read (edited
     * by hand): its values cannot be typed. Declaring it again repairs it; unset and unkill still
     * work.
     */
    UNREADABLE_DECLARATION
  }

  private final Rule rule;

  /** A refusal by {@code rule}, with a message saying what to do instead. */
  public WriteRefusedException(Rule rule, String message) {
    super(message);
    this.rule = rule;
  }

  /** The rule that refused the write. */
  public Rule rule() {
    return rule;
  }
}
