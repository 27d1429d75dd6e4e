package io.toggles.cli;

import io.toggles.Context;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The scope of a row (for writes) or the context of a request (for {@code eval}): {@code --scope
 * DIM=VALUE} for any hierarchy, with {@code --product}, {@code --merchant} and {@code --country} as
 * shorthands for the default one. A dimension left out is a wildcard (row) or absent (context).
 */
final class ScopeOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-s", "--scope"},
      paramLabel = "DIM=VALUE",
      description = "A scope value by dimension name; repeatable, e.g. --scope country=DE.")
  Map<String, String> scope = new LinkedHashMap<>();

  @Option(names = "--product", paramLabel = "P", description = "Shorthand for --scope product=P.")
  String product;

  @Option(names = "--merchant", paramLabel = "M", description = "Shorthand for --scope merchant=M.")
  String merchant;

  @Option(names = "--country", paramLabel = "C", description = "Shorthand for --scope country=C.")
  String country;

  /**
   * The values by dimension, checked against the hierarchy.
   *
   * @throws ParameterException for an unknown dimension, a dimension given twice or a malformed
   *     value
   */
  Map<String, String> values(Hierarchy hierarchy) {
    Map<String, String> all = new LinkedHashMap<>();
    add(all, "product", product, spec);
    add(all, "merchant", merchant, spec);
    add(all, "country", country, spec);
    scope.forEach((dim, value) -> add(all, dim, value, spec));
    for (Map.Entry<String, String> e : all.entrySet()) {
      if (!hierarchy.dimensions().contains(e.getKey())) {
        throw new ParameterException(
            spec.commandLine(),
            "unknown scope dimension '"
                + e.getKey()
                + "'; the hierarchy is "
                + String.join(",", hierarchy.dimensions())
                + " (see --hierarchy)");
      }
      try {
        Scope.requireValidValue(e.getKey(), e.getValue());
      } catch (IllegalArgumentException ex) {
        throw new ParameterException(spec.commandLine(), "bad scope: " + ex.getMessage());
      }
    }
    return all;
  }

  private static void add(Map<String, String> all, String dim, String value, CommandSpec spec) {
    if (value == null) {
      return;
    }
    String previous = all.put(dim, value);
    if (previous != null) {
      throw new ParameterException(
          spec.commandLine(), "scope dimension '" + dim + "' is given twice");
    }
  }

  /** The row scope. */
  Scope scope(Hierarchy hierarchy) {
    return Scope.of(hierarchy, values(hierarchy));
  }

  /** The request context. */
  Context context(Hierarchy hierarchy) {
    Context.Builder b = hierarchy.context();
    values(hierarchy).forEach(b::with);
    return b.build();
  }
}
