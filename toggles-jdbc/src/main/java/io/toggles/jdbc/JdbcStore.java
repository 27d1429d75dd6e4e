package io.toggles.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Preview;
import io.toggles.StoreException;
import io.toggles.ToggleAdmin;
import io.toggles.Write;
import io.toggles.spi.StoreContents;
import io.toggles.spi.StoreHead;
import io.toggles.spi.ToggleStore;
import io.toggles.spi.WriteEngine;
import io.toggles.spi.WriteTransaction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC store: features, rows, kill switches and the change log in H2, PostgreSQL or
 * MySQL/MariaDB tables. It is both the read SPI that {@link io.toggles.Toggles} loads from and the
 * write API ({@link ToggleAdmin}) that the CLI and the admin endpoint use.
 *
 * <pre>{@code
 * JdbcStore store = JdbcStore.builder(dataSource).build();
 * store.createSchema(); // once, or have a DBA apply JdbcStore.ddl(Dialect.POSTGRESQL, ...)
 * Toggles toggles = Toggles.builder(store).build();
 * }</pre>
 *
 * <p><b>Schema.</b> {@link Builder#build()} never touches the database. The dialect is detected and
 * the schema version checked on first use, once; a missing schema, one of an older version (to be
 * upgraded) or one too new for this library makes every call throw {@link StoreException} saying
 * what to do, until {@link #createSchema()} is run (or the DDL applied by hand), without a restart.
 * DDL runs only from {@link #createSchema()} or, when opted in with {@link
 * Builder#createSchemaIfMissing(boolean)}, on first use.
 *
 * <p><b>Writes</b> are made by the core {@link WriteEngine} over this store's transaction
 * primitives: one transaction each (an import is one transaction and one change set for all of its
 * changes). Each first locks the single row of the state table, so writes are serialized across
 * every node and revisions are gap-free and in commit order: the change log is a change feed that
 * can be read with {@code revision > ?} without skipping anything. A write that throws has changed
 * nothing. Timestamps come from the database clock.
 *
 * <p><b>Reads.</b> {@link #revision()} and {@link #head(long)} are one single-row read each; {@link
 * #load(String)} is one statement (the revision, the declaration and every row of the feature, in
 * one snapshot); {@link #loadAll()} and {@link #loadContents()} are two and three statements in one
 * transaction, the rows streamed. A row whose value or scope does not parse (written by hand) is
 * skipped with a warning naming it: its feature falls back to its default there, every other row
 * and feature loads normally. {@link #unreadable()} lists such rows and declarations.
 *
 * <p><b>Change notifications.</b> On PostgreSQL every write also notifies the channel {@code
 * <prefix>changes} at commit, and {@link #subscribe(Runnable)} listens on it (one thread and one
 * dedicated connection per store), so that {@link io.toggles.Toggles} on every node syncs at once
 * instead of at its next poll. Elsewhere polling alone bounds staleness.
 *
 * <p>Thread-safe. Close it to stop listening and to close a pool it created.
 */
public final class JdbcStore implements ToggleStore, ToggleAdmin, AutoCloseable {

  /** The schema version this library creates and understands. */
  public static final int SCHEMA_VERSION = 2;

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");

  private final @Nullable HikariDataSource ownedPool;
  private final Hierarchy hierarchy;
  private final String locator;
  private final Database db;
  private final Schema schema;
  private final Reads reads;
  private final Repairs repairs;
  private final RowMapping mapping;
  private final WriteEngine engine;
  private final PgListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcStore(Builder b, DataSource dataSource, @Nullable HikariDataSource ownedPool) {
    this.ownedPool = ownedPool;
    this.hierarchy = b.hierarchy;
    this.locator = Locator.of(b.jdbcUrl, b.dataSource, b.tablePrefix);
    this.db = new Database(dataSource, new Errors(b.password), this::recheckSchema);
    this.schema = new Schema(db, hierarchy, b.tablePrefix, b.dialect, b.createSchemaIfMissing);
    this.mapping = new RowMapping(hierarchy, b.tablePrefix);
    this.reads = new Reads(db, schema, mapping);
    this.repairs = new Repairs(db, schema, mapping);
    this.engine = new WriteEngine(hierarchy, this::inTransaction);
    PgListener.ConnectionSource listenSource =
        ownedPool == null
            ? dataSource::getConnection
            : Pool.direct(
                Objects.requireNonNull(b.jdbcUrl), b.user, b.password, b.connectionTimeout);
    this.listener =
        new PgListener(
            b.tablePrefix + "changes",
            listenSource,
            () -> schema.sql().dialect,
            b.connectionTimeout,
            "toggles-listen-" + b.tablePrefix.replaceAll("_+$", ""));
  }

  /** After a failure that says the schema is missing or changed: check it again next time. */
  private void recheckSchema() {
    schema.recheck();
  }

  /**
   * A builder for a store on the caller's data source (connection pool). The caller owns the pool:
   * {@link #close()} leaves it open.
   *
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    if (dataSource == null) {
      throw new NullPointerException("dataSource");
    }
    return new Builder(dataSource, null);
  }

  /**
   * A builder for a store that creates its own HikariCP pool for {@code jdbcUrl} (at most 4
   * connections) and closes it in {@link #close()}. The JDBC driver must be on the class path.
   *
   * @throws IllegalArgumentException if the URL is blank or not a JDBC URL
   */
  public static Builder builder(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("not a JDBC URL (it must start with 'jdbc:')");
    }
    return new Builder(null, jdbcUrl);
  }

  /**
   * The exact DDL this library applies for a database, hierarchy and table prefix, for a person to
   * review and apply (many DBAs forbid DDL from applications). {@link #createSchema()} runs exactly
   * these statements, skipping each one marked {@code -- toggles:if-column-missing} whose column
   * exists already. It creates a schema or upgrades one of an older version in place.
   *
   * @throws IllegalArgumentException if the prefix is not a lower-case identifier of at most 20
   *     characters
   */
  public static String ddl(Dialect dialect, Hierarchy hierarchy, String tablePrefix) {
    return Ddl.render(dialect, hierarchy, requireValidPrefix(tablePrefix));
  }

  private static String requireValidPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "table prefix "
              + (prefix == null ? "null" : "'" + prefix.replaceAll("[^\\x20-\\x7e]", "?") + "'")
              + " is invalid: use 1 to 20 characters of a-z, 0-9 and _, starting with a letter");
    }
    return prefix;
  }

  @Override
  public Hierarchy hierarchy() {
    return hierarchy;
  }

  /** The dialect in use, detecting it from the database if it was not set. */
  public Dialect dialect() {
    return schema.sql().dialect;
  }

  /**
   * The database and table prefix, without credentials and without connecting: the JDBC URL without
   * user, password or driver settings (parameters that choose a schema are kept), then {@code #}
   * and the prefix, like {@code jdbc:postgresql://db:5432/app?currentSchema=ops#toggles_}. For a
   * caller's data source that does not tell its URL, its class name stands in for the URL.
   */
  @Override
  public String locator() {
    return locator;
  }

  // ------------------------------------------------------------------------------ schema

  /**
   * Creates the tables if they do not exist, upgrades tables of an older schema version in place
   * (additively: libraries of that version keep working on them), gives the store its identity if
   * it has none, and records the schema version: exactly the statements of {@link #ddl(Dialect,
   * Hierarchy, String)}. Idempotent and safe to run from several nodes at once.
   *
   * @throws StoreException if the database cannot be reached, refuses the DDL, or holds a schema
   *     too new for this library
   */
  public void createSchema() {
    schema.create();
  }

  /**
   * Reads the schema version from the database. A missing schema is reported, not thrown.
   *
   * @throws StoreException if the database cannot be reached
   */
  public SchemaStatus schemaStatus() {
    return schema.status();
  }

  // ------------------------------------------------------------------------------ reads

  @Override
  public long revision() {
    return reads.revision();
  }

  /** One indexed read of the state row and the change at {@code at}. */
  @Override
  public StoreHead head(long at) {
    return reads.head(at);
  }

  @Override
  public FeatureState load(String feature) {
    return reads.load(feature);
  }

  @Override
  public List<FeatureState> loadAll() {
    return reads.loadContents(false).features();
  }

  /** {@link #loadAll()} and {@link #head(long)} at its revision, in one transaction. */
  @Override
  public StoreContents loadContents() {
    return reads.loadContents(true);
  }

  /** One read of the declarations' primary key. */
  @Override
  public Set<String> declaredFeatures() {
    return reads.declaredFeatures();
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    return reads.changesSince(revision, limit);
  }

  @Override
  public FeatureState read(String feature) {
    return reads.load(feature);
  }

  @Override
  public List<FeatureDefinition> features() {
    return reads.features();
  }

  @Override
  public List<Change> history(Optional<String> feature, int limit) {
    return reads.history(feature, limit);
  }

  @Override
  public Optional<Change> change(long revision) {
    return reads.change(revision);
  }

  /**
   * The store's revision and how many features, rows and change-log entries it holds, in one query.
   *
   * @throws StoreException if the store cannot be read
   */
  public StoreStats stats() {
    return reads.stats();
  }

  /**
   * Every declaration and settings row in the tables that the store cannot read (edited by hand),
   * with what is wrong and how to fix it: what {@code toggles status} lists. Empty when all is
   * readable.
   *
   * @throws StoreException if the store cannot be read
   */
  public List<Unreadable> unreadable() {
    return repairs.unreadable();
  }

  // ------------------------------------------------------------------------------ writes

  @Override
  public List<Change> apply(Write write, Audit audit) {
    return engine.apply(write, audit);
  }

  /**
   * Runs the write in a real database transaction, with its locks, every rule and expectation, and
   * rolls it back: nothing is committed, nobody is notified.
   */
  @Override
  public Preview preview(Write write, Audit audit) {
    return engine.preview(write, audit);
  }

  /** One READ COMMITTED transaction that locks the state row first, committed or rolled back. */
  private <R> R inTransaction(String action, boolean commit, Function<WriteTransaction, R> work) {
    Sql s = schema.ready();
    return db.transaction(
        action,
        TransactionIsolationLevel.READ_COMMITTED,
        false,
        h -> {
          R result = work.apply(new JdbcTransaction(h, s, mapping));
          if (!commit) {
            h.rollback(); // Jdbi then does not commit
          }
          return result;
        });
  }

  // ------------------------------------------------------------------------------ notifications

  /**
   * Calls {@code onChange} soon after any write to this store commits, from any node.
   *
   * <p>On PostgreSQL every write transaction notifies the channel {@code <prefix>changes} (NOTIFY
   * is delivered at commit), and the store listens on it with one daemon thread and one dedicated
   * connection, shared by all of its subscribers and started by the first. A store built from a
   * JDBC URL opens that connection with the driver, outside its pool; a store on a caller's {@link
   * DataSource} takes one connection from it and holds it while subscribed (size the pool for it).
   * When the connection fails, {@code onChange} is called (so the subscriber resyncs from the
   * change log) and the store reconnects with backoff (0.1 to 2 seconds), calling {@code onChange}
   * again once it listens again. Notifications may be spurious (another store with the same table
   * prefix in another schema of the same database wakes this one too); each costs one revision
   * read.
   *
   * <p>On other databases this does nothing: polling alone bounds staleness. Never throws and never
   * touches the database on the calling thread.
   *
   * @return what stops the notifications; the thread stops with the last subscription or {@link
   *     #close()}
   */
  @Override
  public Subscription subscribe(Runnable onChange) {
    Objects.requireNonNull(onChange, "onChange");
    Dialect d = schema.knownDialect();
    if (closed.get() || (d != null && d != Dialect.POSTGRESQL)) {
      return () -> {};
    }
    return listener.subscribe(onChange);
  }

  /** Whether the LISTEN connection is up (PostgreSQL, while subscribed). */
  boolean listening() {
    return listener.listening();
  }

  /** Stops listening for changes and closes the pool if this store created it. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      listener.close();
      if (ownedPool != null) {
        ownedPool.close();
      }
    }
  }

  /** Configures a {@link JdbcStore}. Not thread-safe. */
  public static final class Builder {
    private final @Nullable DataSource dataSource;
    private final @Nullable String jdbcUrl;
    private @Nullable String user;
    private @Nullable String password;
    private Hierarchy hierarchy = Hierarchy.DEFAULT;
    private String tablePrefix = "toggles_";
    private @Nullable Dialect dialect;
    private boolean createSchemaIfMissing;
    private Duration connectionTimeout = Duration.ofSeconds(5);

    private Builder(@Nullable DataSource dataSource, @Nullable String jdbcUrl) {
      this.dataSource = dataSource;
      this.jdbcUrl = jdbcUrl;
    }

    /** The database user, for a store built from a JDBC URL. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The database password, for a store built from a JDBC URL. Never logged or echoed. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** The scope hierarchy: one column per dimension. Default {@link Hierarchy#DEFAULT}. */
    public Builder hierarchy(Hierarchy hierarchy) {
      if (hierarchy == null) {
        throw new NullPointerException("hierarchy");
      }
      this.hierarchy = hierarchy;
      return this;
    }

    /**
     * The prefix of every table name; default {@code toggles_}. Lets several stores share one
     * database schema.
     *
     * @throws IllegalArgumentException unless it is 1 to 20 characters of {@code a-z}, {@code 0-9}
     *     and {@code _}, starting with a letter
     */
    public Builder tablePrefix(String prefix) {
      this.tablePrefix = requireValidPrefix(prefix);
      return this;
    }

    /** The database's SQL dialect; by default detected from the JDBC metadata on first use. */
    public Builder dialect(Dialect dialect) {
      if (dialect == null) {
        throw new NullPointerException("dialect");
      }
      this.dialect = dialect;
      return this;
    }

    /**
     * Whether the first use of the store creates a missing schema, or upgrades one of an older
     * version (as {@link JdbcStore#createSchema()}); default {@code false}: the store runs no DDL
     * unless asked.
     */
    public Builder createSchemaIfMissing(boolean create) {
      this.createSchemaIfMissing = create;
      return this;
    }

    /**
     * How long a call waits for a connection of a pool the store creates; default 5 seconds.
     *
     * @throws IllegalArgumentException if under 250 ms or over 5 minutes
     */
    public Builder connectionTimeout(Duration timeout) {
      if (timeout.toMillis() < 250 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(
            "connection timeout must be 250 ms to 5 minutes: " + timeout);
      }
      this.connectionTimeout = timeout;
      return this;
    }

    /**
     * The store. Does not connect: the database is first used by the first call.
     *
     * @throws IllegalStateException if a user or password is set for a caller's data source
     * @throws IllegalArgumentException if no JDBC driver accepts the URL
     */
    public JdbcStore build() {
      if (dataSource != null) {
        if (user != null || password != null) {
          throw new IllegalStateException(
              "user and password apply to a store built from a JDBC URL; set them on your"
                  + " DataSource");
        }
        return new JdbcStore(this, dataSource, null);
      }
      HikariDataSource pool =
          Pool.create(
              Objects.requireNonNull(jdbcUrl), user, password, tablePrefix, connectionTimeout);
      return new JdbcStore(this, pool, pool);
    }
  }
}
