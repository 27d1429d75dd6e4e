package io.toggles.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which JDBC URLs the CLI connects to. A JDBC URL is code as much as an address: H2 runs SQL given
 * in the URL on connect ({@code INIT=}, which can {@code RUNSCRIPT} a file, or {@code CREATE
 * ALIAS}/{@code CREATE TRIGGER} Java code) and loads classes some settings name, and several
 * drivers instantiate classes or do JNDI lookups named in it. The toggles tool never needs any of
 * that, so such URLs are refused before a driver sees them: H2 URLs may carry only the settings of
 * {@link H2UrlSettings}'s allow-list, other URLs none of the parameters known to load classes.
 *
 * <p>A URL never carries the database password ({@link UrlCredentials}): it would show in process
 * lists, shell history and messages. Other secrets a driver only takes in the URL (a key store's
 * password) are refused on the command line only.
 */
final class UrlPolicy {
  private UrlPolicy() {}

  /** The URL schemes whose drivers the CLI ships. */
  static final List<String> SCHEMES =
      List.of("jdbc:h2:", "jdbc:postgresql:", "jdbc:mariadb:", "jdbc:mysql:");

  /** Where the database password goes instead of the URL. */
  static final String PASSWORD_PLACES =
      "give it by env TOGGLES_DB_PASSWORD, 'password' in the config file, --password-stdin or"
          + " --ask-password";

  /**
   * Case-insensitive fragments of parameters refused in every non-H2 URL: the PostgreSQL, MariaDB
   * and MySQL drivers instantiate the classes they name (CVE-2022-21724 and friends), deserialize
   * objects, read local files or reach out by JNDI.
   */
  private static final List<String> CLASS_PARAMETERS =
      List.of(
          "socketfactory",
          "sslfactory",
          "sslhostnameverifier",
          "sslpasswordcallback",
          "authenticationplugin",
          "loggerfile",
          "credentialtype",
          "jndi",
          "autodeserialize",
          "interceptor",
          "localinfile",
          "propertiestransform",
          "clientinfoprovider",
          "cachefactory");

  /**
   * Why the URL is refused, or empty if it may be used.
   *
   * @param url a JDBC URL
   * @param onCommandLine whether it was given as {@code --url} (visible to every user in {@code
   *     ps}) rather than by the environment or the config file
   */
  static Optional<String> problem(String url, boolean onCommandLine) {
    String lower = url.trim().toLowerCase(Locale.ROOT);
    if (SCHEMES.stream().noneMatch(lower::startsWith)) {
      return Optional.of(
          "unsupported JDBC URL "
              + redact(url)
              + ": expected one of "
              + String.join(", ", SCHEMES)
              + "...");
    }
    UrlCredentials.Found secret = UrlCredentials.find(url);
    if (secret.kind() == UrlCredentials.Kind.PASSWORD) {
      return Optional.of(
          "refusing a password inside the JDBC URL ("
              + secret.form()
              + "): a URL shows in process lists, shell history and messages. Remove it and "
              + PASSWORD_PLACES);
    }
    if (secret.kind() == UrlCredentials.Kind.OTHER_SECRET && onCommandLine) {
      return Optional.of(
          "refusing a secret in --url ("
              + secret.form()
              + "): a command line shows in process lists and shell history. Put the URL in env"
              + " TOGGLES_JDBC_URL or url= in the config file instead");
    }
    if (lower.startsWith("jdbc:h2:")) {
      return H2UrlSettings.problem(url.trim());
    }
    for (String p : CLASS_PARAMETERS) {
      if (lower.contains(p)) {
        return Optional.of(
            "refusing JDBC URL with parameter '"
                + p
                + "': it makes the driver load classes, read local files or look up names;"
                + " remove it from the URL");
      }
    }
    return Optional.empty();
  }

  /** The URL, or any message quoting one, with every credential form blanked: safe to print. */
  static String redact(String text) {
    return UrlCredentials.redact(text);
  }
}
