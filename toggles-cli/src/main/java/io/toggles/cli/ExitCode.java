package io.toggles.cli;

/** The CLI's exit codes. */
final class ExitCode {
  private ExitCode() {}

  /** Done. */
  static final int OK = 0;

  /** Failed; nothing changed. */
  static final int FAILED = 1;

  /** The command line is wrong; nothing changed. */
  static final int USAGE = 2;

  /** Someone else changed the row (or switch) first; nothing changed. */
  static final int CONFLICT = 3;
}
