package io.toggles.cli;

import io.toggles.Effect;
import java.util.Optional;

/**
 * Which writes need a person's confirmation: every kill, a write that changes the value of all
 * traffic no more specific row names, and a write whose effect reaches more than {@code
 * --max-scopes} contexts.
 */
final class GuardRail {
  private GuardRail() {}

  /** Why the write needs confirmation, or empty if it does not. */
  static Optional<String> why(WritePlan plan, Effect effect, int maxScopes) {
    if (plan.alwaysConfirm()) {
      return Optional.of(
          "this kill turns '"
              + plan.feature()
              + "' to its kill value everywhere ("
              + effect.reach()
              + " of "
              + effect.examined()
              + " contexts change)");
    }
    if (plan.guarded() && effect.reachesAll()) {
      return Optional.of(
          "this write changes the value for all traffic without a more specific row ("
              + effect.reach()
              + " contexts change)");
    }
    if (plan.guarded() && effect.reach() > maxScopes) {
      return Optional.of(
          "this write's effect reaches "
              + effect.reach()
              + " scopes, more than --max-scopes "
              + maxScopes);
    }
    return Optional.empty();
  }
}
