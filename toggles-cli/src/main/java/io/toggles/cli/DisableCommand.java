package io.toggles.cli;

import picocli.CommandLine.Command;

@Command(
    name = "disable",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Turn a boolean feature off at one scope (same as 'set FEATURE false').",
      "To turn it off everywhere at once, use 'kill'."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  toggles disable checkout.new-flow --merchant m1 --reason 'INC-9 merchant m1'"})
final class DisableCommand extends BooleanWriteCommand {
  @Override
  boolean value() {
    return false;
  }
}
