package io.toggles.jdbc;

import io.toggles.Hierarchy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the DDL templates shipped as classpath files and splits them into statements.
 *
 * <p>Placeholders: {@code ${prefix}}, {@code ${version}}, {@code ${hierarchy}}, {@code ${storeId}}
 * (a new random id at each rendering; the DDL sets it only where the store has none yet), and
 * {@code ${dims|TEMPLATE|SEPARATOR}}, which repeats TEMPLATE once per dimension with {@code {dim}}
 * replaced by the quoted column name, joined by SEPARATOR ({@code \n} is a line break).
 *
 * <p>A comment line {@code -- toggles:if-column-missing TABLE COLUMN} marks the next statement as
 * one to run only where that column does not exist yet (the additive upgrades of an older schema);
 * {@code -- toggles:with-row-locked TABLE} as one to run in a transaction that first locks row 1 of
 * that table (so that concurrent runs of it serialize on every database).
 */
final class Ddl {
  private static final Pattern DIMS = Pattern.compile("\\$\\{dims\\|([^|]*)\\|([^}]*)}");
  private static final String IF_MISSING = "-- toggles:if-column-missing ";
  private static final String WITH_ROW_LOCKED = "-- toggles:with-row-locked ";

  private Ddl() {}

  /**
   * One statement of the DDL.
   *
   * @param sql the statement, without its semicolon
   * @param ifMissing the table and column whose absence the statement needs, if marked
   * @param lockRowOf the table whose row 1 the statement runs under the lock of, if marked
   */
  record Statement(String sql, Optional<List<String>> ifMissing, Optional<String> lockRowOf) {}

  /** The DDL of a database for a hierarchy and table prefix (already validated). */
  static String render(Dialect dialect, Hierarchy hierarchy, String prefix) {
    return render(load(dialect.resource()), dialect, hierarchy, prefix, JdbcStore.SCHEMA_VERSION);
  }

  /** A DDL template rendered for a hierarchy, table prefix and schema version. */
  static String render(
      String template, Dialect dialect, Hierarchy hierarchy, String prefix, int version) {
    Matcher m = DIMS.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String separator = m.group(2).replace("\\n", "\n");
      StringJoiner joined = new StringJoiner(separator);
      for (String dim : hierarchy.dimensions()) {
        joined.add(m.group(1).replace("{dim}", dialect.quote(dim)));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(joined.toString()));
    }
    m.appendTail(out);
    return out.toString()
        .replace("${prefix}", prefix)
        .replace("${version}", Integer.toString(version))
        .replace("${hierarchy}", String.join(", ", hierarchy.dimensions()))
        .replace("${storeId}", UUID.randomUUID().toString());
  }

  /**
   * The statements of rendered DDL, in order: comment lines dropped, split after each line that
   * ends with a semicolon (the shipped files put no semicolon inside a statement).
   */
  static List<String> statements(String ddl) {
    List<String> out = new ArrayList<>();
    for (Statement s : parse(ddl)) {
      out.add(s.sql());
    }
    return out;
  }

  /** {@link #statements(String)} with the markers that go with them. */
  static List<Statement> parse(String ddl) {
    List<Statement> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    Optional<List<String>> marker = Optional.empty();
    Optional<String> lock = Optional.empty();
    for (String line : ddl.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith(IF_MISSING)) {
        marker = Optional.of(List.of(trimmed.substring(IF_MISSING.length()).strip().split("\\s+")));
        continue;
      }
      if (trimmed.startsWith(WITH_ROW_LOCKED)) {
        lock = Optional.of(trimmed.substring(WITH_ROW_LOCKED.length()).strip());
        continue;
      }
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (current.length() > 0) {
        current.append('\n');
      }
      if (trimmed.endsWith(";")) {
        current.append(line, 0, line.lastIndexOf(';'));
        out.add(new Statement(current.toString(), marker, lock));
        current.setLength(0);
        marker = Optional.empty();
        lock = Optional.empty();
      } else {
        current.append(line);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("DDL ends without a semicolon: " + current);
    }
    return out;
  }

  private static String load(String resource) {
    try (InputStream in = Ddl.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("DDL resource " + resource + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read DDL resource " + resource, e);
    }
  }
}
