package io.toggles.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The settings an H2 URL may carry to the CLI: an allow-list of those known to be safe, plain data
 * that names no class, holds no SQL and reaches nothing outside the database. H2 reads settings
 * after the URL's first {@code ;} and applies most of them as {@code SET} statements; some run SQL
 * on connect ({@code INIT}), and some make it load a class named in the URL ({@code
 * DATABASE_EVENT_LISTENER}, {@code DEFAULT_TABLE_ENGINE}, {@code JAVA_OBJECT_SERIALIZER}, {@code
 * AUTHENTICATOR}). A setting not listed here is refused, whatever it is; so is a value with any
 * character but letters, digits and {@code _ . , @ + -} (no quote, space, backslash or {@code ;}
 * that could end the statement H2 makes of it).
 */
final class H2UrlSettings {
  private H2UrlSettings() {}

  /** The settings known to be safe, by what they are for. */
  static final Set<String> ALLOWED =
      new TreeSet<>(
          List.of(
              // how the connection and the database behave
              "ACCESS_MODE_DATA",
              "AUTOCOMMIT",
              "AUTO_RECONNECT",
              "AUTO_SERVER",
              "AUTO_SERVER_PORT",
              "DB_CLOSE_DELAY",
              "DB_CLOSE_ON_EXIT",
              "DEFAULT_LOCK_TIMEOUT",
              "FILE_LOCK",
              "FORBID_CREATION",
              "IFEXISTS",
              "LOCK_MODE",
              "LOCK_TIMEOUT",
              "NETWORK_TIMEOUT",
              "QUERY_TIMEOUT",
              // SQL dialect and names
              "CASE_INSENSITIVE_IDENTIFIERS",
              "DATABASE_TO_LOWER",
              "DATABASE_TO_UPPER",
              "DEFAULT_NULL_ORDERING",
              "IGNORECASE",
              "MODE",
              "NON_KEYWORDS",
              "SCHEMA",
              // storage and tracing
              "CACHE_SIZE",
              "CIPHER",
              "DEFRAG_ALWAYS",
              "MAX_COMPACT_TIME",
              "MAX_MEMORY_ROWS",
              "RETENTION_TIME",
              "TRACE_LEVEL_FILE",
              "TRACE_LEVEL_SYSTEM_OUT",
              "TRACE_MAX_FILE_SIZE",
              "WRITE_DELAY",
              // who connects (the password has its own options)
              "USER"));

  /** Settings refused with a reason of their own, because they are what the policy is for. */
  private static final Map<String, String> DANGEROUS =
      Map.of(
          "INIT", "runs SQL on connect",
          "RUNSCRIPT", "runs a SQL script on connect",
          "DATABASE_EVENT_LISTENER", "names a class to load",
          "DEFAULT_TABLE_ENGINE", "names a class to load",
          "JAVA_OBJECT_SERIALIZER", "names a class to load",
          "AUTHENTICATOR", "names a class to load",
          "IGNORE_UNKNOWN_SETTINGS", "would let H2 skip settings it does not know");

  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.,@+\\-]*");

  /**
   * Why the H2 URL is refused, or empty if every setting it carries is allowed.
   *
   * @param url a {@code jdbc:h2:} URL
   */
  static Optional<String> problem(String url) {
    int semicolon = url.indexOf(';');
    if (semicolon < 0) {
      return Optional.empty();
    }
    for (String setting : url.substring(semicolon + 1).split(";", -1)) {
      if (setting.isBlank()) {
        continue;
      }
      int eq = setting.indexOf('=');
      String key = (eq < 0 ? setting : setting.substring(0, eq)).trim().toUpperCase(Locale.ROOT);
      String value = eq < 0 ? "" : setting.substring(eq + 1).trim();
      String shownKey = key.length() > 40 ? key.substring(0, 40) + "..." : key;
      String why = DANGEROUS.get(key.split("\\s")[0]);
      if (why != null) {
        return Optional.of(
            "refusing H2 URL setting '"
                + shownKey
                + "': it "
                + why
                + "; the toggles CLI never needs code run on connect. Remove it from the URL");
      }
      if (!ALLOWED.contains(key)) {
        return Optional.of(
            "refusing H2 URL setting '"
                + shownKey
                + "': the CLI takes only settings known to be safe ("
                + String.join(", ", ALLOWED)
                + "). Remove it from the URL");
      }
      if (eq < 0 || !VALUE.matcher(value).matches()) {
        return Optional.of(
            "refusing H2 URL setting '"
                + key
                + "': its value must be letters, digits and _ . , @ + - only");
      }
    }
    return Optional.empty();
  }
}
