package io.toggles.jdbc;

import io.toggles.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The databases the JDBC store supports. Each knows its DDL file ({@code schema-h2.sql}, {@code
 * schema-postgresql.sql}, {@code schema-mysql.sql} next to this class) and the little SQL that
 * differs; everything else is the same SQL on all three. Detected from the JDBC metadata unless set
 * with {@link JdbcStore.Builder#dialect(Dialect)}.
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
