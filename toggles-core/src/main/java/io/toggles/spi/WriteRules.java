package io.toggles.spi;

import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.ConflictException;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.SettingValue;
import io.toggles.UnknownFeatureException;
import io.toggles.WriteRefusedException;
import io.toggles.WrongTypeException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rules of the write path, each with its message, in one place: {@link WriteEngine} applies
 * them to every write of every store, and tools may use them to plan a write before making it (the
 * CLI's dry run of a revert). Prefer {@link io.toggles.ToggleAdmin#preview} for the latter: it runs
 * the real write and rolls it back.
 */
public final class WriteRules {
  private WriteRules() {}

  /**
   * Checks that a row may be written: the feature is declared, the value is of its type and the
   * scope is of the store's hierarchy.
   *
   * @return the declaration
   */
  public static FeatureDefinition checkRow(
      Hierarchy hierarchy,
      String feature,
      Optional<FeatureDefinition> definition,
      Scope scope,
      Optional<SettingValue> value) {
    FeatureDefinition.requireValidKey(feature);
    FeatureDefinition def = definition.orElseThrow(() -> new UnknownFeatureException(feature));
    checkScope(hierarchy, scope);
    if (value.isPresent() && value.get().type() != def.type()) {
      throw new WrongTypeException(feature, value.get().type(), def.type());
    }
    return def;
  }

  /**
   * Checks that a scope is of the store's hierarchy.
   *
   * @throws IllegalArgumentException naming both hierarchies if it is not
   */
  public static void checkScope(Hierarchy hierarchy, Scope scope) {
    if (!scope.hierarchy().equals(hierarchy)) {
      throw new IllegalArgumentException(
          "scope has dimensions "
              + scope.hierarchy().dimensions()
              + " but the store has "
              + hierarchy.dimensions());
    }
  }

  /**
   * Checks an expectation against the row found, if any.
   *
   * @param actualVersion the version of the row at {@code scope}; empty if there is none
   * @throws ConflictException if the expectation does not hold
   */
  public static void checkExpect(
      String feature, Scope scope, Expect expect, OptionalLong actualVersion) {
    long actual = actualVersion.orElse(0L);
    if (!expect.isMetBy(actual)) {
      throw new ConflictException(
          "row "
              + scope
              + " of '"
              + feature
              + "' is "
              + (actualVersion.isEmpty() ? "absent" : "at version " + actual)
              + ", expected "
              + expect
              + ": someone else changed it; nothing was written");
    }
  }

  /** Checks that a feature may be killed: it is declared and has a value to fall back to. */
  public static void checkKill(String feature, Optional<FeatureDefinition> definition) {
    FeatureDefinition def = definition.orElseThrow(() -> new UnknownFeatureException(feature));
    if (def.killValue().isEmpty()) {
      throw new WriteRefusedException(
          WriteRefusedException.Rule.KILL_NEEDS_SAFE_VALUE,
          "feature '"
              + feature
              + "' is "
              + def.type()
              + " with no default: a kill switch needs a safe value; define a default first");
    }
  }

  /**
   * Checks a re-declaration: the type of a feature with rows cannot change, and a killed feature
   * must keep a value to fall back to.
   */
  public static void checkDefine(
      Optional<FeatureDefinition> previous,
      FeatureDefinition next,
      boolean hasRows,
      boolean killed) {
    if (killed && next.killValue().isEmpty()) {
      throw new WriteRefusedException(
          WriteRefusedException.Rule.KILLED_FEATURE_NEEDS_DEFAULT,
          "feature '"
              + next.key()
              + "' is killed and falls back to its default; keep a default while it is killed"
              + " (unkill first to remove it)");
    }
    if (previous.isPresent() && previous.get().type() != next.type() && hasRows) {
      throw new WriteRefusedException(
          WriteRefusedException.Rule.TYPE_CHANGE_WITH_ROWS,
          "feature '"
              + next.key()
              + "' has rows of type "
              + previous.get().type()
              + "; remove them before changing its type to "
              + next.type());
    }
  }

  /**
   * What undoing a change takes, given whether the same row or switch changed again after it.
   *
   * @throws ConflictException if it changed again since
   * @throws WriteRefusedException if the change cannot be reverted (a definition)
   */
  public static Revert planRevert(Change target, Optional<Change> laterChange) {
    if (target.kind() == ChangeKind.DEFINE) {
      throw new WriteRefusedException(
          WriteRefusedException.Rule.REVERT_OF_DECLARATION,
          "revision "
              + target.revision()
              + " declared feature '"
              + target.feature()
              + "'; a declaration is not reverted, define it again instead");
    }
    if (laterChange.isPresent()) {
      Change later = laterChange.get();
      String what =
          target.kind() == ChangeKind.KILL || target.kind() == ChangeKind.UNKILL
              ? "the kill switch of '" + target.feature() + "'"
              : "the row "
                  + target.scope().map(Scope::toString).orElse("")
                  + " of '"
                  + target.feature()
                  + "'";
      throw new ConflictException(
          "cannot revert revision "
              + target.revision()
              + ": "
              + what
              + " changed again at revision "
              + later.revision()
              + " by "
              + later.actor()
              + "; revert that first or set the value you want");
    }
    switch (target.kind()) {
      case KILL:
        return new Revert(ChangeKind.UNKILL, Optional.empty(), Optional.empty());
      case UNKILL:
        return new Revert(ChangeKind.KILL, Optional.empty(), Optional.empty());
      case SET:
      case UNSET:
        return target.oldValue().isPresent()
            ? new Revert(ChangeKind.SET, target.scope(), target.oldValue())
            : new Revert(ChangeKind.UNSET, target.scope(), Optional.empty());
      default:
        throw new AssertionError(target.kind());
    }
  }

  /** Whether {@code later} touches what {@code target} changed (same row, or same switch). */
  public static boolean touchesSame(Change target, Change later) {
    if (!later.feature().equals(target.feature())) {
      return false;
    }
    boolean targetSwitch = target.kind() == ChangeKind.KILL || target.kind() == ChangeKind.UNKILL;
    boolean laterSwitch = later.kind() == ChangeKind.KILL || later.kind() == ChangeKind.UNKILL;
    if (targetSwitch || laterSwitch) {
      return targetSwitch && laterSwitch;
    }
    return later.kind() != ChangeKind.DEFINE && later.scope().equals(target.scope());
  }

  /**
   * The write that undoes a change.
   *
   * @param kind {@code SET}, {@code UNSET}, {@code KILL} or {@code UNKILL}
   * @param scope the row's scope, for {@code SET} and {@code UNSET}
   * @param value the value to restore, for {@code SET}
   */
  public record Revert(ChangeKind kind, Optional<Scope> scope, Optional<SettingValue> value) {

    /**
     * Performs this revert of {@code feature}'s change at {@code revertOf} with a store's writes.
     */
    public Change perform(String feature, long revertOf, Writes writes) {
      OptionalLong of = OptionalLong.of(revertOf);
      switch (kind) {
        case SET:
          return writes.set(feature, scope.orElseThrow(), value.orElseThrow(), of);
        case UNSET:
          return writes.unset(feature, scope.orElseThrow(), of);
        case KILL:
          return writes.kill(feature, true, of).orElseThrow();
        case UNKILL:
          return writes.kill(feature, false, of).orElseThrow();
        default:
          throw new AssertionError(kind);
      }
    }
  }

  /** The writes a revert needs, each recording {@code revertOf} in its change-log entry. */
  public interface Writes {
    /** Sets a row whatever its version. */
    Change set(String feature, Scope scope, SettingValue value, OptionalLong revertOf);

    /** Removes a row whatever its version. */
    Change unset(String feature, Scope scope, OptionalLong revertOf);

    /** Turns the kill switch on or off; empty if it already was. */
    Optional<Change> kill(String feature, boolean on, OptionalLong revertOf);
  }
}
