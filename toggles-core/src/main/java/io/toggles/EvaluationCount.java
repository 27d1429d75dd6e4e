package io.toggles;

import java.util.Locale;

/**
 * How many checks of one feature this node answered with one outcome since it started, as {@link
 * Toggles#evaluationCounts()} reports them (with {@link Toggles.Builder#countEvaluations(boolean)}
 * on).
 *
 * @param feature the feature key
 * @param outcome what the checks answered
 * @param count how many checks did; never decreases from one report to the next
 */
public record EvaluationCount(String feature, Outcome outcome, long count) {

  /**
   * Checks the parts.
   *
   * @throws NullPointerException if the feature or the outcome is null
   * @throws IllegalArgumentException if the count is negative
   */
  public EvaluationCount {
    if (feature == null || outcome == null) {
      throw new NullPointerException("feature and outcome must not be null");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count is negative: " + count);
    }
  }

  /** What a check answered. */
  public enum Outcome {
    /** A boolean setting answered true (a row, the declared default or the kill value). */
    TRUE,
    /** A boolean setting answered false (a row, the declared default or the kill value). */
    FALSE,
    /** A setting of another type answered (a row, the declared default or the kill value). */
    VALUE,
    /**
     * Nothing in the store answered: no row matched and no default is declared, the feature is
     * killed without a kill value, the setting has another type than the check asked for, or the
     * context is of another hierarchy. The check returned the caller's default (the strict API
     * threw).
     */
    CALLER_DEFAULT;

    /**
     * The outcome as a metric tag: {@code true}, {@code false}, {@code value}, {@code
     * caller-default}.
     */
    public String tag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
