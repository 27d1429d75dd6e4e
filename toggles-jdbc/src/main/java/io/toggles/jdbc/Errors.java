package io.toggles.jdbc;

import io.toggles.ConflictException;
import io.toggles.StoreException;
import io.toggles.TogglesException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.regex.Pattern;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.jspecify.annotations.Nullable;

/**
 * Turns database failures into {@link StoreException} or {@link ConflictException} with messages a
 * person can act on. Messages never contain the configured password.
 */
final class Errors {
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)(password=)[^&;\\s)]*|(//[^/:@\\s]+:)[^@/\\s]+(@)");

  /** What went wrong, by class. */
  enum Kind {
    UNREACHABLE,
    SCHEMA_MISSING,
    SCHEMA_MISMATCH,
    DUPLICATE,
    CONCURRENT,
    OTHER
  }

  private final @Nullable String password;

  Errors(@Nullable String password) {
    this.password = password == null || password.isEmpty() ? null : password;
  }

  /** Removes passwords (the configured one and any in a URL) from a message. */
  String redact(@Nullable String message) {
    if (message == null) {
      return "";
    }
    String out =
        URL_PASSWORD.matcher(message).replaceAll(r -> r.group(1) != null ? "$1****" : "$2****$3");
    if (password != null) {
      out = out.replace(password, "****");
    }
    return out;
  }

  static @Nullable SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }

  /**
   * Whether a failure is a connection that broke while in use (SQLState class 08 on a connection
   * the pool handed out), as opposed to one the pool could not get at all.
   */
  static boolean brokeInUse(Throwable e) {
    SQLException sql = sqlCause(e);
    if (sql == null || sql instanceof SQLTransientConnectionException) {
      return false;
    }
    String state = sql.getSQLState();
    return state != null && state.startsWith("08") && !(e instanceof ConnectionException);
  }

  static Kind classify(Throwable e) {
    SQLException sql = sqlCause(e);
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    int code = sql == null ? 0 : sql.getErrorCode();
    if (e instanceof ConnectionException
        || sql instanceof SQLTransientConnectionException
        || sql instanceof SQLNonTransientConnectionException
        || state.startsWith("08")
        || state.equals("28000")
        || state.equals("28P01")) {
      return Kind.UNREACHABLE;
    }
    if (state.equals("42P01") || state.equals("42S02") || state.equals("42S04")) {
      return Kind.SCHEMA_MISSING;
    }
    if (state.equals("42703") || state.equals("42S22") || state.equals("42122")) {
      return Kind.SCHEMA_MISMATCH;
    }
    if (state.equals("23505") || (state.equals("23000") && code == 1062)) {
      return Kind.DUPLICATE;
    }
    if (state.equals("40001") || state.equals("40P01") || code == 1213) {
      return Kind.CONCURRENT;
    }
    return Kind.OTHER;
  }

  /**
   * The exception to throw for a failure while doing {@code action} (like "loading 'checkout'").
   * Exceptions of this library pass through unchanged.
   */
  RuntimeException translate(String action, Throwable e) {
    if (e instanceof TogglesException) {
      return (TogglesException) e;
    }
    if (e instanceof RuntimeException && !(e instanceof JdbiException) && sqlCause(e) == null) {
      return (RuntimeException) e; // bad input and the like, raised by this library's own checks
    }
    SQLException sql = sqlCause(e);
    String detail = redact(sql != null ? sql.getMessage() : e.getMessage());
    switch (classify(e)) {
      case UNREACHABLE:
        return new StoreException("database unreachable while " + action + ": " + detail, e);
      case SCHEMA_MISSING:
        return new StoreException(
            "schema missing while "
                + action
                + ": run `toggles init` or JdbcStore.createSchema(), or have a DBA apply"
                + " JdbcStore.ddl(...) ("
                + detail
                + ")",
            e);
      case SCHEMA_MISMATCH:
        return new StoreException(
            "schema does not match this store while "
                + action
                + ": the tables were made for another hierarchy or table prefix, or changed by"
                + " hand ("
                + detail
                + ")",
            e);
      case DUPLICATE:
        return new ConflictException(
            "another write created the same row at the same time while "
                + action
                + "; nothing was written: read again and retry");
      case CONCURRENT:
        return new ConflictException(
            "a concurrent write got in the way while "
                + action
                + "; nothing was written: retry ("
                + detail
                + ")");
      default:
        return new StoreException(
            "database error while "
                + action
                + ": "
                + detail
                + (sql != null && sql.getSQLState() != null
                    ? " (SQLState " + sql.getSQLState() + ")"
                    : ""),
            e);
    }
  }
}
