package io.toggles;

import java.util.List;
import java.util.Optional;

/**
 * The one write API: declare, set, unset, kill, unkill, revert, import, each a {@link Write} made
 * by {@link #apply} (and shown without being made by {@link #preview}). The CLI and the servlet
 * admin endpoint write only through it.
 *
 * <p>Every method is one transaction that also appends its change-log entries; a method that throws
 * has changed nothing. Bad input throws {@link IllegalArgumentException} (malformed key, scope or
 * value), {@link UnknownFeatureException} or {@link WrongTypeException}; a failed expectation or a
 * revert of a row changed since throws {@link ConflictException}; storage failures throw {@link
 * StoreException}. Implementations are thread-safe.
 */
public interface ToggleAdmin {

  /** The hierarchy of this store's scopes. */
  Hierarchy hierarchy();

  /**
   * Makes a write given as a value, in one transaction: the one path every write takes (the methods
   * below, the CLI, the admin endpoint). Every rule and expectation applies; a write that throws
   * has changed nothing.
   *
   * @return the changes made, in revision order, all of one change set; empty for a kill or unkill
   *     that found the switch already so, or an import that found everything as wanted
   */
  List<Change> apply(Write write, Audit audit);

  /**
   * Declares a feature, or changes its declaration. Changing the type of a feature that has rows is
   * refused. {@link #apply} of a {@link Write.Define}.
   */
  default Change define(FeatureDefinition definition, Audit audit) {
    return apply(new Write.Define(definition), audit).get(0);
  }

  /**
   * Creates or changes the row of {@code feature} at exactly {@code scope}. {@link #apply} of a
   * {@link Write.Set}.
   */
  default Change set(String feature, Scope scope, SettingValue value, Expect expect, Audit audit) {
    return apply(new Write.Set(feature, scope, value, expect), audit).get(0);
  }

  /**
   * Removes the row of {@code feature} at exactly {@code scope}; it must exist. {@link #apply} of a
   * {@link Write.Unset}.
   */
  default Change unset(String feature, Scope scope, Expect expect, Audit audit) {
    return apply(new Write.Unset(feature, scope, expect), audit).get(0);
  }

  /**
   * Turns the kill switch on: the feature answers its kill value everywhere. Empty if it was
   * already on (nothing written). A non-boolean feature needs a declared default to fall back to.
   * {@link #apply} of a {@link Write.Kill}.
   */
  default Optional<Change> kill(String feature, Audit audit) {
    return apply(new Write.Kill(feature), audit).stream().findFirst();
  }

  /**
   * Turns the kill switch off; the rows decide again. Empty if it was already off. {@link #apply}
   * of a {@link Write.Unkill}.
   */
  default Optional<Change> unkill(String feature, Audit audit) {
    return apply(new Write.Unkill(feature), audit).stream().findFirst();
  }

  /**
   * Undoes the change at {@code revision} with a new change. Refuses with {@link ConflictException}
   * if the same row (or kill switch) changed again since. {@link #apply} of a {@link Write.Revert}.
   */
  default Change revert(long revision, Audit audit) {
    return apply(new Write.Revert(revision), audit).get(0);
  }

  /**
   * Makes the store hold the given features: declares them and sets their rows and kill switches.
   * With {@code prune}, rows of those features that the import does not name are removed. All or
   * nothing, one change set. Returns the changes made, none for what already matched. {@link
   * #apply} of a {@link Write.Import}.
   */
  default List<Change> importAll(List<FeatureState> features, boolean prune, Audit audit) {
    return apply(new Write.Import(features, prune), audit);
  }

  /**
   * Shows what {@link #apply(Write, Audit)} would do now, without doing it: the write runs in a
   * transaction with every rule and expectation, and is rolled back. It throws what {@code apply}
   * would throw.
   *
   * @return the changes it would make and every feature it names before and after
   */
  Preview preview(Write write, Audit audit);

  /** One feature as stored now: declaration, kill switch, rows. */
  FeatureState read(String feature);

  /** Every declared feature. */
  List<FeatureDefinition> features();

  /** The newest change-log entries first, of one feature or of all, at most {@code limit}. */
  List<Change> history(Optional<String> feature, int limit);

  /** The change at {@code revision}, if the log has it. */
  Optional<Change> change(long revision);
}
