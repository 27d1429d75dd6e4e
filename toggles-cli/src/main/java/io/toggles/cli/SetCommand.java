package io.toggles.cli;

import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.SettingValue;
import io.toggles.UnknownFeatureException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
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
final class SetCommand extends RowWriteCommand {
  @Parameters(
      index = "1",
      paramLabel = "VALUE",
      description = "The value, as text of the feature's type (true/false, 42, 0.015, {...}).")
  String value;

  @Override
  public Integer call() {
    Checked c = check();
    try (Backend b = open(conn)) {
      FeatureState before = b.admin().read(c.key());
      FeatureDefinition def =
          before.definition().orElseThrow(() -> new UnknownFeatureException(c.key()));
      SettingValue v = parse(def, value);
      return execute(b, before, plan(c, v));
    }
  }

  static Plan plan(Checked c, SettingValue v) {
    return Plan.of(
        c.key(),
        Optional.of(c.scope()),
        "set " + c.key() + " at " + c.scope() + " to " + v.text(),
        (admin, expect, audit) -> List.of(admin.set(c.key(), c.scope(), v, expect, audit)),
        c.expect(),
        false);
  }
}
