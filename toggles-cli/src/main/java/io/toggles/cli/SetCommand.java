package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.TogglesException;
import io.toggles.UnknownFeatureException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Set a feature's value at one scope (creates or changes that row).",
      "A scope names some dimensions; the ones left out are wildcards. The most specific"
          + " matching row wins; without any scope option the row is the global one."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles set checkout.gateway adyen --product shop --country DE --reason 'JIRA-42'",
      "  toggles set checkout.new-flow true --country DE --dry-run",
      "  toggles set fees.rate 0.015 --merchant m1 --expect-version 3 --reason 'INC-7 fee fix'"
    })
final class SetCommand implements Callable<Integer> {
  @Mixin FeatureArgument feature;

  @Parameters(
      index = "1",
      paramLabel = "VALUE",
      description = "The value, as text of the feature's type (true/false, 42, 0.015, {...}).")
  String value;

  @Mixin RowWrite write;

  @Override
  public Integer call() {
    RowWrite.Row row = write.check(feature.key());
    return write.session.run(
        b -> {
          FeatureState before = b.admin().read(row.key());
          FeatureDefinition def =
              before.definition().orElseThrow(() -> new UnknownFeatureException(row.key()));
          return Optional.of(
              plan(before, row, ValueText.parse(def, value), write.session.output()));
        });
  }

  /** The write of {@code value} at the row; {@code out} shows the value in the summary. */
  static WritePlan plan(FeatureState before, RowWrite.Row row, SettingValue value, Output out) {
    return WritePlan.of(
        before,
        Optional.of(row.scope()),
        "set " + row.key() + " at " + row.scope() + " to " + out.text(value.text()),
        (admin, expect, audit) -> List.of(admin.set(row.key(), row.scope(), value, expect, audit)),
        row.expect(),
        false);
  }

  /**
   * {@code enable} and {@code disable}: the write of a boolean, refused for another type.
   *
   * @throws UnknownFeatureException if the feature is not declared
   * @throws TogglesException if it is not a boolean feature
   */
  static Optional<WritePlan> planBoolean(
      Backend backend, RowWrite.Row row, boolean value, Output out) {
    FeatureState before = backend.admin().read(row.key());
    FeatureDefinition def =
        before.definition().orElseThrow(() -> new UnknownFeatureException(row.key()));
    if (def.type() != SettingType.BOOLEAN) {
      throw new TogglesException(
          "feature '"
              + row.key()
              + "' is "
              + def.type()
              + ", not BOOLEAN: enable and disable are for on/off features; use 'toggles set'");
    }
    return Optional.of(plan(before, row, SettingValue.of(value), out));
  }
}
