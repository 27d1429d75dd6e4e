package io.toggles.cli;

import io.toggles.Change;
import io.toggles.Scope;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The change log, newest first: who changed what, when, why. REV is what 'revert' takes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles history --limit 10",
      "  toggles history checkout.new-flow",
      "  toggles history checkout.new-flow --json"
    })
final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Mixin ConnectionOptions conn;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FEATURE",
      description = "Only this feature's changes.")
  String feature;

  @Option(
      names = {"-l", "--limit"},
      paramLabel = "N",
      defaultValue = "20",
      description = "At most N changes (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    Optional<String> key = Optional.ofNullable(feature).map(f -> FeatureArgument.key(spec, f));
    if (limit < 1 || limit > 100_000) {
      throw new ParameterException(spec.commandLine(), "--limit must be 1 to 100000");
    }
    try (Backend b = conn.open()) {
      List<Change> changes = b.admin().history(key, limit);
      Output out = output.output();
      if (json) {
        out.json(changes.stream().map(JsonOutput::change).toList());
        return ExitCode.OK;
      }
      if (changes.isEmpty()) {
        out.println("No changes" + key.map(k -> " of " + k).orElse("") + " yet.");
        return ExitCode.OK;
      }
      Table t =
          new Table(
                  List.of("REV", "TIME", "ACTOR", "ACTION", "FEATURE", "SCOPE", "CHANGE", "REASON"))
              .composed("CHANGE");
      for (Change c : changes) {
        t.row(
            List.of(
                Long.toString(c.revision()),
                TIME.format(c.at().truncatedTo(ChronoUnit.SECONDS)),
                c.actor(),
                c.kind().name().toLowerCase(Locale.ROOT)
                    + (c.revertOf().isPresent()
                        ? " (revert " + c.revertOf().getAsLong() + ")"
                        : ""),
                c.feature(),
                c.scope().map(Scope::toString).orElse(""),
                out.change(c),
                c.reason()));
      }
      t.print(out, "");
      return ExitCode.OK;
    }
  }
}
