package io.toggles.cli;

import io.toggles.FeatureDefinition;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The FEATURE argument of the commands about one feature, checked before anything else runs. */
final class FeatureArgument {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FEATURE", description = "The feature key.")
  String feature;

  /**
   * The feature key.
   *
   * @throws ParameterException if it is malformed
   */
  String key() {
    return key(spec, feature);
  }

  /** Checks a feature key of {@code spec}'s command line. */
  static String key(CommandSpec spec, String feature) {
    try {
      return FeatureDefinition.requireValidKey(feature);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
