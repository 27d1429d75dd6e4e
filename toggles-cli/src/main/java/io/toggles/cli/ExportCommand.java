package io.toggles.cli;

import io.toggles.FeatureState;
import io.toggles.TogglesException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write all declared features with their rows and kill switches as JSON (format"
          + " 'toggles-export' version 1), to promote settings between environments with"
          + " 'import'."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles export --url \"$STAGING_URL\" --output staging.json",
      "  toggles import staging.json --url \"$PROD_URL\" --dry-run"
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions conn;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() throws IOException {
    try (Backend b = conn.open()) {
      long revision = b.store().revision();
      List<FeatureState> all = b.store().loadAll();
      Object doc = ExportFormat.write(b.store().hierarchy(), revision, all);
      Output out = Output.of(spec);
      if (output == null) {
        out.json(doc);
        return ExitCode.OK;
      }
      Path abs = output.toAbsolutePath();
      Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
      try {
        Files.writeString(tmp, JsonOutput.text(doc) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw new TogglesException("cannot write " + output + ": " + e.getMessage(), e);
      }
      long count = all.stream().filter(s -> s.definition().isPresent()).count();
      out.println(
          "Exported " + count + " features at revision " + revision + " to " + output + ".");
      return ExitCode.OK;
    }
  }
}
