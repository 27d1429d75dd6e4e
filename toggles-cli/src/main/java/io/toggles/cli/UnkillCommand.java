package io.toggles.cli;

import picocli.CommandLine.Command;

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
final class UnkillCommand extends SwitchCommand {
  @Override
  boolean on() {
    return false;
  }
}
