package io.toggles.cli;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials inside JDBC URLs, in every form the drivers take: a parameter ({@code ?password=},
 * {@code &password=}, H2's {@code ;PASSWORD=}, MySQL's {@code (password=...)}), and user info
 * ({@code //user:password@host}). The CLI refuses such URLs (a command line shows in process lists
 * and shell history) and redacts every form in the messages it prints, whatever printed them.
 */
final class UrlCredentials {
  private UrlCredentials() {}

  /** A parameter name and its '=', after any separator the drivers use. */
  private static final Pattern PARAMETER =
      Pattern.compile("(?:^|[?&;(,])\\s*([A-Za-z0-9_.\\-]+)\\s*=");

  /** The database password parameters: PostgreSQL, MariaDB, H2; MySQL's password1 to 3. */
  private static final Pattern DATABASE_PASSWORD = Pattern.compile("password[0-9]?");

  /** Redaction: the value of any parameter whose name holds "password" or "pwd". */
  private static final Pattern SECRET_VALUE =
      Pattern.compile("(?i)((?:password|pwd)[a-z0-9_]*\\s*=\\s*)[^;&\\s'\")]+");

  /** Redaction: {@code //user:password@}, the password possibly holding '/' or ':'. */
  private static final Pattern AUTHORITY_USER_INFO = Pattern.compile("(//[^/@:\\s]*):[^@\\s]*@");

  /** Redaction: {@code user:password@host} without {@code //}, as some drivers print hosts. */
  private static final Pattern BARE_USER_INFO =
      Pattern.compile("(?<![\\w:/])([\\w.%+\\-]+):[^\\s/@'\"]+@(?=[\\w\\[])");

  /** Which credential the URL carries: the database password, another secret, or none. */
  enum Kind {
    NONE,
    /** A database password: its place is the password options, never the URL. */
    PASSWORD,
    /** Another secret, such as a key store's password: only the URL can carry it. */
    OTHER_SECRET
  }

  /**
   * What credential the URL holds, the strongest first, as a short description for a message.
   *
   * @return the kind and how it was written, e.g. {@code "password=" parameter}
   */
  static Found find(String url) {
    String decoded = decode(url);
    Found other = new Found(Kind.NONE, "");
    Matcher m = PARAMETER.matcher(decoded);
    while (m.find()) {
      String name = m.group(1).toLowerCase(Locale.ROOT);
      if (DATABASE_PASSWORD.matcher(name).matches()) {
        return new Found(Kind.PASSWORD, "a '" + m.group(1) + "=' parameter");
      }
      if (name.contains("password") || name.contains("pwd") || name.contains("secret")) {
        other = new Found(Kind.OTHER_SECRET, "a '" + m.group(1) + "=' parameter");
      }
    }
    Optional<String> userInfo = userInfo(decoded);
    if (userInfo.isPresent() && userInfo.get().contains(":")) {
      return new Found(Kind.PASSWORD, "a 'user:password@' before the host");
    }
    return other;
  }

  /**
   * A credential found in a URL.
   *
   * @param kind what it is
   * @param form how it is written, for the message
   */
  record Found(Kind kind, String form) {}

  /** The user info of {@code //userinfo@host}, if the URL has one. */
  private static Optional<String> userInfo(String url) {
    int start = url.indexOf("//");
    if (start < 0) {
      return Optional.empty();
    }
    String rest = url.substring(start + 2);
    int end = rest.length();
    for (char c : new char[] {'?', ';'}) {
      int i = rest.indexOf(c);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    int at = rest.lastIndexOf('@', end - 1);
    return at < 0 ? Optional.empty() : Optional.of(rest.substring(0, at));
  }

  /** Percent-decoding where it is well-formed, so that an encoded name is recognised too. */
  private static String decode(String url) {
    try {
      return URLDecoder.decode(url.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  /**
   * The text with every credential form blanked: a password parameter's value and the password of
   * user info become {@code ***}. For messages only: it may blank more than a credential.
   */
  static String redact(String text) {
    String out = SECRET_VALUE.matcher(text).replaceAll("$1***");
    out = AUTHORITY_USER_INFO.matcher(out).replaceAll("$1:***@");
    return BARE_USER_INFO.matcher(out).replaceAll("$1:***@");
  }
}
