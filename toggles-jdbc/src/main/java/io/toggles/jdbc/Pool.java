package io.toggles.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The connections of a store built from a JDBC URL: its HikariCP pool, and the dedicated LISTEN
 * connection, opened with the driver outside the pool. Every pool setting the library chooses is
 * here.
 */
final class Pool {
  /** The most connections of a pool the store creates. */
  static final int MAX_SIZE = 4;

  /** The connections a pool the store creates keeps open while idle. */
  static final int MIN_IDLE = 1;

  private Pool() {}

  /**
   * A pool for {@code url}. Does not connect: the first call does.
   *
   * @throws IllegalArgumentException if no driver accepts the URL (the message never holds the
   *     password)
   */
  static HikariDataSource create(
      String url,
      @Nullable String user,
      @Nullable String password,
      String tablePrefix,
      Duration connectionTimeout) {
    Errors redactor = new Errors(password);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setPoolName("toggles-" + tablePrefix.replaceAll("_+$", ""));
    config.setMaximumPoolSize(MAX_SIZE);
    config.setMinimumIdle(MIN_IDLE);
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setInitializationFailTimeout(-1); // never connect (or fail) while building
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      // The pool's message repeats the URL, which may hold a password: leave the cause out.
      throw new IllegalArgumentException(
          "cannot open a pool for "
              + redactor.redact(url)
              + ": is the JDBC driver on the class path? ("
              + redactor.redact(e.getMessage())
              + ")");
    }
  }

  /**
   * The LISTEN connection of a store that made its own pool: straight from the driver, outside the
   * pool, so that it never takes a pooled connection away from reads and writes.
   */
  static PgListener.ConnectionSource direct(
      String url, @Nullable String user, @Nullable String password, Duration connectionTimeout) {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    // Defaults only: the driver lets parameters in the URL win.
    String seconds = Long.toString(Math.max(1, (connectionTimeout.toMillis() + 999) / 1000));
    props.setProperty("connectTimeout", seconds);
    props.setProperty("loginTimeout", seconds);
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("ApplicationName", "toggles-listen");
    return () -> DriverManager.getConnection(url, props);
  }
}
