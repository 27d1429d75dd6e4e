package io.toggles.spring.boot.autoconfigure.hooks;

/** Running counts of checks per feature and outcome, kept by core off the meters' path. */
public interface EvaluationCounts {

  /** Where a check's answer came from. */
  enum Outcome {
    /** A matching row. */
    ROW,
    /** The declared default. */
    DEFAULT,
    /** The kill switch. */
    KILLED,
    /** Nothing matched and nothing was declared: the caller's default. */
    CALLER_DEFAULT
  }

  /** Visits every count so far; counts only grow. */
  void forEach(Visitor visitor);

  /** Receives one count. */
  @FunctionalInterface
  interface Visitor {
    /** The count of checks of {@code feature} that ended with {@code outcome}. */
    void count(String feature, Outcome outcome, long count);
  }

  /** The current count of one pair, for a function counter; 0 if none. */
  long count(String feature, Outcome outcome);
}
