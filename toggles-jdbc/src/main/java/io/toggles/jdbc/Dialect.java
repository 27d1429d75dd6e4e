package io.toggles.jdbc;

import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.StringJoiner;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * The databases the JDBC store supports. Each knows its DDL file ({@code schema-h2.sql}, {@code
 * schema-postgresql.sql}, {@code schema-mysql.sql} next to this class) and the little SQL that
 * differs, all of it here: the clock, quoting, the value column, NOTIFY, and how a statement names
 * one row's scope so that the database finds it through its unique index. Everything else is the
 * same SQL on all three. Detected from the JDBC metadata unless set with {@link
 * JdbcStore.Builder#dialect(Dialect)}.
 */
public enum Dialect {
  /** H2 2.x, in its default (regular) mode. */
  H2("schema-h2.sql", "CURRENT_TIMESTAMP(6)"),
  /** PostgreSQL 12 or later. */
  POSTGRESQL("schema-postgresql.sql", "clock_timestamp()"),
  /** MySQL 8 and MariaDB 10.5 or later (InnoDB, utf8mb4). */
  MYSQL("schema-mysql.sql", "UTC_TIMESTAMP(6)");

  private final String resource;
  private final String now;

  Dialect(String resource, String now) {
    this.resource = resource;
    this.now = now;
  }

  /** The classpath resource of this database's DDL template, relative to this class. */
  String resource() {
    return resource;
  }

  /** The SQL expression for the database's current time (the database clock, never the node's). */
  String now() {
    return now;
  }

  /**
   * Quotes a column name (a lower-case identifier) so that a reserved word still works, in the form
   * that plain unquoted SQL also finds: H2 folds unquoted names to upper case, PostgreSQL to lower
   * case, MySQL ignores case for columns.
   */
  String quote(String lowerCaseName) {
    switch (this) {
      case H2:
        return '"' + lowerCaseName.toUpperCase(Locale.ROOT) + '"';
      case POSTGRESQL:
        return '"' + lowerCaseName + '"';
      case MYSQL:
        return '`' + lowerCaseName + '`';
      default:
        throw new AssertionError(this);
    }
  }

  /** The settings table's value column, quoted where it is a keyword (H2). */
  String valueColumn() {
    return this == H2 ? "\"VALUE\"" : "value";
  }

  /** Notifies a channel (delivered at commit); null where the database has no NOTIFY. */
  @Nullable String notifySql() {
    return this == POSTGRESQL ? "SELECT pg_notify(:channel, :payload)" : null;
  }

  /**
   * How long a DDL statement may wait for a lock another node's DDL holds, set for the session that
   * creates or upgrades the schema: H2 waits 2 seconds by default, and an ALTER that times out
   * rolls back a column other sessions already saw. Null where the default waits long enough
   * (PostgreSQL and MySQL wait for locks without such a short limit).
   *
   * @return the statement reading the session's setting and the one setting it (with {@code %d} for
   *     the milliseconds), or null
   */
  String @Nullable [] ddlLockTimeout() {
    return this == H2 ? new String[] {"SELECT LOCK_TIMEOUT()", "SET LOCK_TIMEOUT %d"} : null;
  }

  /**
   * Whether DDL from several connections at once is safe. Not on H2: concurrent {@code ALTER TABLE
   * ... ADD COLUMN} copies the table under another session's feet (lost updates, and H2 2.5 fails
   * with a NullPointerException in {@code AlterTableAlterColumn.copyData}), so the store runs its
   * H2 DDL one schema creation at a time per JVM.
   */
  boolean concurrentDdlIsSafe() {
    return this != H2;
  }

  /** A table or column name as this database's metadata reports an unquoted one. */
  String metadataName(String lowerCaseName) {
    return this == H2 ? lowerCaseName.toUpperCase(Locale.ROOT) : lowerCaseName;
  }

  /**
   * The condition selecting exactly the row of {@code :feature} at {@code scope}, written so that
   * the database looks it up through the settings table's unique index (the rows of a large feature
   * are never scanned); bind it with {@link #bindScope}.
   *
   * <ul>
   *   <li>H2 indexes the dimension columns themselves: {@code col = :dN} or {@code col IS NULL}.
   *   <li>PostgreSQL indexes {@code COALESCE(col, '')}: the condition compares that expression (''
   *       for a wildcard, which no scope value can be) and rechecks {@code IS NULL} for a wildcard,
   *       so a hand-written '' is still not taken for one.
   *   <li>MySQL/MariaDB index the generated {@code scope_key}: the condition compares it with the
   *       same hash computed here ({@link #scopeKey}) and rechecks every column.
   * </ul>
   */
  String scopeCondition(Hierarchy hierarchy, Scope scope) {
    StringBuilder where = new StringBuilder("feature = :feature");
    if (this == MYSQL) {
      where.append(" AND scope_key = :scope_key");
    }
    for (int i = 0; i < hierarchy.size(); i++) {
      String col = quote(hierarchy.dimension(i));
      boolean named = scope.value(i).isPresent();
      where.append(" AND ");
      if (this == POSTGRESQL) {
        where.append("COALESCE(").append(col).append(", '') = ");
        where.append(named ? ":d" + i : "'' AND " + col + " IS NULL");
      } else {
        where.append(col).append(named ? " = :d" + i : " IS NULL");
      }
    }
    return where.toString();
  }

  /** Binds the parameters of {@link #scopeCondition} for {@code scope}. */
  void bindScope(SqlStatement<?> statement, Hierarchy hierarchy, Scope scope) {
    for (int i = 0; i < hierarchy.size(); i++) {
      if (scope.value(i).isPresent()) {
        statement.bind("d" + i, scope.value(i).get());
      }
    }
    if (this == MYSQL) {
      statement.bind("scope_key", scopeKey(hierarchy, scope));
    }
  }

  /**
   * The MySQL schema's {@code scope_key} of a scope, as the database computes it: {@code
   * SHA2(CONCAT_WS(',', COALESCE(CONCAT(CHAR_LENGTH(col), ':', col), '-'), ...), 256)} over the
   * UTF-8 text, in lower-case hex.
   */
  static String scopeKey(Hierarchy hierarchy, Scope scope) {
    StringJoiner key = new StringJoiner(",");
    for (int i = 0; i < hierarchy.size(); i++) {
      String v = scope.value(i).orElse(null);
      key.add(v == null ? "-" : v.codePointCount(0, v.length()) + ":" + v);
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(key.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Reads a timestamp column written from {@link #now()} or {@link #bindTime}. */
  Instant readTime(ResultSet rs, int column) throws SQLException {
    if (this == MYSQL) {
      // DATETIME(6) holding UTC (the schema writes UTC_TIMESTAMP): no session time zone involved.
      LocalDateTime t = rs.getObject(column, LocalDateTime.class);
      return t.toInstant(ZoneOffset.UTC);
    }
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  /** Binds a database time read with {@link #readTime} to a timestamp column. */
  void bindTime(PreparedStatement ps, int position, Instant time) throws SQLException {
    if (this == MYSQL) {
      ps.setObject(position, LocalDateTime.ofInstant(time, ZoneOffset.UTC));
    } else {
      ps.setObject(position, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
    }
  }

  /**
   * The dialect of a database product name as JDBC metadata reports it.
   *
   * @throws StoreException if the product is none of the supported ones
   */
  static Dialect fromProductName(String productName) {
    String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (p.startsWith("h2")) {
      return H2;
    }
    if (p.startsWith("postgresql")) {
      return POSTGRESQL;
    }
    if (p.startsWith("mysql") || p.startsWith("mariadb")) {
      return MYSQL;
    }
    throw new StoreException(
        "unsupported database '"
            + productName
            + "': toggles supports H2, PostgreSQL and MySQL/MariaDB; if yours speaks one of their"
            + " SQL dialects, set it with JdbcStore.builder(...).dialect(...)");
  }
}
