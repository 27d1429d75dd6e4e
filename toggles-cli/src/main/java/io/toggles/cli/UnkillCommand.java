package io.toggles.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
final class UnkillCommand implements Callable<Integer> {
  @Mixin FeatureArgument feature;

  @Mixin WriteSession write;

  @Override
  public Integer call() {
    String key = feature.key();
    return write.run(b -> Optional.of(KillCommand.plan(b.readKnown(key), false)));
  }
}
