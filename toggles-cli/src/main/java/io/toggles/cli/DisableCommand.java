package io.toggles.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
final class DisableCommand implements Callable<Integer> {
  @Mixin FeatureArgument feature;

  @Mixin RowWrite write;

  @Override
  public Integer call() {
    RowWrite.Row row = write.check(feature.key());
    return write.session.run(b -> SetCommand.planBoolean(b, row, false, write.session.output()));
  }
}
