package io.toggles.cli;

import io.toggles.FeatureState;
import io.toggles.TogglesException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
final class UnsetCommand implements Callable<Integer> {
  @Mixin FeatureArgument feature;

  @Mixin RowWrite write;

  @Override
  public Integer call() {
    RowWrite.Row row = write.check(feature.key());
    return write.session.run(
        b -> {
          FeatureState before = b.readKnown(row.key());
          if (before.rows().stream().noneMatch(s -> s.scope().equals(row.scope()))) {
            throw new TogglesException(
                "feature '"
                    + row.key()
                    + "' has no row at "
                    + row.scope()
                    + "; 'toggles list "
                    + row.key()
                    + "' shows its rows");
          }
          return Optional.of(
              WritePlan.of(
                  before,
                  Optional.of(row.scope()),
                  "remove the row " + row.scope() + " of " + row.key(),
                  (admin, expect, audit) ->
                      List.of(admin.unset(row.key(), row.scope(), expect, audit)),
                  row.expect(),
                  false));
        });
  }
}
