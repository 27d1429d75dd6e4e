package io.toggles.cli;

import io.toggles.Expect;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What a row write expects of the row it writes: optimistic concurrency from the command line. */
final class ExpectOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--expect-version",
      paramLabel = "N",
      description =
          "Write only if the row is still at version N (see 'list'); else exit 3 and write"
              + " nothing.")
  Long expectVersion;

  @Option(
      names = "--expect-absent",
      description = "Write only if the row does not exist yet; else exit 3 and write nothing.")
  boolean expectAbsent;

  /**
   * The expectation; {@link Expect#any()} without either option.
   *
   * @throws ParameterException if both are given or the version is below 1
   */
  Expect expect() {
    if (expectVersion != null && expectAbsent) {
      throw new ParameterException(
          spec.commandLine(), "--expect-version and --expect-absent exclude each other");
    }
    if (expectAbsent) {
      return Expect.absent();
    }
    if (expectVersion != null) {
      if (expectVersion < 1) {
        throw new ParameterException(
            spec.commandLine(), "--expect-version must be 1 or more (a row's version from 'list')");
      }
      return Expect.version(expectVersion);
    }
    return Expect.any();
  }
}
