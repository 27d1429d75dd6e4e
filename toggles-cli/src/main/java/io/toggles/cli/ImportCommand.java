package io.toggles.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.TogglesException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Make the store hold the features of an export file: declarations, rows, kill switches."
          + " All or nothing, and audited like every write. Features not in the file are left"
          + " alone; with --prune, rows of the file's features that the file does not name are"
          + " removed.",
      "An import of more than --max-scopes changes, or one that kills a feature, needs"
          + " confirmation."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles import staging.json --dry-run",
      "  toggles import staging.json --prune --reason 'release 2.4 promotion' --yes"
    })
final class ImportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "An export file.")
  Path file;

  @Mixin WriteSession write;

  @Option(
      names = "--prune",
      description = "Also remove rows of the imported features that the file does not name.")
  boolean prune;

  @Override
  public Integer call() {
    Audit audit = write.options.auditOrSimulation();
    Hierarchy h = write.conn.hierarchy();
    JsonNode root;
    try {
      root = JsonOutput.MAPPER.readTree(Files.readString(file));
    } catch (JacksonException e) {
      throw new TogglesException(
          file + " is not valid JSON: " + e.getOriginalMessage().replace('\n', ' '));
    } catch (IOException e) {
      throw new TogglesException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<FeatureState> features = ExportFormat.read(root, h);
    try (Backend b = write.conn.open()) {
      Output out = write.output();
      // The diff: the same import, applied to an in-memory copy of the features it touches.
      Set<String> keys = features.stream().map(FeatureState::key).collect(Collectors.toSet());
      InMemoryStore copy = InMemoryStore.create(b.store().hierarchy());
      List<FeatureState> current = new ArrayList<>();
      for (String k : keys) {
        FeatureState s = b.admin().read(k);
        if (s.definition().isPresent()) {
          current.add(s);
        }
      }
      copy.importAll(current, false, audit);
      List<Change> diff = copy.importAll(features, prune, audit);
      if (write.options.dryRun) {
        out.println(
            "Dry run, nothing written: importing "
                + features.size()
                + " features from "
                + file
                + " would make "
                + diff.size()
                + (diff.size() == 1 ? " change" : " changes")
                + (diff.isEmpty() ? "." : ":"));
        printDiff(out, diff);
        return ExitCode.OK;
      }
      if (diff.isEmpty()) {
        out.println("Nothing to do: the store already holds what " + file + " says.");
        return ExitCode.OK;
      }
      int max = write.options.maxScopes(write.conn.maxScopes());
      boolean kills = diff.stream().anyMatch(c -> c.kind() == ChangeKind.KILL);
      if (kills || diff.size() > max) {
        write.confirmOrRefuse(
            "import " + file,
            kills
                ? "this import kills a feature"
                : "this import makes " + diff.size() + " changes, more than --max-scopes " + max,
            () -> printDiff(out, diff));
      }
      List<Change> done = b.admin().importAll(features, prune, audit);
      out.println(
          "Imported "
              + features.size()
              + " features from "
              + file
              + ": "
              + done.size()
              + (done.size() == 1 ? " change" : " changes")
              + (done.isEmpty()
                  ? "."
                  : ", revisions "
                      + done.get(0).revision()
                      + " to "
                      + done.get(done.size() - 1).revision()
                      + "."));
      return ExitCode.OK;
    }
  }

  private static void printDiff(Output out, List<Change> diff) {
    if (diff.isEmpty()) {
      return;
    }
    Table t = new Table(List.of("ACTION", "FEATURE", "SCOPE", "CHANGE")).composed("CHANGE");
    for (Change c : diff) {
      t.row(
          List.of(
              c.kind().name().toLowerCase(Locale.ROOT),
              c.feature(),
              c.scope().map(Scope::toString).orElse(""),
              out.change(c)));
    }
    t.print(out, "  ");
  }
}
