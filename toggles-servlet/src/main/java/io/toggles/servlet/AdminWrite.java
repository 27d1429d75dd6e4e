package io.toggles.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Scope;
import io.toggles.SettingValue;
import io.toggles.ToggleAdmin;
import io.toggles.UnknownFeatureException;
import java.util.Optional;

/**
 * A write asked for over HTTP, read from its request and checked, not yet performed: what the
 * authorizer is shown and what the store is asked to do.
 */
sealed interface AdminWrite {

  /** What the authorizer is asked about. */
  AdminAction action();

  /** Who writes and why. */
  Audit audit();

  /**
   * Performs the write through {@code admin}.
   *
   * @return the change, or empty if nothing needed changing (a kill of a killed feature)
   */
  Optional<Change> perform(ToggleAdmin admin);

  /** {@code POST features/{key}/set}; the value is typed by the feature's declaration. */
  record SetRow(String feature, Scope scope, JsonNode value, Expect expect, Audit audit)
      implements AdminWrite {
    @Override
    public AdminAction action() {
      return new AdminAction(AdminAction.Kind.SET, Optional.of(feature));
    }

    @Override
    public Optional<Change> perform(ToggleAdmin admin) {
      FeatureDefinition def =
          admin.read(feature).definition().orElseThrow(() -> new UnknownFeatureException(feature));
      SettingValue typed = BodyFields.settingValue(def.type(), value);
      return Optional.of(admin.set(feature, scope, typed, expect, audit));
    }
  }

  /** {@code POST features/{key}/unset}. */
  record UnsetRow(String feature, Scope scope, Expect expect, Audit audit) implements AdminWrite {
    @Override
    public AdminAction action() {
      return new AdminAction(AdminAction.Kind.UNSET, Optional.of(feature));
    }

    @Override
    public Optional<Change> perform(ToggleAdmin admin) {
      return Optional.of(admin.unset(feature, scope, expect, audit));
    }
  }

  /** {@code POST features/{key}/kill} ({@code on}) and {@code unkill}. */
  record Switch(String feature, boolean on, Audit audit) implements AdminWrite {
    @Override
    public AdminAction action() {
      return new AdminAction(
          on ? AdminAction.Kind.KILL : AdminAction.Kind.UNKILL, Optional.of(feature));
    }

    @Override
    public Optional<Change> perform(ToggleAdmin admin) {
      return on ? admin.kill(feature, audit) : admin.unkill(feature, audit);
    }
  }

  /** {@code POST revert}; {@code feature} is that of the change at {@code revision}. */
  record Revert(long revision, String feature, Audit audit) implements AdminWrite {
    @Override
    public AdminAction action() {
      return new AdminAction(AdminAction.Kind.REVERT, Optional.of(feature));
    }

    @Override
    public Optional<Change> perform(ToggleAdmin admin) {
      return Optional.of(admin.revert(revision, audit));
    }
  }
}
