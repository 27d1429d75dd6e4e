package io.toggles.jdbc;

import java.sql.SQLException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * How the store talks to its database: one Jdbi over the data source, and every failure turned into
 * an exception a person can act on ({@link Errors}). Calls that find the schema missing or changed
 * tell {@link Schema} to check it again.
 */
final class Database {
  final Jdbi jdbi;
  final Errors errors;
  private final Runnable schemaProblem;

  Database(javax.sql.DataSource dataSource, Errors errors, Runnable schemaProblem) {
    this.jdbi = Jdbi.create(dataSource);
    // No template engine: table names are built in Java from validated parts, and SQL text such as
    // "a < b" must never be taken for a template attribute.
    jdbi.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP);
    this.errors = errors;
    this.schemaProblem = schemaProblem;
  }

  /**
   * Runs a read on a connection of its own (autocommit). A read that fails because its pooled
   * connection broke in use (the database restarted, the network cut it) runs once more, on a fresh
   * connection: after an outage the pool may hold several dead connections, and a read is safe to
   * repeat.
   */
  <R> R call(String action, HandleCallback<R, SQLException> callback) {
    try {
      return jdbi.withHandle(callback);
    } catch (SQLException | RuntimeException e) {
      if (!Errors.brokeInUse(e)) {
        throw fail(action, e);
      }
      try {
        return jdbi.withHandle(callback);
      } catch (SQLException | RuntimeException again) {
        again.addSuppressed(e);
        throw fail(action, again);
      }
    }
  }

  /**
   * Runs {@code callback} in one transaction of {@code level}; a read-only one ({@code retry}) runs
   * once more on a fresh connection if its connection broke in use, as {@link #call}.
   */
  <R> R transaction(
      String action,
      TransactionIsolationLevel level,
      boolean retry,
      HandleCallback<R, SQLException> callback) {
    try {
      return jdbi.inTransaction(level, callback);
    } catch (SQLException | RuntimeException e) {
      if (!retry || !Errors.brokeInUse(e)) {
        throw fail(action, e);
      }
      try {
        return jdbi.inTransaction(level, callback);
      } catch (SQLException | RuntimeException again) {
        again.addSuppressed(e);
        throw fail(action, again);
      }
    }
  }

  /** The exception to throw for a failure while doing {@code action}. */
  RuntimeException fail(String action, Exception e) {
    Errors.Kind kind = Errors.classify(e);
    if (kind == Errors.Kind.SCHEMA_MISSING || kind == Errors.Kind.SCHEMA_MISMATCH) {
      schemaProblem.run(); // check again next time: someone may be fixing it right now
    }
    return errors.translate(action, e);
  }
}
