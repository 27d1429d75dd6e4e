package io.toggles.cli;

/**
 * The {@code toggles} command line: flip, kill, revert, explain and audit feature toggles stored in
 * a database. Run {@code toggles --help} for the commands.
 *
 * <p>Exit codes: 0 done, 1 failed (nothing changed), 2 usage error, 3 conflict (someone else
 * changed the row; nothing changed).
 */
public final class Main {
  private Main() {}

  /**
   * Runs one command and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(TogglesCommand.commandLine(Cli.system()).execute(args));
  }
}
