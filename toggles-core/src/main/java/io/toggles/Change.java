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
    Instant at) {}
