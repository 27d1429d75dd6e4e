package io.toggles.cli;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.Expect;
import io.toggles.FeatureState;
import io.toggles.Scope;
import io.toggles.ToggleAdmin;
import java.util.List;
import java.util.Optional;

/**
 * A planned write to one feature, as a command worked it out from its arguments and the feature's
 * state; {@link WriteSession} previews, confirms and carries it out.
 *
 * @param before the feature's state the plan was made from
 * @param scope the row written, empty for kill, unkill and define
 * @param summary what the write does, for people: "set x at {country=DE} to true"
 * @param simulate the write as applied to the dry run's in-memory copy (see {@link DryRun})
 * @param real the write as applied to the store
 * @param expect what the real write expects of the row
 * @param alwaysConfirm whether it needs confirmation whatever its reach (kill)
 * @param guarded whether its reach is checked and shown at all (not for declaring a new feature)
 */
record WritePlan(
    FeatureState before,
    Optional<Scope> scope,
    String summary,
    Op simulate,
    Op real,
    Expect expect,
    boolean alwaysConfirm,
    boolean guarded) {

  /** One write through the write API. */
  @FunctionalInterface
  interface Op {
    List<Change> apply(ToggleAdmin admin, Expect expect, Audit audit);
  }

  /** A plan whose write is the same on the copy and the store, its reach guarded. */
  static WritePlan of(
      FeatureState before,
      Optional<Scope> scope,
      String summary,
      Op op,
      Expect expect,
      boolean kill) {
    return new WritePlan(before, scope, summary, op, op, expect, kill, true);
  }

  /** The feature written. */
  String feature() {
    return before.key();
  }
}
