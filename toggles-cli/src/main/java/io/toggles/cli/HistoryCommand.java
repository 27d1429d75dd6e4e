package io.toggles.cli;

import io.toggles.Change;
import io.toggles.Scope;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class HistoryCommand extends CommandBase {
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

  @Override
  public Integer call() {
    Optional<String> key = Optional.ofNullable(feature).map(this::key);
    if (limit < 1 || limit > 100_000) {
      throw usage("--limit must be 1 to 100000");
    }
    try (Backend b = open(conn)) {
      List<Change> changes = b.admin().history(key, limit);
      if (json) {
        Json.print(out(), changes.stream().map(Json::change).toList());
        return ExitCode.OK;
      }
      if (changes.isEmpty()) {
        out().println("No changes" + key.map(k -> " of " + k).orElse("") + " yet.");
        return ExitCode.OK;
      }
      Table t =
          new Table(
              List.of("REV", "TIME", "ACTOR", "ACTION", "FEATURE", "SCOPE", "CHANGE", "REASON"));
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
                Rows.what(c),
                c.reason()));
      }
      t.print(out(), "");
      return ExitCode.OK;
    }
  }
}
