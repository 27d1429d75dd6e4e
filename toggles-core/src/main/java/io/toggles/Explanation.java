package io.toggles;

import io.toggles.internal.DisplayText;
import java.util.List;
import java.util.Optional;

/**
 * Why a feature resolves as it does for a context: the winning row, the matching rows it outranked
 * (and on which dimension), and the rows that do not match (and which dimension excluded them).
 * Printed by the CLI's {@code eval --explain} and the admin endpoint. {@link Toggles#explain}
 * explains what a running instance holds; {@link #of(Hierarchy, FeatureState, Context)} explains
 * any state, for instance one read from a store or the state a write would leave.
 *
 * @param feature the feature key
 * @param context the context explained
 * @param outcome where the value comes from
 * @param value the value a check returns; empty for {@link Outcome#NOT_FOUND}
 * @param winner the most specific matching row, also while killed (what wins once unkilled)
 * @param outranked matching rows that lost to the winner
 * @param excluded rows that do not match, at most a bounded number of them
 * @param excludedTotal how many rows do not match in all
 * @param definition the feature's declaration, if declared
 * @param revision the store revision the explanation is based on
 */
public record Explanation(
    String feature,
    Context context,
    Outcome outcome,
    Optional<SettingValue> value,
    Optional<Setting> winner,
    List<Outranked> outranked,
    List<Excluded> excluded,
    int excludedTotal,
    Optional<FeatureDefinition> definition,
    long revision) {

  /** Copies the lists. */
  public Explanation {
    outranked = List.copyOf(outranked);
    excluded = List.copyOf(excluded);
  }

  /** How many non-matching rows {@link #of(Hierarchy, FeatureState, Context)} lists. */
  public static final int DEFAULT_MAX_EXCLUDED = 50;

  /**
   * Explains a feature's state for a context without a {@link Toggles} instance: the same resolver,
   * the same precedence, no threads and no store. The state is indexed for this one call; {@link
   * Effect#of} explains many contexts against one index. Lists at most {@value
   * #DEFAULT_MAX_EXCLUDED} non-matching rows (all are counted in {@link #excludedTotal()}).
   * Thread-safe.
   *
   * @param hierarchy the dimensions of the state's rows and of the context
   * @param state the feature's state, for instance from {@link ToggleAdmin#read}
   * @param context the request context
   * @throws IllegalArgumentException if a row or the context has another hierarchy, a row belongs
   *     to another feature, or two rows share a scope
   */
  public static Explanation of(Hierarchy hierarchy, FeatureState state, Context context) {
    return of(hierarchy, state, context, DEFAULT_MAX_EXCLUDED);
  }

  /**
   * As {@link #of(Hierarchy, FeatureState, Context)}, listing at most {@code maxExcluded}
   * non-matching rows.
   *
   * @throws IllegalArgumentException as {@link #of(Hierarchy, FeatureState, Context)}, or if {@code
   *     maxExcluded} is negative
   */
  public static Explanation of(
      Hierarchy hierarchy, FeatureState state, Context context, int maxExcluded) {
    return new StateExplainer(hierarchy, state).explain(context, maxExcluded);
  }

  /** Where a resolved value comes from. */
  public enum Outcome {
    /** The kill switch is on: the feature's kill value, whatever the rows say. */
    KILLED,
    /** The most specific matching row. */
    ROW,
    /** No row matches; the declared default. */
    DEFAULT,
    /** No row matches and no default is declared. */
    NOT_FOUND
  }

  /**
   * A matching row that lost.
   *
   * @param setting the row
   * @param lostOn the most significant dimension the winner names and this row does not
   */
  public record Outranked(Setting setting, String lostOn) {}

  /**
   * A row that does not match the context.
   *
   * @param setting the row
   * @param dimension the most significant dimension whose value differs
   * @param contextValue the context's value of that dimension, empty if absent
   */
  public record Excluded(Setting setting, String dimension, Optional<String> contextValue) {}

  /**
   * A few lines a person can read, as the CLI prints them, with whole values. Stored text is shown
   * escaped (control, bidirectional formatting and line separator characters as <code>&#92;uXXXX
   * </code>), so that a value can neither drive a terminal nor forge a line.
   */
  public String render() {
    return render(Integer.MAX_VALUE);
  }

  /**
   * As {@link #render()}, with every value longer than {@code maxValueLength} characters cut and
   * marked with its length: {@code {"a": ... (65536 chars)}}.
   *
   * @throws IllegalArgumentException if {@code maxValueLength} is below 1
   */
  public String render(int maxValueLength) {
    if (maxValueLength < 1) {
      throw new IllegalArgumentException(
          "maxValueLength must be at least 1, got " + maxValueLength);
    }
    StringBuilder out = new StringBuilder();
    out.append(feature)
        .append(" for ")
        .append(context.asMap().isEmpty() ? "{no scope}" : shown(context.asMap().toString()))
        .append(" = ")
        .append(value.map(v -> shown(v, maxValueLength)).orElse("(not found)"))
        .append('\n');
    switch (outcome) {
      case KILLED:
        out.append("  KILLED: the kill switch is on and beats every row\n");
        winner.ifPresent(
            w ->
                out.append("  once unkilled, the winner is ")
                    .append(shown(w.scope().toString()))
                    .append(" = ")
                    .append(shown(w.value(), maxValueLength))
                    .append('\n'));
        break;
      case ROW:
        Setting w = winner.orElseThrow();
        out.append("  winner: ")
            .append(shown(w.scope().toString()))
            .append(" = ")
            .append(shown(w.value(), maxValueLength))
            .append(" (version ")
            .append(w.version())
            .append(")\n");
        break;
      case DEFAULT:
        out.append("  no row matches: the declared default\n");
        break;
      case NOT_FOUND:
        out.append("  no row matches and no default is declared\n");
        break;
    }
    for (Outranked o : outranked) {
      out.append("  lost:     ")
          .append(shown(o.setting().scope().toString()))
          .append(" = ")
          .append(shown(o.setting().value(), maxValueLength))
          .append(" (the winner names ")
          .append(o.lostOn())
          .append(", this row does not)\n");
    }
    for (Excluded e : excluded) {
      out.append("  excluded: ")
          .append(shown(e.setting().scope().toString()))
          .append(" = ")
          .append(shown(e.setting().value(), maxValueLength))
          .append(" (")
          .append(e.dimension())
          .append(" is ")
          .append(e.contextValue().map(v -> shown(Texts.quote(v))).orElse("absent"))
          .append(" in the context)\n");
    }
    if (excludedTotal > excluded.size()) {
      out.append("  ... and ")
          .append(excludedTotal - excluded.size())
          .append(" more rows that do not match\n");
    }
    return out.toString();
  }

  private static String shown(String text) {
    return DisplayText.escape(text);
  }

  private static String shown(SettingValue value, int max) {
    return DisplayText.escape(value.text(), max);
  }
}
