package io.toggles.cli;

import io.toggles.Effect;
import io.toggles.Hierarchy;
import java.util.List;

/** Prints an {@link Effect}: after a write, for a dry run, and before asking for confirmation. */
final class EffectReport {
  /** The most changed contexts printed. */
  static final int MAX_PRINTED = 50;

  private EffectReport() {}

  /**
   * Prints what changes, or why nothing does.
   *
   * @param wouldBe whether the write is still to come (a dry run or a confirmation)
   */
  static void print(Output out, Hierarchy h, Effect e, boolean wouldBe) {
    if (e.changed().isEmpty()) {
      if (e.maskedByKill()) {
        out.println(
            "No effect now: the kill switch is on and beats every row; the row counts again"
                + " once unkilled.");
      } else if (!e.masking().isEmpty()) {
        out.println("No effect: every matching context is overridden by more specific rows:");
        RowTables.rows(h, e.masking()).print(out, "  ");
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
      RowTables.rows(h, e.masking()).print(out, "  ");
      out.println(
          (wouldBe ? "It would only change" : "It only changed")
              + " requests with values no row names (* = any such value):");
      printContexts(out, h, e);
      out.flush();
      return;
    }
    out.println(
        (wouldBe ? "Effective values that would change: " : "Effective values changed: ")
            + e.changed().size()
            + " of "
            + e.examined()
            + " contexts examined"
            + (e.truncated() ? " (examination stopped at " + e.examined() + ")" : "")
            + " (* = any other value):");
    printContexts(out, h, e);
    if (!e.masking().isEmpty()) {
      out.println("Unchanged where these more specific rows win:");
      RowTables.rows(h, e.masking()).print(out, "  ");
    }
    out.flush();
  }

  private static void printContexts(Output out, Hierarchy h, Effect e) {
    Table t = RowTables.table(h, "BEFORE", "AFTER");
    List<Effect.ContextChange> changed = e.changed();
    for (Effect.ContextChange c : changed.subList(0, Math.min(changed.size(), MAX_PRINTED))) {
      List<String> cells = RowTables.cells(h, c.context());
      cells.add(Output.cell(c.before()));
      cells.add(Output.cell(c.after()));
      t.row(cells);
    }
    t.print(out, "  ");
    if (changed.size() > MAX_PRINTED) {
      out.println("  ... and " + (changed.size() - MAX_PRINTED) + " more");
    }
  }
}
