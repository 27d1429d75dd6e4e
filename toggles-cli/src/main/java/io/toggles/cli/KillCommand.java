package io.toggles.cli;

import io.toggles.Expect;
import io.toggles.FeatureState;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
final class KillCommand implements Callable<Integer> {
  @Mixin FeatureArgument feature;

  @Mixin WriteSession write;

  @Override
  public Integer call() {
    String key = feature.key();
    return write.run(b -> Optional.of(plan(b.readKnown(key), true)));
  }

  /** The write of the kill switch: on (kill) or off (unkill). */
  static WritePlan plan(FeatureState before, boolean on) {
    String key = before.key();
    return WritePlan.of(
        before,
        Optional.empty(),
        (on ? "kill " : "unkill ") + key,
        (admin, expect, audit) ->
            (on ? admin.kill(key, audit) : admin.unkill(key, audit)).stream().toList(),
        Expect.any(),
        on);
  }
}
