package io.toggles.cli;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ConflictException;
import io.toggles.Expect;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.ToggleAdmin;
import io.toggles.TogglesException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;

/**
 * A command that writes one feature. Every write is computed first on an in-memory copy of the
 * feature (with the same write rules as the database), which gives the dry run, the effect on
 * effective values and the guard rail's reach; only then is it written for real.
 */
abstract class WriteCommand extends CommandBase {
  /** The most changed contexts a write prints. */
  static final int MAX_PRINTED = 50;

  @Mixin ConnectionOptions conn;

  @Mixin WriteOptions write;

  /** One write, applied to the in-memory copy (with {@link Expect#any()}) and then for real. */
  @FunctionalInterface
  interface Op {
    List<Change> apply(ToggleAdmin admin, Expect expect, Audit audit);
  }

  /**
   * A planned write to one feature.
   *
   * @param feature the feature written
   * @param scope the row written, empty for kill, unkill and define
   * @param summary what the write does, for people: "set x at {country=DE} to true"
   * @param simulate the write as applied to the in-memory copy
   * @param real the write as applied to the store
   * @param expect what the real write expects of the row
   * @param alwaysConfirm whether it needs confirmation whatever its reach (kill)
   * @param guarded whether its reach is checked at all (not for declaring a new feature)
   */
  record Plan(
      String feature,
      Optional<Scope> scope,
      String summary,
      Op simulate,
      Op real,
      Expect expect,
      boolean alwaysConfirm,
      boolean guarded) {

    /** A plan whose write is the same on the copy and the store. */
    static Plan of(
        String feature, Optional<Scope> scope, String summary, Op op, Expect expect, boolean kill) {
      return new Plan(feature, scope, summary, op, op, expect, kill, true);
    }
  }

  /** Simulates, previews or confirms, then writes. Returns the exit code. */
  int execute(Backend backend, FeatureState before, Plan plan) {
    Hierarchy h = backend.store().hierarchy();
    Audit audit = write.dryRun ? write.simulationAudit() : write.audit(spec);
    FeatureState after = simulate(h, before, plan);
    Effect effect = Effect.of(h, before, after, plan.scope());
    PrintWriter out = out();
    if (write.dryRun) {
      checkExpectation(before, plan);
      out.println("Dry run, nothing written: would " + plan.summary() + ".");
      if (plan.guarded()) {
        printEffect(h, effect, true);
      }
      return ExitCode.OK;
    }
    confirm(h, plan, effect);
    List<Change> changes = plan.real().apply(backend.admin(), plan.expect(), audit);
    if (changes.isEmpty()) {
      out.println("Nothing to do: " + plan.summary() + " changes nothing.");
      return ExitCode.OK;
    }
    for (Change c : changes) {
      out.println(describe(c));
    }
    if (plan.guarded()) {
      printEffect(h, effect, false);
    }
    return ExitCode.OK;
  }

  static String describe(Change c) {
    return "Done: revision "
        + c.revision()
        + ", "
        + c.kind().name().toLowerCase(Locale.ROOT)
        + " "
        + c.feature()
        + c.scope().map(s -> " at " + s).orElse("")
        + ": "
        + Rows.what(c)
        + (c.newVersion().isPresent() ? " (row version " + c.newVersion().getAsLong() + ")" : "")
        + (c.revertOf().isPresent() ? " (reverts revision " + c.revertOf().getAsLong() + ")" : "")
        + ".";
  }

  private FeatureState simulate(Hierarchy h, FeatureState before, Plan plan) {
    InMemoryStore copy = InMemoryStore.create(h);
    Audit sim = write.simulationAudit();
    if (before.definition().isPresent()) {
      copy.importAll(List.of(before), false, sim);
    }
    plan.simulate().apply(copy, Expect.any(), sim);
    FeatureState after = copy.load(plan.feature());
    // The copy numbers row versions afresh: show the real version of every row left as it was,
    // and the next one for a row written.
    Map<Scope, Setting> real = new HashMap<>();
    before.rows().forEach(r -> real.put(r.scope(), r));
    List<Setting> rows = new ArrayList<>();
    for (Setting r : after.rows()) {
      Setting old = real.get(r.scope());
      if (old == null) {
        rows.add(new Setting(r.feature(), r.scope(), r.value(), 1));
      } else if (old.value().equals(r.value())) {
        rows.add(old);
      } else {
        rows.add(new Setting(r.feature(), r.scope(), r.value(), old.version() + 1));
      }
    }
    return new FeatureState(
        after.key(), after.definition(), after.killed(), rows, before.revision() + 1);
  }

  private static void checkExpectation(FeatureState before, Plan plan) {
    if (plan.scope().isEmpty()) {
      return;
    }
    long actual =
        before.rows().stream()
            .filter(s -> s.scope().equals(plan.scope().get()))
            .mapToLong(Setting::version)
            .findFirst()
            .orElse(0);
    if (!plan.expect().isMetBy(actual)) {
      throw new ConflictException(
          "row "
              + plan.scope().get()
              + " of '"
              + plan.feature()
              + "' is "
              + (actual == 0 ? "absent" : "at version " + actual)
              + ", expected "
              + plan.expect()
              + ": the write would conflict (dry run, nothing written)");
    }
  }

  private void confirm(Hierarchy h, Plan plan, Effect effect) {
    int max = write.maxScopes(conn.maxScopes(cli(), spec), spec);
    String why;
    if (plan.alwaysConfirm()) {
      why =
          "this kill turns '"
              + plan.feature()
              + "' to its kill value everywhere ("
              + effect.reach()
              + " of "
              + effect.examined()
              + " contexts change)";
    } else if (plan.guarded() && effect.reachesAll()) {
      why =
          "this write changes the value for all traffic without a more specific row ("
              + effect.reach()
              + " contexts change)";
    } else if (plan.guarded() && effect.reach() > max) {
      why =
          "this write's effect reaches "
              + effect.reach()
              + " scopes, more than --max-scopes "
              + max;
    } else {
      return;
    }
    confirmOrRefuse(plan.summary(), why, () -> printEffect(h, effect, true));
  }

  /**
   * Asks the person at the terminal to confirm, unless {@code --yes} was given.
   *
   * @throws picocli.CommandLine.ParameterException if not interactive and no {@code --yes}
   * @throws TogglesException if the person says no
   */
  void confirmOrRefuse(String summary, String why, Runnable showDetails) {
    if (write.yes) {
      return;
    }
    if (!cli().terminal().interactive()) {
      throw usage(
          why
              + "; not running on a terminal, so add --yes to confirm (see --dry-run for the"
              + " effect)");
    }
    showDetails.run();
    if (!cli().terminal().confirm("Really " + summary + "? " + why + ".")) {
      throw new TogglesException("not confirmed; nothing was written");
    }
  }

  void printEffect(Hierarchy h, Effect e, boolean wouldBe) {
    PrintWriter out = out();
    if (e.changed().isEmpty()) {
      if (e.maskedByKill()) {
        out.println(
            "No effect now: the kill switch is on and beats every row; the row counts again"
                + " once unkilled.");
      } else if (!e.masking().isEmpty()) {
        out.println("No effect: every matching context is overridden by more specific rows:");
        printRows(h, e.masking());
      } else {
        out.println("No effect: no effective value changes.");
      }
      out.flush();
      return;
    }
    if (e.listed().isEmpty() && !e.masking().isEmpty()) {
      out.println(
          "No effect on the scopes the rows name: every matching context is overridden by more"
              + " specific rows:");
      printRows(h, e.masking());
      out.println(
          (wouldBe ? "It would only change" : "It only changed")
              + " requests with values no row names (* = any such value):");
      printContexts(h, e);
      out.flush();
      return;
    }
    out.println(
        (wouldBe ? "Effective values that would change: " : "Effective values changed: ")
            + e.changed().size()
            + " of "
            + e.examined()
            + " contexts examined"
            + (e.truncated() ? " (examination stopped at " + Effect.MAX_CONTEXTS + ")" : "")
            + " (* = any other value):");
    printContexts(h, e);
    if (!e.masking().isEmpty()) {
      out.println("Unchanged where these more specific rows win:");
      printRows(h, e.masking());
    }
    out.flush();
  }

  private void printContexts(Hierarchy h, Effect e) {
    List<String> headers = new ArrayList<>(Rows.dimensionHeaders(h));
    headers.add("BEFORE");
    headers.add("AFTER");
    Table t = new Table(headers);
    int n = 0;
    for (Effect.ContextChange c : e.changed()) {
      if (n++ == MAX_PRINTED) {
        break;
      }
      List<String> cells = new ArrayList<>(Rows.cells(h, c.context()));
      cells.add(Rows.value(c.before()));
      cells.add(Rows.value(c.after()));
      t.row(cells);
    }
    t.print(out(), "  ");
    if (e.changed().size() > MAX_PRINTED) {
      out().println("  ... and " + (e.changed().size() - MAX_PRINTED) + " more");
    }
  }

  private void printRows(Hierarchy h, List<Setting> rows) {
    List<String> headers = new ArrayList<>(Rows.dimensionHeaders(h));
    headers.add("VALUE");
    headers.add("VERSION");
    Table t = new Table(headers);
    for (Setting s : rows) {
      List<String> cells = new ArrayList<>(Rows.cells(h, s.scope()));
      cells.add(s.value().text());
      cells.add(Long.toString(s.version()));
      t.row(cells);
    }
    t.print(out(), "  ");
  }
}
