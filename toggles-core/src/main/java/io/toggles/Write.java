package io.toggles;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One write of the {@link ToggleAdmin} API as a value, so that every caller (the CLI, the admin
 * endpoint, a console) passes the same thing to {@link ToggleAdmin#apply(Write, Audit)} to make it
 * and to {@link ToggleAdmin#preview(Write, Audit)} to see what it would do. Each record checks its
 * input in its compact constructor; what depends on the store's state (is the feature declared, is
 * the expectation met) is checked when the write runs.
 */
public sealed interface Write {

  /**
   * What the write does, for messages: {@code "setting 'f' at {global}"}, {@code "killing 'f'"}.
   */
  String describe();

  /**
   * Declares a feature, or changes its declaration.
   *
   * @param definition the declaration
   */
  record Define(FeatureDefinition definition) implements Write {
    /**
     * Checks that the default can be stored.
     *
     * @throws IllegalArgumentException if the default holds U+0000
     */
    public Define {
      Objects.requireNonNull(definition, "definition");
      requireStorable(definition.defaultValue());
    }

    @Override
    public String describe() {
      return "defining '" + definition.key() + "'";
    }
  }

  /**
   * Creates or changes the row of a feature at exactly a scope.
   *
   * @param feature the feature key
   * @param scope the row's scope
   * @param value the new value, of the feature's type
   * @param expect what the row must be before the write
   */
  record Set(String feature, Scope scope, SettingValue value, Expect expect) implements Write {
    /**
     * Checks the key and that the value can be stored.
     *
     * @throws IllegalArgumentException if the key is malformed or the value holds U+0000
     */
    public Set {
      FeatureDefinition.requireValidKey(feature);
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(expect, "expect");
      requireStorable(Optional.of(value));
    }

    @Override
    public String describe() {
      return "setting '" + feature + "' at " + scope;
    }
  }

  /**
   * Removes the row of a feature at exactly a scope; it must exist.
   *
   * @param feature the feature key
   * @param scope the row's scope
   * @param expect what the row must be before the write
   */
  record Unset(String feature, Scope scope, Expect expect) implements Write {
    /**
     * Checks the key.
     *
     * @throws IllegalArgumentException if the key is malformed
     */
    public Unset {
      FeatureDefinition.requireValidKey(feature);
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(expect, "expect");
    }

    @Override
    public String describe() {
      return "unsetting '" + feature + "' at " + scope;
    }
  }

  /**
   * Turns the kill switch of a feature on.
   *
   * @param feature the feature key
   */
  record Kill(String feature) implements Write {
    /**
     * Checks the key.
     *
     * @throws IllegalArgumentException if the key is malformed
     */
    public Kill {
      FeatureDefinition.requireValidKey(feature);
    }

    @Override
    public String describe() {
      return "killing '" + feature + "'";
    }
  }

  /**
   * Turns the kill switch of a feature off.
   *
   * @param feature the feature key
   */
  record Unkill(String feature) implements Write {
    /**
     * Checks the key.
     *
     * @throws IllegalArgumentException if the key is malformed
     */
    public Unkill {
      FeatureDefinition.requireValidKey(feature);
    }

    @Override
    public String describe() {
      return "unkilling '" + feature + "'";
    }
  }

  /**
   * Undoes the change at a revision with a new change.
   *
   * @param revision the revision of the change to undo
   */
  record Revert(long revision) implements Write {
    /**
     * Checks the revision.
     *
     * @throws IllegalArgumentException if it is below 1 (no change is there)
     */
    public Revert {
      if (revision < 1) {
        throw new IllegalArgumentException("no change at revision " + revision);
      }
    }

    @Override
    public String describe() {
      return "reverting revision " + revision;
    }
  }

  /**
   * Makes the store hold the given features: declarations, rows and kill switches; with {@code
   * prune}, rows of those features that the import does not name are removed.
   *
   * @param features the features, each declared, at most one row per scope
   * @param prune whether to remove the rows the import does not name
   */
  record Import(List<FeatureState> features, boolean prune) implements Write {
    /**
     * Copies the list and checks every feature.
     *
     * @throws IllegalArgumentException if a feature has no declaration, appears twice, has two rows
     *     of one scope, or holds a value with U+0000
     */
    public Import {
      features = List.copyOf(features);
      java.util.Set<String> keys = new HashSet<>();
      for (FeatureState f : features) {
        FeatureDefinition def =
            f.definition()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "imported feature '" + f.key() + "' has no declaration"));
        if (!keys.add(f.key())) {
          throw new IllegalArgumentException("feature '" + f.key() + "' is imported twice");
        }
        requireStorable(def.defaultValue());
        java.util.Set<Scope> scopes = new HashSet<>();
        for (Setting row : f.rows()) {
          if (!scopes.add(row.scope())) {
            throw new IllegalArgumentException(
                "imported feature '" + f.key() + "' has two rows for " + row.scope());
          }
          requireStorable(Optional.of(row.value()));
        }
      }
    }

    @Override
    public String describe() {
      return "importing " + features.size() + " features";
    }

    /** The keys of the imported features, in order. */
    public List<String> keys() {
      List<String> out = new ArrayList<>(features.size());
      for (FeatureState f : features) {
        out.add(f.key());
      }
      return out;
    }
  }

  /**
   * Refuses a value that no database can store in a text column (PostgreSQL refuses U+0000), so
   * that every store refuses it alike and before any I/O.
   *
   * @throws IllegalArgumentException if the value holds U+0000
   */
  private static void requireStorable(Optional<SettingValue> value) {
    if (value.isPresent() && value.get().text().indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(
          "value contains the character U+0000, which the database cannot store");
    }
  }
}
