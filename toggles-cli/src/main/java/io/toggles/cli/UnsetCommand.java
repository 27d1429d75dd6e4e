package io.toggles.cli;

import io.toggles.FeatureState;
import io.toggles.TogglesException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(
    name = "unset",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Remove a feature's row at exactly one scope; less specific rows then decide there."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles unset checkout.new-flow --country DE --reason 'JIRA-42 back to the default'",
      "  toggles unset checkout.new-flow --product shop --dry-run"
    })
final class UnsetCommand extends RowWriteCommand {

  @Override
  public Integer call() {
    Checked c = check();
    try (Backend b = open(conn)) {
      FeatureState before = known(b, c.key());
      if (!hasRow(before, c.scope())) {
        throw new TogglesException(
            "feature '"
                + c.key()
                + "' has no row at "
                + c.scope()
                + "; 'toggles list "
                + c.key()
                + "' shows its rows");
      }
      return execute(
          b,
          before,
          Plan.of(
              c.key(),
              Optional.of(c.scope()),
              "remove the row " + c.scope() + " of " + c.key(),
              (admin, expect, audit) -> List.of(admin.unset(c.key(), c.scope(), expect, audit)),
              c.expect(),
              false));
    }
  }
}
