package io.toggles.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Create the toggles tables, or upgrade them, in the database. Idempotent: running it"
          + " again changes nothing. Needs DDL rights; without them, have a DBA apply"
          + " 'toggles schema --print'."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles init --url jdbc:h2:./toggles-db",
      "  TOGGLES_DB_PASSWORD=... toggles init --url jdbc:postgresql://db:5432/app --user app"
    })
final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions conn;

  @Option(
      names = {"-n", "--dry-run"},
      description = "Only say whether the schema is there; create nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    Target target = conn.target();
    try (Backend b = conn.connect(target)) {
      Backend.SchemaInfo before = b.schema();
      Output out = Output.of(spec);
      if (dryRun) {
        out.println(
            before.present()
                ? "Dry run: schema version "
                    + before.version()
                    + " is present in "
                    + target.displayUrl()
                    + "; init would "
                    + (before.version() < before.supported() ? "upgrade it." : "change nothing.")
                : "Dry run: no schema in "
                    + target.displayUrl()
                    + "; init would create version "
                    + before.supported()
                    + " (see 'toggles schema --print' for the DDL).");
        return ExitCode.OK;
      }
      b.createSchema();
      Backend.SchemaInfo after = b.schema();
      out.println(
          "Schema version "
              + after.version()
              + " ready in "
              + target.displayUrl()
              + (before.present() && before.version() == after.version()
                  ? " (already present, nothing changed)."
                  : " (created).")
              + " Hierarchy: "
              + String.join(" > ", target.hierarchy().dimensions())
              + ".");
      return ExitCode.OK;
    }
  }
}
