package io.toggles;

import java.util.List;
import java.util.Optional;

/**
 * Why a feature resolves as it does for a context: the winning row, the matching rows it outranked
 * (and on which dimension), and the rows that do not match (and which dimension excluded them).
 * Printed by the CLI's {@code eval --explain} and the admin endpoint.
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

  /** A few lines a person can read, as the CLI prints them. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(feature)
        .append(" for ")
        .append(context.asMap().isEmpty() ? "{no scope}" : context.asMap())
        .append(" = ")
        .append(value.map(SettingValue::text).orElse("(not found)"))
        .append('\n');
    switch (outcome) {
      case KILLED:
        out.append("  KILLED: the kill switch is on and beats every row\n");
        winner.ifPresent(
            w ->
                out.append("  once unkilled, the winner is ")
                    .append(w.scope())
                    .append(" = ")
                    .append(w.value().text())
                    .append('\n'));
        break;
      case ROW:
        Setting w = winner.orElseThrow();
        out.append("  winner: ")
            .append(w.scope())
            .append(" = ")
            .append(w.value().text())
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
          .append(o.setting().scope())
          .append(" = ")
          .append(o.setting().value().text())
          .append(" (the winner names ")
          .append(o.lostOn())
          .append(", this row does not)\n");
    }
    for (Excluded e : excluded) {
      out.append("  excluded: ")
          .append(e.setting().scope())
          .append(" = ")
          .append(e.setting().value().text())
          .append(" (")
          .append(e.dimension())
          .append(" is ")
          .append(e.contextValue().map(Texts::quote).orElse("absent"))
          .append(" in the context)\n");
    }
    if (excludedTotal > excluded.size()) {
      out.append("  ... and ")
          .append(excludedTotal - excluded.size())
          .append(" more rows that do not match\n");
    }
    return out.toString();
  }
}
