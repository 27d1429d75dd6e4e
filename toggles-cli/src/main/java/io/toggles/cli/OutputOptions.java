package io.toggles.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How much of stored values the commands that print them show. */
final class OutputOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--full",
      description =
          "Show whole values: without it, a value, reason or description longer than "
              + Output.WIDTH
              + " characters is cut in lines and table cells, marked with its length (--json"
              + " always shows whole values).")
  boolean full;

  /** The command's output, values cut unless {@code --full}. */
  Output output() {
    return new Output(spec.commandLine().getOut(), full ? Integer.MAX_VALUE : Output.WIDTH);
  }
}
