package io.toggles;

import java.util.List;
import java.util.Optional;

/**
 * The one write API: declare, set, unset, kill, unkill, revert, import. The CLI and the servlet
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
   * Declares a feature, or changes its declaration. Changing the type of a feature that has rows is
   * refused.
   */
  Change define(FeatureDefinition definition, Audit audit);

  /** Creates or changes the row of {@code feature} at exactly {@code scope}. */
  Change set(String feature, Scope scope, SettingValue value, Expect expect, Audit audit);

  /** Removes the row of {@code feature} at exactly {@code scope}; it must exist. */
  Change unset(String feature, Scope scope, Expect expect, Audit audit);

  /**
   * Turns the kill switch on: the feature answers its kill value everywhere. Empty if it was
   * already on (nothing written). A non-boolean feature needs a declared default to fall back to.
   */
  Optional<Change> kill(String feature, Audit audit);

  /** Turns the kill switch off; the rows decide again. Empty if it was already off. */
  Optional<Change> unkill(String feature, Audit audit);

  /**
   * Undoes the change at {@code revision} with a new change. Refuses with {@link ConflictException}
   * if the same row (or kill switch) changed again since.
   */
  Change revert(long revision, Audit audit);

  /**
   * Makes the store hold the given features: declares them and sets their rows and kill switches.
   * With {@code prune}, rows of those features that the import does not name are removed. All or
   * nothing. Returns the changes made, none for what already matched.
   */
  List<Change> importAll(List<FeatureState> features, boolean prune, Audit audit);

  /**
   * Makes a write given as a value: the same as calling the method that {@code write} names ({@link
   * #define}, {@link #set}, {@link #unset}, {@link #kill}, {@link #unkill}, {@link #revert} or
   * {@link #importAll}), with the same rules, messages and exceptions.
   *
   * @return the changes made, in revision order; empty for a kill or unkill that found the switch
   *     already so, or an import that found everything as wanted
   */
  default List<Change> apply(Write write, Audit audit) {
    if (write instanceof Write.Define w) {
      return List.of(define(w.definition(), audit));
    } else if (write instanceof Write.Set w) {
      return List.of(set(w.feature(), w.scope(), w.value(), w.expect(), audit));
    } else if (write instanceof Write.Unset w) {
      return List.of(unset(w.feature(), w.scope(), w.expect(), audit));
    } else if (write instanceof Write.Kill w) {
      return kill(w.feature(), audit).map(List::of).orElse(List.of());
    } else if (write instanceof Write.Unkill w) {
      return unkill(w.feature(), audit).map(List::of).orElse(List.of());
    } else if (write instanceof Write.Revert w) {
      return List.of(revert(w.revision(), audit));
    } else if (write instanceof Write.Import w) {
      return importAll(w.features(), w.prune(), audit);
    }
    throw new IllegalArgumentException("unknown write " + write);
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
