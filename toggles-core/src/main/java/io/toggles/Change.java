package io.toggles;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of the change log: every write appends exactly one, in the same transaction. The
 * revision orders all changes of a store and is the change feed that nodes follow.
 *
 * @param revision the store-wide revision of this change, increasing
 * @param feature the feature key
 * @param kind what was done
 * @param scope the row's scope, for {@code SET} and {@code UNSET}
 * @param oldValue the row's value before (or the previous default, for {@code DEFINE})
 * @param newValue the row's value after (or the new default, for {@code DEFINE})
 * @param newVersion the row's version after the change, for {@code SET}
 * @param actor who made it
 * @param reason why
 * @param revertOf the revision this change reverted, if it is a revert
 * @param at when, by the store's clock
 * @param changeSet the revision at which the write that made this change committed: the last
 *     revision of its transaction. Every change of one write (an import, a multi-row revert) has
 *     the same change set, and a node applies them all at once or not at all. Equal to {@code
 *     revision} for a write of one change.
 * @param id an opaque id, unique to this change across stores and restores, so that a node can tell
 *     whether the change at a revision is still the one it applied; empty if the store does not
 *     record one (a change written by an older release)
 */
public record Change(
    long revision,
    String feature,
    ChangeKind kind,
    Optional<Scope> scope,
    Optional<SettingValue> oldValue,
    Optional<SettingValue> newValue,
    OptionalLong newVersion,
    String actor,
    String reason,
    OptionalLong revertOf,
    Instant at,
    long changeSet,
    String id) {

  /**
   * Validates the revisions.
   *
   * @throws IllegalArgumentException if the revision is below 1 or the change set before it
   */
  public Change {
    if (revision < 1) {
      throw new IllegalArgumentException("revision must be at least 1, got " + revision);
    }
    if (changeSet < revision) {
      throw new IllegalArgumentException(
          "change set " + changeSet + " ends before its change at revision " + revision);
    }
    if (id == null) {
      throw new NullPointerException("id");
    }
  }

  /** A change that is a write of its own (its change set is its revision) with no id. */
  public Change(
      long revision,
      String feature,
      ChangeKind kind,
      Optional<Scope> scope,
      Optional<SettingValue> oldValue,
      Optional<SettingValue> newValue,
      OptionalLong newVersion,
      String actor,
      String reason,
      OptionalLong revertOf,
      Instant at) {
    this(
        revision,
        feature,
        kind,
        scope,
        oldValue,
        newValue,
        newVersion,
        actor,
        reason,
        revertOf,
        at,
        revision,
        "");
  }

  /** This change as part of the write that committed at {@code changeSet}, with {@code id}. */
  public Change inChangeSet(long changeSet, String id) {
    return new Change(
        revision,
        feature,
        kind,
        scope,
        oldValue,
        newValue,
        newVersion,
        actor,
        reason,
        revertOf,
        at,
        changeSet,
        id);
  }
}
