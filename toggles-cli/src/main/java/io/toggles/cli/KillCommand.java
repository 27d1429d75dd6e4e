package io.toggles.cli;

import io.toggles.Expect;
import io.toggles.FeatureState;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "kill",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Incident rollback: turn the feature's kill switch on. It then answers its kill value"
          + " (false for a boolean feature, else its default) everywhere, beating every scoped"
          + " row. The rows stay as they are; 'unkill' (or 'revert') lets them decide again.",
      "Always asks for confirmation; give --yes when not on a terminal."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles kill checkout.new-flow --reason 'INC-123 checkout errors' --yes",
      "  toggles kill checkout.new-flow --dry-run"
    })
final class KillCommand extends WriteCommand {
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
              "kill " + key,
              (admin, expect, audit) -> admin.kill(key, audit).stream().toList(),
              Expect.any(),
              true));
    }
  }
}
