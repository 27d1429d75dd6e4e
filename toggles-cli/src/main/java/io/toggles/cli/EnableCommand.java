package io.toggles.cli;

import picocli.CommandLine.Command;

@Command(
    name = "enable",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Turn a boolean feature on at one scope (same as 'set FEATURE true')."},
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles enable checkout.new-flow --product shop --reason 'JIRA-42 rollout step 1'",
      "  toggles enable checkout.new-flow --scope country=DE --dry-run"
    })
final class EnableCommand extends BooleanWriteCommand {
  @Override
  boolean value() {
    return true;
  }
}
