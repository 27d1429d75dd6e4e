package io.toggles.cli;

import io.toggles.Audit;
import io.toggles.ConflictException;
import io.toggles.Expect;
import io.toggles.FeatureState;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.Setting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a planned write would leave, without writing: the write applied to an in-memory copy of the
 * feature, with the same write rules as the database. Every write goes through here first: the
 * state it gives feeds the dry run, the effect printed after a write and the guard rail.
 *
 * <p>This is the one place to switch to {@code ToggleAdmin.preview} once the write engine offers it
 * (the real write run and rolled back): {@link #after} would return its after-state, and {@link
 * #checkExpectation} would be the preview's own conflict.
 */
final class DryRun {
  private DryRun() {}

  /** The feature's state after the plan's write. */
  static FeatureState after(Backend backend, WritePlan plan, Audit audit) {
    FeatureState before = plan.before();
    InMemoryStore copy = InMemoryStore.create(backend.store().hierarchy());
    if (before.definition().isPresent()) {
      copy.importAll(List.of(before), false, audit);
    }
    plan.simulate().apply(copy, Expect.any(), audit);
    FeatureState after = copy.load(plan.feature());
    // The copy numbers row versions afresh: show the real version of every row left as it was,
    // and the next one for a row written.
    Map<Scope, Setting> real = new HashMap<>();
    before.rows().forEach(r -> real.put(r.scope(), r));
    List<Setting> rows = new ArrayList<>();
    for (Setting r : after.rows()) {
      Setting old = real.get(r.scope());
      if (old == null) {
        rows.add(new Setting(r.feature(), r.scope(), r.value(), 1));
      } else if (old.value().equals(r.value())) {
        rows.add(old);
      } else {
        rows.add(new Setting(r.feature(), r.scope(), r.value(), old.version() + 1));
      }
    }
    return new FeatureState(
        after.key(), after.definition(), after.killed(), rows, before.revision() + 1);
  }

  /**
   * Refuses a dry run whose real write would conflict with the row as read.
   *
   * @throws ConflictException if the row's version does not meet the plan's expectation
   */
  static void checkExpectation(WritePlan plan) {
    if (plan.scope().isEmpty()) {
      return;
    }
    long actual =
        plan.before().rows().stream()
            .filter(s -> s.scope().equals(plan.scope().get()))
            .mapToLong(Setting::version)
            .findFirst()
            .orElse(0);
    if (!plan.expect().isMetBy(actual)) {
      throw new ConflictException(
          "row "
              + plan.scope().get()
              + " of '"
              + plan.feature()
              + "' is "
              + (actual == 0 ? "absent" : "at version " + actual)
              + ", expected "
              + plan.expect()
              + ": the write would conflict (dry run, nothing written)");
    }
  }
}
