package io.toggles.cli;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.Effect;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.TogglesException;
import io.toggles.internal.DisplayText;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How every writing command writes, mixed into each of them: the connection and write options, then
 * for one planned write the dry run, the effect, the guard rail's confirmation, the write and what
 * it prints.
 */
final class WriteSession {
  private final Host host;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Mixin ConnectionOptions conn;

  @Mixin WriteOptions options;

  @Mixin OutputOptions output;

  WriteSession(Host host) {
    this.host = host;
  }

  /** Works out the write from the open store; empty when there is nothing to do (said so). */
  @FunctionalInterface
  interface Planner {
    Optional<WritePlan> plan(Backend backend);
  }

  /**
   * Checks the audit, opens the store, plans and carries out one write. Returns the exit code.
   *
   * @throws ParameterException for a missing reason or a write that needs {@code --yes}
   */
  int run(Planner planner) {
    options.requireAuditUnlessDryRun();
    try (Backend b = conn.open()) {
      Optional<WritePlan> plan = planner.plan(b);
      return plan.isPresent() ? execute(b, plan.get()) : ExitCode.OK;
    }
  }

  /** Where the command prints. */
  Output output() {
    return output.output();
  }

  /** Simulates, previews or confirms, then writes. Returns the exit code. */
  int execute(Backend backend, WritePlan plan) {
    Hierarchy h = backend.store().hierarchy();
    Audit audit = options.auditOrSimulation();
    FeatureState after = DryRun.after(backend, plan, options.simulationAudit());
    Effect effect = Effect.of(h, plan.before(), after, plan.scope());
    Output out = output();
    if (options.dryRun) {
      DryRun.checkExpectation(plan);
      out.println("Dry run, nothing written: would " + plan.summary() + ".");
      if (plan.guarded()) {
        EffectReport.print(out, h, effect, true);
      }
      return ExitCode.OK;
    }
    Optional<String> why = GuardRail.why(plan, effect, options.maxScopes(conn.maxScopes()));
    if (why.isPresent()) {
      confirmOrRefuse(plan.summary(), why.get(), () -> EffectReport.print(out, h, effect, true));
    }
    List<Change> changes = plan.real().apply(backend.admin(), plan.expect(), audit);
    if (changes.isEmpty()) {
      out.println("Nothing to do: " + plan.summary() + " changes nothing.");
      return ExitCode.OK;
    }
    for (Change c : changes) {
      out.println(describe(out, c));
    }
    if (plan.guarded()) {
      EffectReport.print(out, h, effect, false);
    }
    return ExitCode.OK;
  }

  private static String describe(Output out, Change c) {
    return "Done: revision "
        + c.revision()
        + ", "
        + c.kind().name().toLowerCase(Locale.ROOT)
        + " "
        + c.feature()
        + c.scope().map(s -> " at " + s).orElse("")
        + ": "
        + out.change(c)
        + (c.newVersion().isPresent() ? " (row version " + c.newVersion().getAsLong() + ")" : "")
        + (c.revertOf().isPresent() ? " (reverts revision " + c.revertOf().getAsLong() + ")" : "")
        + ".";
  }

  /**
   * Asks the person at the terminal to confirm, unless {@code --yes} was given.
   *
   * @throws ParameterException if not interactive and no {@code --yes}
   * @throws TogglesException if the person says no
   */
  void confirmOrRefuse(String summary, String why, Runnable showDetails) {
    if (options.yes) {
      return;
    }
    if (!host.terminal().interactive()) {
      throw new ParameterException(
          spec.commandLine(),
          why
              + "; not running on a terminal, so add --yes to confirm (see --dry-run for the"
              + " effect)");
    }
    showDetails.run();
    if (!host.terminal().confirm(DisplayText.escape("Really " + summary + "? " + why + "."))) {
      throw new TogglesException("not confirmed; nothing was written");
    }
  }
}
