package io.toggles.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.ConflictException;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.ToggleAdmin;
import io.toggles.UnknownFeatureException;
import io.toggles.spi.ToggleStore;
import io.toggles.spi.WriteRules;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p><b>Schema.</b> {@link #build()} never touches the database. The dialect is detected and the
 * schema version checked on first use, once; a missing schema (or one too new for this library)
 * makes every call throw {@link StoreException} saying what to do, until {@link #createSchema()} is
 * run (or the DDL applied by hand), without a restart. DDL runs only from {@link #createSchema()}
 * or, when opted in with {@link Builder#createSchemaIfMissing(boolean)}, on first use.
 *
 * <p><b>Writes</b> are one transaction each (an import is one transaction for all of its changes).
 * Each first locks the single row of the state table, so writes are serialized across every node
 * and revisions are gap-free and in commit order: the change log is a change feed that can be read
 * with {@code revision > ?} without skipping anything. Then it reads the current row, checks the
 * {@link Expect}ation and {@link WriteRules}, writes, and appends the change-log row. A write that
 * throws has changed nothing. Timestamps come from the database clock.
 *
 * <p><b>Reads.</b> {@link #revision()} is one single-row read; {@link #load(String)} is one
 * statement (the revision, the declaration and every row of the feature, in one snapshot); {@link
 * #loadAll()} is two statements in one transaction, the rows streamed. A row whose value or scope
 * does not parse (written by hand) is skipped with a warning naming it: its feature falls back to
 * its default there, every other row and feature loads normally.
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
  public static final int SCHEMA_VERSION = 1;

  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");

  /**
   * Rows per round trip when streaming rows: large enough that a million rows take 100 round trips
   * (1,000 made loading all rows on PostgreSQL twice as slow), small enough (a few MB) to stream.
   */
  private static final int FETCH_SIZE = 10_000;

  private final Jdbi jdbi;
  private final @Nullable HikariDataSource ownedPool;
  private final Hierarchy hierarchy;
  private final String prefix;
  private final boolean createSchemaIfMissing;
  private final Errors errors;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object setupLock = new Object();
  private volatile @Nullable Dialect dialect;
  private volatile @Nullable Sql sql;
  private volatile boolean schemaChecked;
  private final PgListener listener;

  private JdbcStore(Builder b, DataSource dataSource, @Nullable HikariDataSource ownedPool) {
    this.jdbi = Jdbi.create(dataSource);
    // No template engine: table names are built in Java from validated parts, and SQL text such as
    // "a < b" must never be taken for a template attribute.
    jdbi.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP);
    this.ownedPool = ownedPool;
    this.hierarchy = b.hierarchy;
    this.prefix = b.tablePrefix;
    this.createSchemaIfMissing = b.createSchemaIfMissing;
    this.errors = new Errors(b.password);
    this.dialect = b.dialect;
    if (b.dialect != null) {
      this.sql = new Sql(b.dialect, hierarchy, prefix);
    }
    PgListener.ConnectionSource listenSource =
        ownedPool == null ? dataSource::getConnection : directConnection(b);
    this.listener =
        new PgListener(
            prefix + "changes",
            listenSource,
            () -> sql().dialect,
            b.connectionTimeout,
            "toggles-listen-" + prefix.replaceAll("_+$", ""));
  }

  /**
   * The LISTEN connection of a store that made its own pool: straight from the driver, outside the
   * pool, so that it never takes a pooled connection away from reads and writes.
   */
  private static PgListener.ConnectionSource directConnection(Builder b) {
    String url = Objects.requireNonNull(b.jdbcUrl);
    Properties props = new Properties();
    if (b.user != null) {
      props.setProperty("user", b.user);
    }
    if (b.password != null) {
      props.setProperty("password", b.password);
    }
    // Defaults only: the driver lets parameters in the URL win.
    String seconds = Long.toString(Math.max(1, (b.connectionTimeout.toMillis() + 999) / 1000));
    props.setProperty("connectTimeout", seconds);
    props.setProperty("loginTimeout", seconds);
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("ApplicationName", "toggles-listen");
    return () -> DriverManager.getConnection(url, props);
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
   * these statements. Idempotent: applying it twice changes nothing.
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
    return sql().dialect;
  }

  // ------------------------------------------------------------------------------ schema

  /**
   * Creates the tables if they do not exist, then records the schema version: exactly the
   * statements of {@link #ddl(Dialect, Hierarchy, String)}. Idempotent and safe to run from several
   * nodes at once.
   *
   * @throws StoreException if the database cannot be reached, refuses the DDL, or holds a schema
   *     too new for this library
   */
  public void createSchema() {
    Sql s = sql();
    SchemaStatus before = schemaStatus();
    if (before.present() && !before.usable()) {
      throw new StoreException(before.problem().orElseThrow());
    }
    List<String> statements = Ddl.statements(Ddl.render(s.dialect, hierarchy, prefix));
    try {
      jdbi.useHandle(
          h -> {
            try (Statement st = h.getConnection().createStatement()) {
              for (String statement : statements) {
                st.execute(statement);
              }
            }
          });
    } catch (SQLException | RuntimeException e) {
      // Another node may have created the same tables at the same moment: fine if it is complete.
      SchemaStatus after;
      try {
        after = schemaStatus();
      } catch (RuntimeException again) {
        e.addSuppressed(again);
        throw errors.translate("creating the schema", e);
      }
      if (!after.usable()) {
        throw errors.translate("creating the schema", e);
      }
    }
    LOG.info(
        "toggles: schema version {} present in tables {}* ({})", SCHEMA_VERSION, prefix, s.dialect);
    schemaChecked = false;
    ready();
  }

  /**
   * Reads the schema version from the database. A missing schema is reported, not thrown.
   *
   * @throws StoreException if the database cannot be reached
   */
  public SchemaStatus schemaStatus() {
    Sql s = sql();
    try {
      return jdbi.withHandle(
          h ->
              h.createQuery(s.schemaVersionRead)
                  .map(
                      (rs, ctx) ->
                          new SchemaStatus(true, rs.getInt(1), rs.getInt(2), SCHEMA_VERSION))
                  .findFirst()
                  .orElse(new SchemaStatus(false, 0, 0, SCHEMA_VERSION)));
    } catch (RuntimeException e) {
      if (Errors.classify(e) == Errors.Kind.SCHEMA_MISSING) {
        return new SchemaStatus(false, 0, 0, SCHEMA_VERSION);
      }
      throw errors.translate("reading the schema version", e);
    }
  }

  /** Detects the dialect (once) and checks the schema (until it passes once). */
  private Sql ready() {
    Sql s = sql();
    if (schemaChecked) {
      return s;
    }
    synchronized (setupLock) {
      if (schemaChecked) {
        return s;
      }
      SchemaStatus status = schemaStatus();
      if (!status.present() && createSchemaIfMissing) {
        createSchema(); // calls ready() again, which then finds the schema
        return s;
      }
      if (!status.usable()) {
        throw new StoreException(status.problem().orElseThrow());
      }
      if (status.version() > SCHEMA_VERSION) {
        LOG.info(
            "toggles: schema version {} is newer than this library's ({}) but compatible with it",
            status.version(),
            SCHEMA_VERSION);
      }
      call(
          "checking the schema", h -> h.createQuery(s.probe).map((rs, ctx) -> Boolean.TRUE).list());
      schemaChecked = true;
      return s;
    }
  }

  private Sql sql() {
    Sql s = sql;
    if (s != null) {
      return s;
    }
    synchronized (setupLock) {
      if (sql == null) {
        Dialect d = dialect;
        if (d == null) {
          String product =
              call(
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

  // ------------------------------------------------------------------------------ reads

  @Override
  public long revision() {
    Sql s = ready();
    return call("reading the revision", h -> readRevision(h, s));
  }

  private static long readRevision(Handle h, Sql s) {
    return h.createQuery(s.revision)
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(
            () ->
                new StoreException(
                    "table "
                        + s.state
                        + " has no row: run `toggles init` or JdbcStore.createSchema() to repair"
                        + " it"));
  }

  /**
   * One statement: the revision, the declaration and the rows in one snapshot, so the state's
   * revision is exactly the one its data belongs to.
   */
  @Override
  public FeatureState load(String feature) {
    FeatureDefinition.requireValidKey(feature);
    Sql s = ready();
    return call(
        "loading '" + feature + "'",
        h -> {
          long[] revision = {-1};
          RawDefinition[] def = {null};
          List<RawRow> rows = new ArrayList<>();
          int d = hierarchy.size();
          h.createQuery(s.loadOne)
              .bind("feature", feature)
              .setFetchSize(FETCH_SIZE)
              .map(
                  (rs, ctx) -> {
                    if (rs.getInt(1) == 0) {
                      revision[0] = rs.getLong(2);
                      String type = rs.getString(3);
                      if (type != null) {
                        def[0] =
                            new RawDefinition(
                                feature,
                                type,
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getBoolean(7));
                      }
                    } else {
                      rows.add(new RawRow(feature, dims(rs, 8, d), rs.getString(4), rs.getLong(2)));
                    }
                    return Boolean.TRUE;
                  })
              .forEach(x -> {});
          if (revision[0] < 0) {
            throw new StoreException(
                "table "
                    + s.state
                    + " has no row: run `toggles init` or JdbcStore.createSchema() to repair it");
          }
          return state(feature, def[0], rows, revision[0]);
        });
  }

  /** Two statements in one transaction (declarations, then every row streamed). */
  @Override
  public List<FeatureState> loadAll() {
    Sql s = ready();
    return transaction(
        "loading all features",
        TransactionIsolationLevel.REPEATABLE_READ,
        h -> {
          long[] revision = {-1};
          Map<String, RawDefinition> defs = new TreeMap<>();
          h.createQuery(s.loadAllDefinitions)
              .map(
                  (rs, ctx) -> {
                    revision[0] = rs.getLong(1);
                    String key = rs.getString(2);
                    if (key != null) {
                      defs.put(
                          key,
                          new RawDefinition(
                              key,
                              rs.getString(3),
                              rs.getString(4),
                              rs.getString(5),
                              rs.getString(6),
                              rs.getBoolean(7)));
                    }
                    return Boolean.TRUE;
                  })
              .forEach(x -> {});
          if (revision[0] < 0) {
            throw new StoreException(
                "table "
                    + s.state
                    + " has no row: run `toggles init` or JdbcStore.createSchema() to repair it");
          }
          Map<String, Optional<FeatureDefinition>> parsed = new HashMap<>();
          Map<String, List<Setting>> rows = new HashMap<>();
          Map<String, Long> untyped = new TreeMap<>();
          // One String per feature instead of one per row: the rows are kept in the cache.
          Map<String, String> names = new HashMap<>();
          for (String key : defs.keySet()) {
            names.put(key, key);
          }
          int d = hierarchy.size();
          h.createQuery(s.loadAllRows)
              .setFetchSize(FETCH_SIZE)
              .map(
                  (rs, ctx) -> {
                    String feature = rs.getString(1);
                    String known = names.putIfAbsent(feature, feature);
                    return new RawRow(
                        known != null ? known : feature,
                        dims(rs, 4, d),
                        rs.getString(3),
                        rs.getLong(2));
                  })
              .forEach(
                  raw -> {
                    Optional<FeatureDefinition> def =
                        parsed.computeIfAbsent(raw.feature, k -> parse(defs.get(k)));
                    if (def.isEmpty()) {
                      untyped.merge(raw.feature, 1L, Long::sum);
                    }
                    parseRow(raw, def)
                        .ifPresent(
                            setting ->
                                rows.computeIfAbsent(raw.feature, k -> new ArrayList<>())
                                    .add(setting));
                  });
          untyped.forEach(JdbcStore.this::warnUndeclared);
          Map<String, FeatureState> out = new TreeMap<>();
          for (RawDefinition raw : defs.values()) {
            if (!validKey(raw.feature)) {
              continue;
            }
            Optional<FeatureDefinition> def =
                parsed.computeIfAbsent(raw.feature, k -> parse(defs.get(k)));
            out.put(
                raw.feature,
                new FeatureState(
                    raw.feature,
                    def,
                    raw.killed,
                    rows.getOrDefault(raw.feature, List.of()),
                    revision[0]));
          }
          for (String key : parsed.keySet()) {
            if (!out.containsKey(key) && validKey(key)) {
              out.put(key, FeatureState.absent(key, revision[0]));
            }
          }
          return List.copyOf(out.values());
        });
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    if (revision < 0) {
      throw new IllegalArgumentException("revision is negative: " + revision);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    Sql s = ready();
    return call(
        "reading changes since revision " + revision,
        h -> {
          List<Change> out =
              h.createQuery(s.changesSince)
                  .bind("revision", revision)
                  .bind("limit", limit)
                  .map((rs, ctx) -> change(rs, s))
                  .list();
          boolean gap =
              out.isEmpty() ? readRevision(h, s) > revision : out.get(0).revision() != revision + 1;
          // A gap means the log no longer reaches back to the caller's revision (pruned).
          return gap ? Optional.<List<Change>>empty() : Optional.of(List.copyOf(out));
        });
  }

  @Override
  public FeatureState read(String feature) {
    return load(feature);
  }

  @Override
  public List<FeatureDefinition> features() {
    Sql s = ready();
    return call(
        "listing features",
        h -> {
          List<FeatureDefinition> out = new ArrayList<>();
          for (RawDefinition raw :
              h.createQuery(s.definitions).map(JdbcStore::rawDefinition).list()) {
            parse(raw).ifPresent(out::add);
          }
          return out;
        });
  }

  @Override
  public List<Change> history(Optional<String> feature, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    feature.ifPresent(FeatureDefinition::requireValidKey);
    Sql s = ready();
    return call(
        "reading history",
        h ->
            feature.isPresent()
                ? h.createQuery(s.historyOfFeature)
                    .bind("feature", feature.get())
                    .bind("limit", limit)
                    .map((rs, ctx) -> change(rs, s))
                    .list()
                : h.createQuery(s.historyAll)
                    .bind("limit", limit)
                    .map((rs, ctx) -> change(rs, s))
                    .list());
  }

  @Override
  public Optional<Change> change(long revision) {
    Sql s = ready();
    return call(
        "reading revision " + revision,
        h ->
            h.createQuery(s.changeAt)
                .bind("revision", revision)
                .map((rs, ctx) -> change(rs, s))
                .findOne());
  }

  /**
   * The store's revision and how many features, rows and change-log entries it holds, in one query.
   *
   * @throws StoreException if the store cannot be read
   */
  public StoreStats stats() {
    Sql s = ready();
    return call(
        "reading statistics",
        h ->
            h.createQuery(s.stats)
                .map(
                    (rs, ctx) ->
                        new StoreStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .findOne()
                .orElseThrow(() -> new StoreException("table " + s.state + " has no row")));
  }

  // ------------------------------------------------------------------------------ writes

  @Override
  public Change define(FeatureDefinition definition, Audit audit) {
    requireStorable(definition.defaultValue());
    return write("defining '" + definition.key() + "'", tx -> tx.define(definition, audit));
  }

  @Override
  public Change set(String feature, Scope scope, SettingValue value, Expect expect, Audit audit) {
    FeatureDefinition.requireValidKey(feature);
    requireStorable(Optional.of(value));
    return write(
        "setting '" + feature + "' at " + scope,
        tx -> tx.set(feature, scope, value, expect, audit, OptionalLong.empty()));
  }

  @Override
  public Change unset(String feature, Scope scope, Expect expect, Audit audit) {
    FeatureDefinition.requireValidKey(feature);
    return write(
        "unsetting '" + feature + "' at " + scope,
        tx -> tx.unset(feature, scope, expect, audit, OptionalLong.empty()));
  }

  @Override
  public Optional<Change> kill(String feature, Audit audit) {
    FeatureDefinition.requireValidKey(feature);
    return write(
        "killing '" + feature + "'",
        tx -> tx.toggleKill(feature, true, audit, OptionalLong.empty()));
  }

  @Override
  public Optional<Change> unkill(String feature, Audit audit) {
    FeatureDefinition.requireValidKey(feature);
    return write(
        "unkilling '" + feature + "'",
        tx -> tx.toggleKill(feature, false, audit, OptionalLong.empty()));
  }

  @Override
  public Change revert(long revision, Audit audit) {
    return write("reverting revision " + revision, tx -> tx.revert(revision, audit));
  }

  @Override
  public List<Change> importAll(List<FeatureState> features, boolean prune, Audit audit) {
    for (FeatureState f : features) {
      f.definition().ifPresent(d -> requireStorable(d.defaultValue()));
      for (Setting row : f.rows()) {
        requireStorable(Optional.of(row.value()));
      }
    }
    return write(
        "importing " + features.size() + " features",
        tx -> {
          List<Change> out = new ArrayList<>();
          for (FeatureState f : features) {
            tx.importOne(f, prune, audit, out);
          }
          return List.copyOf(out);
        });
  }

  /** Databases cannot store U+0000 in text columns (PostgreSQL refuses it): refuse it up front. */
  private static void requireStorable(Optional<SettingValue> value) {
    if (value.isPresent() && value.get().text().indexOf('\u0000') >= 0) {
      throw new IllegalArgumentException(
          "value contains the character U+0000, which the database cannot store");
    }
  }

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
    Dialect d = dialect;
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

  // ------------------------------------------------------------------------------ plumbing

  private interface TxWork<R> {
    R apply(Tx tx);
  }

  private <R> R write(String action, TxWork<R> work) {
    Sql s = ready();
    return transaction(
        action,
        TransactionIsolationLevel.READ_COMMITTED,
        h -> {
          Tx tx = new Tx(h, s);
          R result = work.apply(tx);
          if (tx.revision != tx.base) {
            h.createUpdate(s.setRevision).bind("revision", tx.revision).execute();
            if (s.notify != null) {
              // Delivered at commit, not at all on rollback: listeners then read the change log.
              h.createQuery(s.notify)
                  .bind("channel", s.channel)
                  .bind("payload", Long.toString(tx.revision))
                  .map((rs, ctx) -> Boolean.TRUE)
                  .list();
            }
          }
          return result;
        });
  }

  private <R> R call(String action, HandleCallback<R, SQLException> callback) {
    try {
      return jdbi.withHandle(callback);
    } catch (SQLException | RuntimeException e) {
      throw fail(action, e);
    }
  }

  private <R> R transaction(
      String action, TransactionIsolationLevel level, HandleCallback<R, SQLException> callback) {
    try {
      return jdbi.inTransaction(level, callback);
    } catch (SQLException | RuntimeException e) {
      throw fail(action, e);
    }
  }

  private RuntimeException fail(String action, Exception e) {
    Errors.Kind kind = Errors.classify(e);
    if (kind == Errors.Kind.SCHEMA_MISSING || kind == Errors.Kind.SCHEMA_MISMATCH) {
      schemaChecked = false; // check again next time: someone may be fixing it right now
    }
    return errors.translate(action, e);
  }

  private static String[] dims(ResultSet rs, int first, int count) throws SQLException {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      out[i] = rs.getString(first + i);
    }
    return out;
  }

  private static RawDefinition rawDefinition(ResultSet rs, StatementContext ctx)
      throws SQLException {
    return new RawDefinition(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getBoolean(6));
  }

  private static boolean validKey(String key) {
    try {
      FeatureDefinition.requireValidKey(key);
      return true;
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "toggles: skipping feature with a malformed key in the database: {}", e.getMessage());
      return false;
    }
  }

  private FeatureState state(
      String feature, @Nullable RawDefinition raw, List<RawRow> rawRows, long revision) {
    Optional<FeatureDefinition> def = parse(raw);
    List<Setting> rows = new ArrayList<>(rawRows.size());
    for (RawRow r : rawRows) {
      parseRow(r, def).ifPresent(rows::add);
    }
    if (def.isEmpty() && !rawRows.isEmpty()) {
      warnUndeclared(feature, rawRows.size());
    }
    return new FeatureState(feature, def, raw != null && raw.killed, rows, revision);
  }

  private void warnUndeclared(String feature, long rows) {
    LOG.warn(
        "toggles: skipping {} rows of feature '{}' in {}settings: the feature is not declared (or"
            + " its declaration is unreadable), so their values cannot be typed",
        rows,
        feature,
        prefix);
  }

  /** A declaration from its row; empty (with a warning) if the row does not parse. */
  private Optional<FeatureDefinition> parse(@Nullable RawDefinition raw) {
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(raw.definition());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "toggles: ignoring the declaration of feature '{}' in {}features: {}; it answers the"
              + " caller's defaults until it is declared again",
          raw.feature,
          prefix,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** A row; empty (with a warning naming it) if its scope or value does not parse. */
  private Optional<Setting> parseRow(RawRow raw, Optional<FeatureDefinition> def) {
    if (def.isEmpty()) {
      return Optional.empty(); // counted and reported once per feature by warnUndeclared
    }
    try {
      return Optional.of(
          new Setting(
              raw.feature,
              Scope.of(hierarchy, raw.dims),
              def.get().type().parse(raw.value),
              raw.version));
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "toggles: skipping row {} of feature '{}' in {}settings: {}; the feature falls back to"
              + " its other rows and default there",
          raw.describe(hierarchy),
          raw.feature,
          prefix,
          e.getMessage());
      return Optional.empty();
    }
  }

  private Change change(ResultSet rs, Sql s) throws SQLException {
    int d = hierarchy.size();
    long revision = rs.getLong(1);
    String feature = rs.getString(2);
    ChangeKind kind = ChangeKind.valueOf(rs.getString(3));
    String[] dims = dims(rs, 4, d);
    int c = 4 + d;
    Optional<Scope> scope = Optional.empty();
    if (kind == ChangeKind.SET || kind == ChangeKind.UNSET) {
      try {
        scope = Optional.of(Scope.of(hierarchy, dims));
      } catch (IllegalArgumentException e) {
        LOG.warn("toggles: change {} has an unreadable scope: {}", revision, e.getMessage());
      }
    }
    Optional<SettingValue> oldValue = changeValue(revision, rs.getString(c), rs.getString(c + 1));
    Optional<SettingValue> newValue =
        changeValue(revision, rs.getString(c + 2), rs.getString(c + 3));
    long nv = rs.getLong(c + 4);
    OptionalLong newVersion = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(nv);
    String actor = rs.getString(c + 5);
    String reason = rs.getString(c + 6);
    long ro = rs.getLong(c + 7);
    OptionalLong revertOf = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(ro);
    Instant at = s.dialect.readTime(rs, c + 8);
    return new Change(
        revision,
        feature,
        kind,
        scope,
        oldValue,
        newValue,
        newVersion,
        actor,
        reason,
        revertOf,
        at);
  }

  private static Optional<SettingValue> changeValue(
      long revision, @Nullable String type, @Nullable String text) {
    if (type == null || text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SettingType.named(type).parse(text));
    } catch (IllegalArgumentException e) {
      LOG.warn("toggles: change {} has an unreadable value: {}", revision, e.getMessage());
      return Optional.empty();
    }
  }

  /** A declaration as stored, not yet parsed. */
  private record RawDefinition(
      String feature,
      String type,
      @Nullable String defaultValue,
      @Nullable String description,
      @Nullable String owner,
      boolean killed) {

    FeatureDefinition definition() {
      SettingType t = SettingType.named(type);
      FeatureDefinition.Builder b =
          FeatureDefinition.builder(feature, t)
              .description(description == null ? "" : description)
              .owner(owner == null ? "" : owner);
      if (defaultValue != null) {
        b.defaultValue(t.parse(defaultValue));
      }
      return b.build();
    }
  }

  /** The locked state row: the revision before this transaction, and the database's time. */
  private record Locked(long revision, Instant now) {}

  /** A settings row as stored, not yet parsed. */
  private record RawRow(String feature, @Nullable String[] dims, String value, long version) {
    String describe(Hierarchy hierarchy) {
      StringBuilder out = new StringBuilder("{");
      for (int i = 0; i < dims.length; i++) {
        if (i > 0) {
          out.append(", ");
        }
        out.append(hierarchy.dimension(i)).append('=');
        out.append(dims[i] == null ? "*" : "'" + dims[i].replaceAll("\\p{Cntrl}", "?") + "'");
      }
      return out.append('}').toString();
    }
  }

  /** One write transaction: holds the lock on the state row and numbers the changes it appends. */
  private final class Tx {
    final Handle h;
    final Sql s;
    final long base;
    final Instant now;
    long revision;

    Tx(Handle h, Sql s) {
      this.h = h;
      this.s = s;
      Locked locked =
          h.createQuery(s.lock)
              .map((rs, ctx) -> new Locked(rs.getLong(1), s.dialect.readTime(rs, 2)))
              .findOne()
              .orElseThrow(
                  () ->
                      new StoreException(
                          "table "
                              + s.state
                              + " has no row: run `toggles init` or JdbcStore.createSchema() to"
                              + " repair it"));
      this.base = locked.revision;
      this.revision = base;
      this.now = locked.now;
    }

    Argument nowArg() {
      Instant t = now;
      return (position, statement, ctx) -> s.dialect.bindTime(statement, position, t);
    }

    Optional<RawDefinition> rawDefinition(String feature) {
      return h.createQuery(s.definitionForUpdate)
          .bind("feature", feature)
          .map(JdbcStore::rawDefinition)
          .findOne();
    }

    /**
     * The declaration a write needs; refuses an unreadable one with a message saying how to fix.
     */
    Optional<FeatureDefinition> definition(String feature) {
      Optional<RawDefinition> raw = rawDefinition(feature);
      if (raw.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(raw.get().definition());
      } catch (IllegalArgumentException e) {
        throw new StoreException(
            "the declaration of feature '"
                + feature
                + "' in "
                + s.features
                + " is unreadable ("
                + e.getMessage()
                + "); declare it again with define");
      }
    }

    Optional<Setting> row(String feature, Scope scope, FeatureDefinition def) {
      var q = h.createQuery(s.findRow(scope)).bind("feature", feature);
      bindScope(q, scope);
      return q.map(
              (rs, ctx) -> {
                SettingValue v;
                try {
                  v = def.type().parse(rs.getString(1));
                } catch (IllegalArgumentException e) {
                  // Garbage written by hand: keep the version so that a write can replace it.
                  v = UNREADABLE_MARK;
                }
                return new Setting(feature, scope, v, rs.getLong(2));
              })
          .findOne();
    }

    Change define(FeatureDefinition definition, Audit audit) {
      String key = definition.key();
      Optional<RawDefinition> raw = rawDefinition(key);
      Optional<FeatureDefinition> previous = raw.flatMap(r -> parse(r));
      long rows = h.createQuery(s.hasRows).bind("feature", key).mapTo(Long.class).one();
      WriteRules.checkDefine(
          previous, definition, rows > 0, raw.map(RawDefinition::killed).orElse(false));
      if (raw.isPresent() && previous.isEmpty() && rows > 0) {
        throw new ConflictException(
            "feature '"
                + key
                + "' has rows but an unreadable declaration; remove its rows before declaring it"
                + " again");
      }
      h.createUpdate(raw.isPresent() ? s.updateDefinition : s.insertDefinition)
          .bind("feature", key)
          .bind("type", definition.type().name())
          .bind("default", definition.defaultValue().map(SettingValue::text).orElse(null))
          .bind("description", definition.description())
          .bind("owner", definition.owner())
          .bind("now", nowArg())
          .bind("actor", audit.actor())
          .execute();
      return append(
          key,
          ChangeKind.DEFINE,
          Optional.empty(),
          previous.flatMap(FeatureDefinition::defaultValue),
          definition.defaultValue(),
          OptionalLong.empty(),
          audit,
          OptionalLong.empty());
    }

    Change set(
        String feature,
        Scope scope,
        SettingValue value,
        Expect expect,
        Audit audit,
        OptionalLong revertOf) {
      FeatureDefinition def =
          WriteRules.checkRow(hierarchy, feature, definition(feature), scope, Optional.of(value));
      Optional<Setting> old = row(feature, scope, def);
      checkExpect(feature, scope, expect, old);
      long version = old.map(r -> r.version() + 1).orElse(1L);
      if (old.isPresent()) {
        var u =
            h.createUpdate(s.updateRow(scope))
                .bind("feature", feature)
                .bind("value", value.text())
                .bind("version", version)
                .bind("now", nowArg())
                .bind("actor", audit.actor());
        bindScope(u, scope);
        u.execute();
      } else {
        var u =
            h.createUpdate(s.insertRow)
                .bind("feature", feature)
                .bind("value", value.text())
                .bind("version", version)
                .bind("now", nowArg())
                .bind("actor", audit.actor());
        bindAllDims(u, scope);
        u.execute();
      }
      return append(
          feature,
          ChangeKind.SET,
          Optional.of(scope),
          old.map(Setting::value).filter(v -> v != UNREADABLE_MARK),
          Optional.of(value),
          OptionalLong.of(version),
          audit,
          revertOf);
    }

    Change unset(String feature, Scope scope, Expect expect, Audit audit, OptionalLong revertOf) {
      FeatureDefinition def =
          WriteRules.checkRow(hierarchy, feature, definition(feature), scope, Optional.empty());
      Optional<Setting> old = row(feature, scope, def);
      if (old.isEmpty()) {
        throw new ConflictException("feature '" + feature + "' has no row at " + scope);
      }
      checkExpect(feature, scope, expect, old);
      var u = h.createUpdate(s.deleteRow(scope)).bind("feature", feature);
      bindScope(u, scope);
      u.execute();
      return append(
          feature,
          ChangeKind.UNSET,
          Optional.of(scope),
          old.map(Setting::value).filter(v -> v != UNREADABLE_MARK),
          Optional.empty(),
          OptionalLong.empty(),
          audit,
          revertOf);
    }

    Optional<Change> toggleKill(String feature, boolean on, Audit audit, OptionalLong revertOf) {
      Optional<RawDefinition> raw = rawDefinition(feature);
      Optional<FeatureDefinition> def = definition(feature);
      if (on) {
        WriteRules.checkKill(feature, def);
      } else if (def.isEmpty()) {
        throw new UnknownFeatureException(feature);
      }
      if (raw.orElseThrow().killed == on) {
        return Optional.empty();
      }
      h.createUpdate(s.setKilled)
          .bind("feature", feature)
          .bind("killed", on)
          .bind("now", nowArg())
          .bind("actor", audit.actor())
          .execute();
      return Optional.of(
          append(
              feature,
              on ? ChangeKind.KILL : ChangeKind.UNKILL,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              OptionalLong.empty(),
              audit,
              revertOf));
    }

    Change revert(long target, Audit audit) {
      Change change =
          h.createQuery(s.changeAt)
              .bind("revision", target)
              .map((rs, ctx) -> change(rs, s))
              .findOne()
              .orElseThrow(() -> new IllegalArgumentException("no change at revision " + target));
      Optional<Change> later =
          h
              .createQuery(s.changesOfFeatureAfter)
              .bind("feature", change.feature())
              .bind("revision", target)
              .map((rs, ctx) -> change(rs, s))
              .list()
              .stream()
              .filter(c -> WriteRules.touchesSame(change, c))
              .reduce((a, b) -> b);
      return WriteRules.planRevert(change, later)
          .perform(
              change.feature(),
              target,
              new WriteRules.Writes() {
                @Override
                public Change set(String f, Scope scope, SettingValue value, OptionalLong of) {
                  return Tx.this.set(f, scope, value, Expect.any(), audit, of);
                }

                @Override
                public Change unset(String f, Scope scope, OptionalLong of) {
                  return Tx.this.unset(f, scope, Expect.any(), audit, of);
                }

                @Override
                public Optional<Change> kill(String f, boolean on, OptionalLong of) {
                  return toggleKill(f, on, audit, of);
                }
              });
    }

    void importOne(FeatureState f, boolean prune, Audit audit, List<Change> out) {
      FeatureDefinition def =
          f.definition()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "imported feature '" + f.key() + "' has no declaration"));
      if (!Optional.of(def).equals(definition(f.key()))) {
        out.add(define(def, audit));
      }
      Map<Scope, Setting> wanted = new LinkedHashMap<>();
      for (Setting row : f.rows()) {
        if (wanted.put(row.scope(), row) != null) {
          throw new IllegalArgumentException(
              "imported feature '" + f.key() + "' has two rows for " + row.scope());
        }
      }
      Map<Scope, Setting> current = currentRows(f.key(), def);
      for (Setting row : wanted.values()) {
        Setting now = current.get(row.scope());
        if (now == null || !now.value().equals(row.value())) {
          out.add(
              set(f.key(), row.scope(), row.value(), Expect.any(), audit, OptionalLong.empty()));
        }
      }
      if (prune) {
        for (Scope scope : current.keySet()) {
          if (!wanted.containsKey(scope)) {
            out.add(unset(f.key(), scope, Expect.any(), audit, OptionalLong.empty()));
          }
        }
      }
      toggleKill(f.key(), f.killed(), audit, OptionalLong.empty()).ifPresent(out::add);
    }

    /** The feature's rows whose scope parses (garbage values kept, marked unreadable). */
    private Map<Scope, Setting> currentRows(String feature, FeatureDefinition def) {
      Map<Scope, Setting> out = new LinkedHashMap<>();
      int d = hierarchy.size();
      for (RawRow raw :
          h.createQuery(s.featureRows)
              .bind("feature", feature)
              .map(
                  (rs, ctx) ->
                      new RawRow(rs.getString(1), dims(rs, 4, d), rs.getString(3), rs.getLong(2)))
              .list()) {
        Scope scope;
        try {
          scope = Scope.of(hierarchy, raw.dims);
        } catch (IllegalArgumentException e) {
          continue; // not addressable through the API; left for a person to fix
        }
        SettingValue v;
        try {
          v = def.type().parse(raw.value);
        } catch (IllegalArgumentException e) {
          v = UNREADABLE_MARK;
        }
        out.put(scope, new Setting(feature, scope, v, raw.version));
      }
      return out;
    }

    private void checkExpect(String feature, Scope scope, Expect expect, Optional<Setting> old) {
      long actual = old.map(Setting::version).orElse(0L);
      if (!expect.isMetBy(actual)) {
        throw new ConflictException(
            "row "
                + scope
                + " of '"
                + feature
                + "' is "
                + (old.isEmpty() ? "absent" : "at version " + actual)
                + ", expected "
                + expect
                + ": someone else changed it; nothing was written");
      }
    }

    private Change append(
        String feature,
        ChangeKind kind,
        Optional<Scope> scope,
        Optional<SettingValue> oldValue,
        Optional<SettingValue> newValue,
        OptionalLong newVersion,
        Audit audit,
        OptionalLong revertOf) {
      revision++;
      var u =
          h.createUpdate(s.insertChange)
              .bind("revision", revision)
              .bind("feature", feature)
              .bind("kind", kind.name())
              .bind("old_type", oldValue.map(v -> v.type().name()).orElse(null))
              .bind("old_value", oldValue.map(SettingValue::text).orElse(null))
              .bind("new_type", newValue.map(v -> v.type().name()).orElse(null))
              .bind("new_value", newValue.map(SettingValue::text).orElse(null))
              .bind("new_version", newVersion.isPresent() ? newVersion.getAsLong() : null)
              .bind("actor", audit.actor())
              .bind("reason", audit.reason())
              .bind("revert_of", revertOf.isPresent() ? revertOf.getAsLong() : null)
              .bind("now", nowArg());
      if (scope.isPresent()) {
        bindAllDims(u, scope.get());
      } else {
        for (int i = 0; i < hierarchy.size(); i++) {
          u.bind("d" + i, (String) null);
        }
      }
      u.execute();
      return new Change(
          revision,
          feature,
          kind,
          scope,
          oldValue,
          newValue,
          newVersion,
          audit.actor(),
          audit.reason(),
          revertOf,
          now);
    }

    private void bindScope(SqlStatement<?> st, Scope scope) {
      for (int i = 0; i < hierarchy.size(); i++) {
        Optional<String> v = scope.value(i);
        if (v.isPresent()) {
          st.bind("d" + i, v.get());
        }
      }
    }

    private void bindAllDims(SqlStatement<?> st, Scope scope) {
      for (int i = 0; i < hierarchy.size(); i++) {
        st.bind("d" + i, scope.value(i).orElse(null));
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
     * Whether the first use of the store creates a missing schema (as {@link
     * JdbcStore#createSchema()}); default {@code false}: the store runs no DDL unless asked.
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
      Errors redactor = new Errors(password);
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      if (user != null) {
        config.setUsername(user);
      }
      if (password != null) {
        config.setPassword(password);
      }
      config.setPoolName("toggles-" + tablePrefix.replaceAll("_+$", ""));
      config.setMaximumPoolSize(4);
      config.setMinimumIdle(1);
      config.setConnectionTimeout(connectionTimeout.toMillis());
      config.setInitializationFailTimeout(-1); // never connect (or fail) while building
      HikariDataSource pool;
      try {
        pool = new HikariDataSource(config);
      } catch (RuntimeException e) {
        // The pool's message repeats the URL, which may hold a password: leave the cause out.
        throw new IllegalArgumentException(
            "cannot open a pool for "
                + redactor.redact(jdbcUrl)
                + ": is the JDBC driver on the class path? ("
                + redactor.redact(e.getMessage())
                + ")");
      }
      return new JdbcStore(this, pool, pool);
    }
  }

  /** Stands in for a row value that does not parse, so that a write can still replace it. */
  private static final SettingValue UNREADABLE_MARK = SettingValue.of("\u0000unreadable");
}
