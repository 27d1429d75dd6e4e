package io.toggles.cli;

import io.toggles.Expect;
import io.toggles.FeatureState;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "unkill",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Turn the feature's kill switch off: its rows decide again, as before the kill."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles unkill checkout.new-flow --dry-run",
      "  toggles unkill checkout.new-flow --reason 'INC-123 fixed in 2.4.1' --yes"
    })
final class UnkillCommand extends WriteCommand {
  @Parameters(index = "0", paramLabel = "FEATURE", description = "The feature key.")
  String feature;

  @Override
  public Integer call() {
    String key = key(feature);
    if (!write.dryRun) {
      write.audit(spec);
    }
    try (Backend b = open(conn)) {
      FeatureState before = known(b, key);
      return execute(
          b,
          before,
          Plan.of(
              key,
              Optional.empty(),
              "unkill " + key,
              (admin, expect, audit) -> admin.unkill(key, audit).stream().toList(),
              Expect.any(),
              false));
    }
  }
}
