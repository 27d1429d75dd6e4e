package io.toggles.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
final class EnableCommand implements Callable<Integer> {
  @Mixin FeatureArgument feature;

  @Mixin RowWrite write;

  @Override
  public Integer call() {
    RowWrite.Row row = write.check(feature.key());
    return write.session.run(b -> SetCommand.planBoolean(b, row, true, write.session.output()));
  }
}
