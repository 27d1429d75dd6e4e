package io.toggles.cli;

import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.Expect;
import io.toggles.FeatureState;
import io.toggles.TogglesException;
import io.toggles.spi.WriteRules;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "revert",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Undo one change from the history with a new change (itself recorded, and revertible).",
      "Refuses, with exit code 3, when the same row or kill switch changed again since: revert"
          + " the later change first, or set the value you want."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles history checkout.new-flow --limit 5",
      "  toggles revert 42 --dry-run",
      "  toggles revert 42 --reason 'INC-123 resolved, undo the kill' --yes"
    })
final class RevertCommand implements Callable<Integer> {
  /** How far back the history is searched for a later change of the same row. */
  static final int HISTORY_WINDOW = 100_000;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "REVISION",
      description = "The revision of the change to undo (see 'history').")
  long revision;

  @Mixin WriteSession write;

  @Override
  public Integer call() {
    if (revision < 1) {
      throw new ParameterException(
          spec.commandLine(), "REVISION must be 1 or more (see 'toggles history')");
    }
    return write.run(b -> Optional.of(plan(b)));
  }

  private WritePlan plan(Backend b) {
    Change target =
        b.admin()
            .change(revision)
            .orElseThrow(
                () ->
                    new TogglesException(
                        "no change at revision " + revision + "; see 'toggles history'"));
    Optional<Change> later =
        b.admin().history(Optional.of(target.feature()), HISTORY_WINDOW).stream()
            .filter(c -> c.revision() > revision && WriteRules.touchesSame(target, c))
            .findFirst(); // history is newest first
    WriteRules.Revert undo = WriteRules.planRevert(target, later);
    FeatureState before = b.admin().read(target.feature());
    String feature = target.feature();
    // The dry run's copy has no history to revert: it applies the inverse write instead.
    WritePlan.Op simulate =
        (admin, expect, audit) ->
            switch (undo.kind()) {
              case SET ->
                  List.of(
                      admin.set(
                          feature,
                          undo.scope().orElseThrow(),
                          undo.value().orElseThrow(),
                          expect,
                          audit));
              case UNSET ->
                  List.of(admin.unset(feature, undo.scope().orElseThrow(), expect, audit));
              case KILL -> admin.kill(feature, audit).stream().toList();
              case UNKILL -> admin.unkill(feature, audit).stream().toList();
              default -> throw new AssertionError(undo.kind());
            };
    WritePlan.Op real = (admin, expect, audit) -> List.of(admin.revert(revision, audit));
    String summary =
        "revert revision "
            + revision
            + " ("
            + target.kind().name().toLowerCase(Locale.ROOT)
            + " "
            + feature
            + target.scope().map(s -> " at " + s).orElse("")
            + ": "
            + write.output().change(target)
            + ")";
    return new WritePlan(
        before,
        undo.kind() == ChangeKind.SET || undo.kind() == ChangeKind.UNSET
            ? undo.scope()
            : Optional.empty(),
        summary,
        simulate,
        real,
        Expect.any(),
        undo.kind() == ChangeKind.KILL,
        true);
  }
}
