package io.toggles.cli;

import io.toggles.Change;
import io.toggles.SettingValue;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** Where a command prints for people: lines, values, changes and tables; and JSON for scripts. */
final class Output {
  private final PrintWriter out;

  Output(PrintWriter out) {
    this.out = out;
  }

  /** The standard output of the command. */
  static Output of(CommandSpec spec) {
    return new Output(spec.commandLine().getOut());
  }

  /** Prints one line. */
  void println(String line) {
    out.println(line);
  }

  /** Prints a document as JSON. */
  void json(Object document) {
    JsonOutput.print(out, document);
  }

  /** Prints text as it is: for text the CLI makes itself, such as DDL. */
  void printVerbatim(String text) {
    out.print(text);
  }

  void flush() {
    out.flush();
  }

  /** Stored text as the CLI shows it in a line. */
  String text(String stored) {
    return stored;
  }

  /** A value as the CLI shows it; {@code (none)} when absent. */
  String value(Optional<SettingValue> v) {
    return v.map(x -> x.text()).orElse("(none)");
  }

  /** What a change did, in a few words: {@code false -> true}. */
  String change(Change c) {
    switch (c.kind()) {
      case DEFINE:
        return "declared, default " + value(c.oldValue()) + " -> " + value(c.newValue());
      case SET:
        return value(c.oldValue()) + " -> " + value(c.newValue());
      case UNSET:
        return value(c.oldValue()) + " -> (row removed)";
      case KILL:
        return "kill switch on";
      case UNKILL:
        return "kill switch off";
      default:
        throw new AssertionError(c.kind());
    }
  }
}
