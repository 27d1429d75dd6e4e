package io.toggles.jdbc;

import io.toggles.Hierarchy;
import io.toggles.StoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema of one store: detecting the dialect (once), checking the schema before first use
 * (until a check passes), reading its version, and creating it or upgrading an older one in place
 * with the statements of {@link Ddl}. Thread-safe.
 */
final class Schema {
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

  /** How often {@link #create()} runs the DDL when concurrent runs get in its way (about 3 s). */
  private static final int ATTEMPTS = 7;

  /** Serializes the DDL of databases where concurrent DDL is not safe (H2), within this JVM. */
  private static final Object SERIAL_DDL = new Object();

  /** How long a DDL statement waits for another node's DDL to let go of a lock. */
  private static final long DDL_LOCK_WAIT_MILLIS = 10_000;

  private final Database db;
  private final Hierarchy hierarchy;
  private final String prefix;
  private final boolean createIfMissing;
  private final Object lock = new Object();
  private volatile @Nullable Dialect dialect;
  private volatile @Nullable Sql sql;
  private volatile boolean checked;

  Schema(
      Database db,
      Hierarchy hierarchy,
      String prefix,
      @Nullable Dialect dialect,
      boolean createIfMissing) {
    this.db = db;
    this.hierarchy = hierarchy;
    this.prefix = prefix;
    this.createIfMissing = createIfMissing;
    this.dialect = dialect;
    if (dialect != null) {
      this.sql = new Sql(dialect, hierarchy, prefix);
    }
  }

  /** The dialect if known without asking the database (set, or detected already). */
  @Nullable Dialect knownDialect() {
    return dialect;
  }

  /** Forgets that the schema was checked: the next use checks it again. */
  void recheck() {
    checked = false;
  }

  /** The store's SQL, detecting the dialect from the database on first use. */
  Sql sql() {
    Sql s = sql;
    if (s != null) {
      return s;
    }
    synchronized (lock) {
      if (sql == null) {
        Dialect d = dialect;
        if (d == null) {
          String product =
              db.call(
                  "detecting the database",
                  h -> h.getConnection().getMetaData().getDatabaseProductName());
          d = Dialect.fromProductName(product);
          dialect = d;
        }
        sql = new Sql(d, hierarchy, prefix);
      }
      return sql;
    }
  }

  /**
   * The store's SQL once the schema has been found usable (checked until a check passes), creating
   * or upgrading it first if the store was built to.
   *
   * @throws StoreException saying what to do if the schema is missing, too old or too new
   */
  Sql ready() {
    Sql s = sql();
    if (checked) {
      return s;
    }
    synchronized (lock) {
      if (checked) {
        return s;
      }
      SchemaStatus status = status();
      if ((!status.present() || status.needsUpgrade()) && createIfMissing) {
        create(); // checks again, then finds the schema
        return s;
      }
      if (!status.usable()) {
        throw new StoreException(status.problem().orElseThrow());
      }
      if (status.version() > JdbcStore.SCHEMA_VERSION) {
        LOG.info(
            "toggles: schema version {} is newer than this library's ({}) but compatible with it",
            status.version(),
            JdbcStore.SCHEMA_VERSION);
      }
      db.call(
          "checking the schema", h -> h.createQuery(s.probe).map((rs, ctx) -> Boolean.TRUE).list());
      checked = true;
      return s;
    }
  }

  /**
   * Reads the schema version from the database. A missing schema is reported, not thrown.
   *
   * @throws StoreException if the database cannot be reached
   */
  SchemaStatus status() {
    Sql s = sql();
    int supported = JdbcStore.SCHEMA_VERSION;
    try {
      return db.jdbi.withHandle(
          h ->
              h.createQuery(s.schemaVersionRead)
                  .map((rs, ctx) -> new SchemaStatus(true, rs.getInt(1), rs.getInt(2), supported))
                  .findFirst()
                  .orElse(new SchemaStatus(false, 0, 0, supported)));
    } catch (RuntimeException e) {
      if (Errors.classify(e) == Errors.Kind.SCHEMA_MISSING) {
        return new SchemaStatus(false, 0, 0, supported);
      }
      throw db.errors.translate("reading the schema version", e);
    }
  }

  /**
   * Creates the tables that do not exist, adds the columns of this version that an older schema
   * lacks, gives the store its identity if it has none, and records the version: exactly the
   * statements of {@link Ddl}. Idempotent, and safe to run from several nodes at once: statements
   * that lose a race to another node are run again, and then find the work done.
   *
   * @throws StoreException if the database cannot be reached, refuses the DDL, or holds a schema
   *     too new for this library
   */
  void create() {
    Sql s = sql();
    SchemaStatus before = status();
    if (before.present() && !before.usable() && !before.needsUpgrade()) {
      throw new StoreException(before.problem().orElseThrow());
    }
    List<Ddl.Statement> statements = Ddl.parse(Ddl.render(s.dialect, hierarchy, prefix));
    Exception first;
    if (s.dialect.concurrentDdlIsSafe()) {
      first = applyWithRetries(s.dialect, statements);
    } else {
      synchronized (SERIAL_DDL) {
        first = applyWithRetries(s.dialect, statements);
      }
    }
    if (first != null) {
      SchemaStatus after;
      try {
        after = status();
      } catch (RuntimeException again) {
        first.addSuppressed(again);
        throw db.fail("creating the schema", first);
      }
      if (!after.usable()) {
        throw db.fail("creating the schema", first);
      }
      LOG.warn(
          "toggles: creating the schema failed {} times ({}), but another node completed it",
          ATTEMPTS,
          db.errors.redact(first.getMessage()));
    }
    LOG.info(
        "toggles: schema version {} present in tables {}* ({})",
        JdbcStore.SCHEMA_VERSION,
        prefix,
        s.dialect);
    checked = false;
    ready();
  }

  /**
   * Runs the DDL, again after a backoff while concurrent runs of other nodes get in its way.
   *
   * @return null once it ran whole, else the first failure (with the later ones suppressed)
   */
  private @Nullable Exception applyWithRetries(Dialect dialect, List<Ddl.Statement> statements) {
    Exception first = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0 && !backOff(attempt)) {
        break;
      }
      try {
        db.jdbi.useHandle(h -> apply(h.getConnection(), dialect, statements));
        first = null;
        break;
      } catch (SQLException | RuntimeException e) {
        // Another node may be creating or upgrading the same tables right now (its DDL holds
        // locks ours times out on, or it created a table between our check and our statement):
        // wait a little and run it all again; every statement is idempotent or guarded.
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
  }

  /**
   * Sleeps before attempt {@code attempt} (from 1): 50 ms doubling, jittered; false if interrupted.
   */
  private static boolean backOff(int attempt) {
    long millis = 50L << Math.min(attempt - 1, 5);
    try {
      Thread.sleep(millis + ThreadLocalRandom.current().nextLong(millis));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void apply(Connection c, Dialect dialect, List<Ddl.Statement> statements)
      throws SQLException {
    String[] lockTimeout = dialect.ddlLockTimeout();
    try (Statement st = c.createStatement()) {
      long previous = -1;
      if (lockTimeout != null) {
        try (ResultSet rs = st.executeQuery(lockTimeout[0])) {
          previous = rs.next() ? rs.getLong(1) : -1;
        }
        st.execute(String.format(java.util.Locale.ROOT, lockTimeout[1], DDL_LOCK_WAIT_MILLIS));
      }
      try {
        applyAll(c, st, dialect, statements);
      } finally {
        if (lockTimeout != null && previous >= 0) {
          // The connection goes back to a pool, perhaps the caller's: leave it as it was.
          st.execute(String.format(java.util.Locale.ROOT, lockTimeout[1], previous));
        }
      }
    }
  }

  private static void applyAll(
      Connection c, Statement st, Dialect dialect, List<Ddl.Statement> statements)
      throws SQLException {
    for (Ddl.Statement statement : statements) {
      if (statement.ifMissing().isPresent()) {
        List<String> where = statement.ifMissing().get();
        if (columnExists(c, dialect, where.get(0), where.get(1))) {
          continue;
        }
        try {
          st.execute(statement.sql());
        } catch (SQLException e) {
          if (!columnExists(c, dialect, where.get(0), where.get(1))) {
            throw e; // not a race lost to another node adding the same column
          }
        }
      } else if (statement.lockRowOf().isPresent()) {
        withRowLocked(c, st, statement.lockRowOf().get(), statement.sql());
      } else {
        st.execute(statement.sql());
      }
    }
  }

  /**
   * Runs a statement in a transaction that first locks row 1 of {@code table}: a node that waited
   * for the lock then sees what the other wrote (H2 does not evaluate an UPDATE's condition again
   * after waiting for the row, so two nodes could each set their own store id).
   */
  private static void withRowLocked(Connection c, Statement st, String table, String sql)
      throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (ResultSet rs = st.executeQuery("SELECT id FROM " + table + " WHERE id = 1 FOR UPDATE")) {
        rs.next();
      }
      st.execute(sql);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Whether the table of the connection's current schema has the column (metadata, no query). */
  static boolean columnExists(Connection c, Dialect dialect, String table, String column)
      throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    String escape = md.getSearchStringEscape();
    try (ResultSet rs =
        md.getColumns(
            c.getCatalog(),
            c.getSchema(),
            like(dialect.metadataName(table), escape),
            like(dialect.metadataName(column), escape))) {
      return rs.next();
    }
  }

  /** A name as a metadata search pattern matching only itself ('_' is a wildcard there). */
  private static String like(String name, @Nullable String escape) {
    if (escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape)
        .replace("_", escape + "_")
        .replace("%", escape + "%");
  }
}
