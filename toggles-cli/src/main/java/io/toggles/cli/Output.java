package io.toggles.cli;

import io.toggles.Change;
import io.toggles.SettingValue;
import io.toggles.internal.DisplayText;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command prints for people, and the one place that makes stored text safe for a terminal:
 * every line goes through {@link DisplayText#escape(String)} (control and bidirectional formatting
 * characters become backslash-u escapes), and a stored text in a line or a table cell is cut after
 * {@link #width()} characters with a marker giving its length, unless {@code --full} asked for
 * whole values. JSON for scripts is written whole, with the same characters escaped by {@link
 * JsonOutput}.
 */
final class Output {
  /** How much of a stored text a line or a cell shows without {@code --full}. */
  static final int WIDTH = 100;

  private final PrintWriter out;
  private final int width;

  Output(PrintWriter out, int width) {
    this.out = out;
    this.width = width;
  }

  /** The standard output of the command, values cut at {@link #WIDTH}. */
  static Output of(CommandSpec spec) {
    return new Output(spec.commandLine().getOut(), WIDTH);
  }

  /** How many characters of a stored text are shown; {@link Integer#MAX_VALUE} for all. */
  int width() {
    return width;
  }

  /** Prints one line, escaped. */
  void println(String line) {
    out.println(DisplayText.escape(line));
  }

  /** Prints a document as JSON, whole. */
  void json(Object document) {
    JsonOutput.print(out, document);
  }

  /** Prints text the CLI makes itself, such as DDL, as it is. */
  void printVerbatim(String text) {
    out.print(text);
  }

  void flush() {
    out.flush();
  }

  /** Stored text for a line, cut at {@link #width()}. */
  String text(String stored) {
    return DisplayText.escape(stored, width);
  }

  /** A value for a line, cut at {@link #width()}; {@code (none)} when absent. */
  String value(Optional<SettingValue> v) {
    return v.map(x -> text(x.text())).orElse("(none)");
  }

  /** A value for a table cell, whole: the table cuts its cells. */
  static String cell(Optional<SettingValue> v) {
    return v.map(SettingValue::text).orElse("(none)");
  }

  /**
   * What a change did, for a line or a {@linkplain Table#composed composed} cell: {@code false ->
   * true}, values cut at {@link #width()}.
   */
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
