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
    // An H2 file URL with AUTO_SERVER=TRUE makes whoever opens the database first host it over
    // TCP; without this, on every network interface. Keep it on loopback unless told otherwise.
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
    System.exit(TogglesCommand.commandLine(Host.system()).execute(args));
  }
}
