package io.toggles.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: only its subcommands do something. */
@Command(
    name = "toggles",
    mixinStandardHelpOptions = true,
    versionProvider = TogglesCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Flip, kill, revert, explain and audit feature toggles stored in a database.",
      "Every write is audited (--reason, --actor), can be previewed (--dry-run) and reverted."
    },
    subcommands = {
      InitCommand.class,
      StatusCommand.class,
      SchemaCommand.class,
      DefineCommand.class,
      FeaturesCommand.class,
      ListCommand.class,
      EvalCommand.class,
      SetCommand.class,
      UnsetCommand.class,
      EnableCommand.class,
      DisableCommand.class,
      KillCommand.class,
      UnkillCommand.class,
      HistoryCommand.class,
      RevertCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%n",
    footer = {
      "Connection: --url, else env TOGGLES_JDBC_URL, else url= in ~/.toggles.properties;"
          + " the password from env TOGGLES_DB_PASSWORD, the config file, --password-stdin"
          + " or --ask-password (never as an option value).",
      "",
      "Exit codes: 0 done, 1 failed (nothing changed), 2 usage error,"
          + " 3 conflict (someone else changed the row; nothing changed).",
      "",
      "Incident rollback:",
      "  toggles kill checkout.new-flow --reason 'INC-123 errors on checkout' --yes",
      "  toggles history checkout.new-flow --limit 5",
      "  toggles revert 42 --reason 'INC-123 resolved'"
    })
final class TogglesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On errors, also print the stack trace.")
  boolean verbose;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("error: missing command");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  /** The command line with the CLI's error handling, ready to {@code execute}. */
  static CommandLine commandLine(Host host) {
    CommandLine cl = new CommandLine(new TogglesCommand(), new HostFactory(host));
    ErrorHandler errors = new ErrorHandler();
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // An argument is what was typed: '--owner @team-pay' must not read a file named team-pay (which
    // could say --yes) from the working directory.
    cl.setExpandAtFiles(false);
    return cl;
  }

  /** The jar's version. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TogglesCommand.class.getPackage().getImplementationVersion();
      return new String[] {"toggles " + (v == null ? "(development build)" : v)};
    }
  }
}
