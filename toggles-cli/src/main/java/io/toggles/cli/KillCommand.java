package io.toggles.cli;

import picocli.CommandLine.Command;

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
final class KillCommand extends SwitchCommand {
  @Override
  boolean on() {
    return true;
  }
}
