package io.toggles.cli;

import io.toggles.Hierarchy;
import io.toggles.StoreException;
import io.toggles.internal.DisplayText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the toggles live, shared by every command that opens the database. Each setting comes from
 * its option, else the environment, else the config file. There is deliberately no password option:
 * a password on the command line ends up in shell history and process lists.
 */
final class ConnectionOptions {
  static final String DEFAULT_CONFIG = ".toggles.properties";

  private final Host host;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "JDBC_URL",
      description =
          "JDBC URL of the toggles database (jdbc:h2:, jdbc:postgresql:, jdbc:mariadb:,"
              + " jdbc:mysql:). Default: env TOGGLES_JDBC_URL, else 'url' in the config file.")
  String url;

  @Option(
      names = "--user",
      paramLabel = "USER",
      description = "Database user. Default: env TOGGLES_DB_USER, else 'user' in the config file.")
  String user;

  @Option(
      names = "--password-stdin",
      description =
          "Read the database password from the first line of standard input. Otherwise: env"
              + " TOGGLES_DB_PASSWORD, else 'password' in the config file.")
  boolean passwordStdin;

  @Option(
      names = "--ask-password",
      description = "Prompt for the database password on the terminal (no echo).")
  boolean askPassword;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Properties file with url, user, password, hierarchy, tablePrefix, maxScopes."
              + " Default: ~/.toggles.properties if it exists.")
  Path config;

  @Option(
      names = "--hierarchy",
      split = ",",
      paramLabel = "DIM",
      description =
          "Scope dimensions of the store, most significant first. Default: env"
              + " TOGGLES_HIERARCHY, else 'hierarchy' in the config file, else"
              + " product,merchant,country.")
  List<String> hierarchy;

  @Option(
      names = "--table-prefix",
      paramLabel = "PREFIX",
      description = "Prefix of the toggles tables, if not the default.")
  String tablePrefix;

  private Properties loaded;

  ConnectionOptions(Host host) {
    this.host = host;
  }

  /**
   * Opens the store and checks that its schema is there and of the supported version.
   *
   * @throws ParameterException if the connection settings are wrong
   * @throws StoreException if the database is unreachable or the schema is missing or too new
   */
  Backend open() {
    Target target = target();
    Backend backend = connect(target);
    try {
      backend.schema().requireUsable(target.displayUrl());
      return backend;
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /** Opens the store without looking at its schema: for {@code init} and {@code status}. */
  Backend connect(Target target) {
    return host.connector().open(target);
  }

  /** The config file's properties; empty if there is none. */
  Properties config() {
    if (loaded != null) {
      return loaded;
    }
    Properties p = new Properties();
    Path file = config != null ? config : host.home().resolve(DEFAULT_CONFIG);
    if (!Files.exists(file)) {
      if (config != null) {
        throw new ParameterException(spec.commandLine(), "config file " + file + " does not exist");
      }
    } else {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "cannot read config file " + file + ": " + e.getMessage());
      }
      if (p.containsKey("password")) {
        warnIfReadableByOthers(file);
      }
    }
    loaded = p;
    return p;
  }

  private void warnIfReadableByOthers(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.OTHERS_READ)
          || perms.contains(PosixFilePermission.GROUP_READ)) {
        spec.commandLine()
            .getErr()
            .println(
                DisplayText.escape(
                    "warning: "
                        + file
                        + " holds a password and is readable by others; chmod 600 it"));
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }

  private Optional<String> setting(String option, String env, String key) {
    if (option != null) {
      return Optional.of(option);
    }
    String fromEnv = host.env().get(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv);
    }
    return Optional.ofNullable(config().getProperty(key)).map(String::trim);
  }

  /**
   * The store's hierarchy.
   *
   * @throws ParameterException if the names are not a valid hierarchy
   */
  Hierarchy hierarchy() {
    List<String> names =
        hierarchy != null
            ? hierarchy
            : setting(null, "TOGGLES_HIERARCHY", "hierarchy")
                .map(s -> List.of(s.split("\\s*,\\s*")))
                .orElse(Hierarchy.DEFAULT.dimensions());
    try {
      return new Hierarchy(names.stream().map(String::trim).toList());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "bad --hierarchy: " + e.getMessage());
    }
  }

  /** The table prefix, if set anywhere. */
  Optional<String> tablePrefix() {
    return setting(tablePrefix, "TOGGLES_TABLE_PREFIX", "tablePrefix");
  }

  /** The JDBC URL as configured (option, environment or config file), not yet checked. */
  Optional<String> url() {
    return setting(url, "TOGGLES_JDBC_URL", "url");
  }

  /**
   * Everything needed to connect.
   *
   * @throws ParameterException if no URL is given, the URL is refused, or the password cannot be
   *     read as asked
   */
  Target target() {
    String jdbcUrl =
        url()
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "no database given: use --url JDBC_URL, set TOGGLES_JDBC_URL, or put"
                            + " url=... in ~/"
                            + DEFAULT_CONFIG));
    UrlPolicy.problem(jdbcUrl, url != null)
        .ifPresent(
            problem -> {
              throw new ParameterException(spec.commandLine(), problem);
            });
    return new Target(
        jdbcUrl.trim(),
        setting(user, "TOGGLES_DB_USER", "user"),
        password(),
        hierarchy(),
        tablePrefix());
  }

  private Optional<String> password() {
    if (passwordStdin && askPassword) {
      throw new ParameterException(
          spec.commandLine(), "--password-stdin and --ask-password exclude each other");
    }
    if (passwordStdin) {
      try {
        String line =
            new BufferedReader(new InputStreamReader(host.stdin(), StandardCharsets.UTF_8))
                .readLine();
        if (line == null) {
          throw new ParameterException(
              spec.commandLine(), "--password-stdin: standard input is empty");
        }
        return Optional.of(line);
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(), "--password-stdin: cannot read standard input: " + e.getMessage());
      }
    }
    if (askPassword) {
      char[] pw =
          host.terminal()
              .readPassword("Database password: ")
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(),
                          "--ask-password needs a terminal; use --password-stdin or"
                              + " TOGGLES_DB_PASSWORD"));
      return Optional.of(new String(pw));
    }
    return setting(null, "TOGGLES_DB_PASSWORD", "password");
  }

  /** The guard-rail threshold from the config file, if set there. */
  Optional<Integer> maxScopes() {
    Optional<String> v = setting(null, "TOGGLES_MAX_SCOPES", "maxScopes");
    try {
      return v.map(Integer::valueOf);
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "maxScopes " + v.get() + " in the config is not a number");
    }
  }
}
