package io.toggles.cli;

import io.toggles.Hierarchy;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print the DDL that 'init' runs, for a DBA to review and apply by hand. Connects to"
          + " nothing. The statements are idempotent."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  toggles schema --print --dialect postgresql > toggles.sql",
      "  toggles schema --print --dialect mysql --hierarchy region,tenant --table-prefix ff_"
    })
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions conn;

  @Option(names = "--print", required = true, description = "Print the DDL to standard output.")
  boolean print;

  @Option(
      names = "--dialect",
      paramLabel = "DB",
      description =
          "h2, postgresql or mysql (also for MariaDB). Default: from the JDBC URL, if one is"
              + " configured.")
  String dialect;

  @Override
  public Integer call() {
    Hierarchy h = conn.hierarchy();
    String d = Optional.ofNullable(dialect).orElseGet(this::dialectFromUrl);
    String prefix = conn.tablePrefix().orElse(JdbcConnector.DEFAULT_PREFIX);
    String ddl;
    try {
      ddl = JdbcConnector.ddl(d, h, prefix);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    Output out = Output.of(spec);
    out.printVerbatim(ddl.endsWith("\n") ? ddl : ddl + "\n");
    out.flush();
    return ExitCode.OK;
  }

  private String dialectFromUrl() {
    String url =
        conn.url()
            .orElseThrow(() -> usage("give --dialect h2, postgresql or mysql"))
            .toLowerCase(Locale.ROOT);
    for (String d : new String[] {"h2", "postgresql", "mysql", "mariadb"}) {
      if (url.startsWith("jdbc:" + d + ":")) {
        return d;
      }
    }
    throw usage(
        "cannot tell the dialect from the JDBC URL; give --dialect h2, postgresql or mysql");
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
