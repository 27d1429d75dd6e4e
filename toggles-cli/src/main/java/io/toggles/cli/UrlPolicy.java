package io.toggles.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which JDBC URLs the CLI connects to. A JDBC URL is code as much as an address: H2 runs SQL given
 * in the URL on connect ({@code INIT=}, which can {@code RUNSCRIPT} a file, or {@code CREATE
 * ALIAS}/{@code CREATE TRIGGER} Java code), and several drivers instantiate classes or do JNDI
 * lookups named in it. The toggles tool never needs any of that, so such URLs are refused before a
 * driver sees them.
 */
final class UrlPolicy {
  private UrlPolicy() {}

  /** The URL schemes whose drivers the CLI ships. */
  static final List<String> SCHEMES =
      List.of("jdbc:h2:", "jdbc:postgresql:", "jdbc:mariadb:", "jdbc:mysql:");

  /**
   * Case-insensitive fragments refused in H2 URLs, with why. H2 reads settings from the URL after
   * {@code ;}; these make it run SQL or Java on connect, or reach out by JNDI.
   */
  private static final List<String[]> H2_DENIED =
      List.of(
          new String[] {"INIT=", "runs SQL on connect"},
          new String[] {"RUNSCRIPT", "runs a SQL script on connect"},
          new String[] {"TRIGGER", "creates Java triggers"},
          new String[] {"ALIAS", "creates Java functions"},
          new String[] {"JAVA_OBJECT_SERIALIZER", "names a class to load"},
          new String[] {"AUTHENTICATOR", "names a class to load"},
          new String[] {"JNDI", "does a JNDI lookup"},
          new String[] {"JAVA:", "does a JNDI lookup"},
          new String[] {"LDAP:", "does a JNDI/LDAP lookup"},
          new String[] {"RMI:", "does a JNDI/RMI lookup"},
          new String[] {"JAVASCRIPT", "runs script code"});

  /**
   * Case-insensitive parameters refused in every URL: the PostgreSQL and MariaDB drivers
   * instantiate the classes they name (CVE-2022-21724 and friends) or reach out by JNDI.
   */
  private static final List<String> CLASS_PARAMETERS =
      List.of(
          "socketfactory",
          "sslfactory",
          "sslhostnameverifier",
          "sslpasswordcallback",
          "authenticationpluginclassname",
          "loggerfile",
          "credentialtype",
          "jndi");

  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password\\s*=)[^;&]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

  /**
   * Why the URL is refused, or empty if it may be used.
   *
   * @param url a JDBC URL
   */
  static Optional<String> problem(String url) {
    String lower = url.trim().toLowerCase(Locale.ROOT);
    if (SCHEMES.stream().noneMatch(lower::startsWith)) {
      return Optional.of(
          "unsupported JDBC URL "
              + redact(url)
              + ": expected one of "
              + String.join(", ", SCHEMES)
              + "...");
    }
    if (lower.startsWith("jdbc:h2:")) {
      // Settings follow the first ';'. INIT, RUNSCRIPT and JNDI are refused anywhere, the other
      // words only there, so that a database path like /srv/aliases/toggles stays usable.
      String upper = lower.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
      int semicolon = upper.indexOf(';');
      String settings = semicolon < 0 ? "" : upper.substring(semicolon);
      for (String[] denied : H2_DENIED) {
        boolean anywhere =
            denied[0].equals("INIT=") || denied[0].equals("RUNSCRIPT") || denied[0].equals("JNDI");
        if ((anywhere ? upper : settings).contains(denied[0])) {
          return Optional.of(
              "refusing H2 URL containing '"
                  + denied[0]
                  + "': it "
                  + denied[1]
                  + "; the toggles CLI never needs code run on connect. Remove it from the URL");
        }
      }
    }
    for (String p : CLASS_PARAMETERS) {
      if (lower.contains(p)) {
        return Optional.of(
            "refusing JDBC URL with parameter '"
                + p
                + "': it makes the driver load classes or look up names; remove it from the URL");
      }
    }
    return Optional.empty();
  }

  /** The URL with password parameters and user-info passwords blanked, safe to print. */
  static String redact(String url) {
    String out = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(out).replaceAll("$1***@");
  }
}
