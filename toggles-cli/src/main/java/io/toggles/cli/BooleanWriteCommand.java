package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.TogglesException;
import io.toggles.UnknownFeatureException;

/** {@code enable} and {@code disable}: {@code set} of a boolean feature to true or false. */
abstract class BooleanWriteCommand extends RowWriteCommand {

  abstract boolean value();

  @Override
  public Integer call() {
    Checked c = check();
    try (Backend b = open(conn)) {
      FeatureState before = b.admin().read(c.key());
      FeatureDefinition def =
          before.definition().orElseThrow(() -> new UnknownFeatureException(c.key()));
      if (def.type() != SettingType.BOOLEAN) {
        throw new TogglesException(
            "feature '"
                + c.key()
                + "' is "
                + def.type()
                + ", not BOOLEAN: enable and disable are for on/off features; use 'toggles set'");
      }
      return execute(b, before, SetCommand.plan(c, SettingValue.of(value())));
    }
  }
}
