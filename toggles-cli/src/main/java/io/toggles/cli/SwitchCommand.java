package io.toggles.cli;

import io.toggles.Expect;
import io.toggles.FeatureState;
import java.util.Optional;
import picocli.CommandLine.Parameters;

/** {@code kill} and {@code unkill}: one write of the feature's kill switch. */
abstract class SwitchCommand extends WriteCommand {
  @Parameters(index = "0", paramLabel = "FEATURE", description = "The feature key.")
  String feature;

  /** Whether this command turns the switch on. */
  abstract boolean on();

  @Override
  public Integer call() {
    String key = key(feature);
    if (!write.dryRun) {
      write.audit(spec);
    }
    boolean on = on();
    try (Backend b = open(conn)) {
      FeatureState before = known(b, key);
      return execute(
          b,
          before,
          Plan.of(
              key,
              Optional.empty(),
              (on ? "kill " : "unkill ") + key,
              (admin, expect, audit) ->
                  (on ? admin.kill(key, audit) : admin.unkill(key, audit)).stream().toList(),
              Expect.any(),
              on));
    }
  }
}
