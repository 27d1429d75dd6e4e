package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.Toggles;
import io.toggles.WriteRefusedException;
import io.toggles.jdbc.testing.CountingDataSource;
import io.toggles.jdbc.testing.TableBackup;
import io.toggles.spi.StoreHead;
import io.toggles.testing.StoreContractTest;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a database, and what only the JDBC store has (schema lifecycle, rows
 * written by hand, the SQL's use of indexes, the schema change in both directions), run on each
 * database by a thin subclass that supplies an empty place for the tables: a database, schema or
 * table prefix of its own for each store.
 */
abstract class AbstractJdbcStoreTest extends StoreContractTest<JdbcStore> {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  /** Where one store keeps its tables: a JDBC URL (with credentials) and a table prefix. */
  record Target(String url, String user, String password, String prefix) {
    Target withPrefix(String other) {
      return new Target(url, user, password, other);
    }
  }

  /** An empty place for one store's tables. */
  abstract Target newTarget();

  /** The dialect the subclass's database should be detected as. */
  abstract Dialect dialect();

  /** A JDBC URL of this database's kind where nothing listens, holding the password "s3cret-pw". */
  abstract String unreachableUrl();

  /**
   * Asserts that an EXPLAIN of a statement naming one row (rendered one plan row per line) looks
   * the row up through the settings table's unique index on the feature and every dimension.
   */
  abstract void assertFindsOneRowThroughTheUniqueIndex(String plan, String prefix);

  /**
   * Whether the previous release's statements missed the index on this database (so that the test
   * shows the difference), and if so asserts it of {@code plan}.
   */
  abstract boolean previousReleaseMissedTheIndex(String plan, String prefix);

  private final Map<JdbcStore, Target> targets = new IdentityHashMap<>();

  static String uniquePrefix() {
    return "t" + PREFIXES.incrementAndGet() + "_";
  }

  @Override
  protected JdbcStore newStore(Hierarchy hierarchy) {
    Target t = newTarget();
    JdbcStore store = open(t, hierarchy);
    store.createSchema();
    return store;
  }

  @Override
  protected JdbcStore otherNode(JdbcStore store) {
    return open(target(store), store.hierarchy());
  }

  private JdbcStore open(Target t, Hierarchy hierarchy) {
    JdbcStore store =
        JdbcStore.builder(t.url())
            .user(t.user())
            .password(t.password())
            .hierarchy(hierarchy)
            .tablePrefix(t.prefix())
            .build();
    targets.put(store, t);
    return store;
  }

  Target target(JdbcStore store) {
    return targets.get(store);
  }

  /** A pool of raw connections to a target, closed after the test. */
  HikariDataSource pool(Target t) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(t.url());
    c.setUsername(t.user());
    c.setPassword(t.password());
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(0);
    return closeLater(new HikariDataSource(c));
  }

  /** A store on the caller's data source, as an application would build it, closed later. */
  JdbcStore onDataSource(javax.sql.DataSource ds, String prefix) {
    return closeLater(JdbcStore.builder(ds).tablePrefix(prefix).build());
  }

  String valueColumn() {
    return dialect() == Dialect.H2 ? "\"VALUE\"" : "value";
  }

  int sql(Target t, String statement, Object... params) throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection(t.url(), t.user(), t.password());
        PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  /** Inserts a settings row by hand, as a person with SQL would. */
  void insertRow(
      Target t, String feature, String product, String merchant, String country, String value)
      throws SQLException {
    sql(
        t,
        "INSERT INTO "
            + t.prefix()
            + "settings (feature, product, merchant, country, "
            + valueColumn()
            + ", version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 1, CURRENT_TIMESTAMP,"
            + " 'dba')",
        feature,
        product,
        merchant,
        country,
        value);
  }

  /** Declares a feature by hand with a type the library does not know. */
  void insertColourDeclaration(Target t, String feature) throws SQLException {
    sql(
        t,
        "INSERT INTO "
            + t.prefix()
            + "features (feature, value_type, default_value, description, owner, killed, version,"
            + " updated_at, updated_by) VALUES (?, 'COLOUR', 'red', '', '', FALSE, 1,"
            + " CURRENT_TIMESTAMP, 'dba')",
        feature);
  }

  // ------------------------------------------------------------------------- schema

  @Test
  void detectsItsDialectFromTheDatabase() {
    assertThat(store(H).dialect()).isEqualTo(dialect());
  }

  @Test
  void createSchemaIsIdempotentAndKeepsData() {
    JdbcStore store = store(H);
    assertThat(store.stats()).isEqualTo(new StoreStats(0, 0, 0, 0));
    String storeId = store.head(0).storeId();
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.set("checkout", H.global(), SettingValue.of(true), Expect.any(), AUDIT);

    store.createSchema();
    store.createSchema();

    assertThat(store.stats()).isEqualTo(new StoreStats(2, 1, 1, 2));
    assertThat(store.schemaStatus()).isEqualTo(new SchemaStatus(true, 2, 1, 2));
    assertThat(store.load("checkout").rows()).hasSize(1);
    assertThat(store.head(0).storeId()).isEqualTo(storeId).hasSize(36);
  }

  @Test
  void missingSchemaFailsWithAnActionableMessageUntilCreated() {
    Target t = newTarget();
    JdbcStore fresh = closeLater(open(t, H));

    assertThat(fresh.schemaStatus()).isEqualTo(new SchemaStatus(false, 0, 0, 2));
    assertThatThrownBy(fresh::revision)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema missing")
        .hasMessageContaining("toggles init")
        .hasMessageContaining("createSchema()");
    assertThatThrownBy(() -> fresh.load("checkout"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema missing");

    fresh.createSchema(); // no restart needed
    assertThat(fresh.revision()).isZero();
  }

  @Test
  void createSchemaIfMissingCreatesItOnFirstUseOnly() throws SQLException {
    Target t = newTarget();
    HikariDataSource pool = pool(t);
    JdbcStore lazy =
        closeLater(
            JdbcStore.builder(pool).tablePrefix(t.prefix()).createSchemaIfMissing(true).build());
    assertThat(tableExists(pool, t.prefix() + "state")).isFalse(); // build() ran no DDL
    assertThat(lazy.revision()).isZero();
    assertThat(tableExists(pool, t.prefix() + "state")).isTrue();
  }

  @Test
  void schemaNewerThanTheLibraryIsRefusedUnlessMarkedCompatible() throws SQLException {
    JdbcStore store = store(H);
    Target t = target(store);
    sql(
        t,
        "INSERT INTO "
            + t.prefix()
            + "schema_version (version, min_reader_version, applied_at) VALUES (3, 3,"
            + " CURRENT_TIMESTAMP)");
    JdbcStore newer = closeLater(open(t, H));

    assertThat(newer.schemaStatus().usable()).isFalse();
    assertThatThrownBy(newer::revision)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 3 is newer than this library understands (2)")
        .hasMessageContaining("upgrade toggles");
    assertThatThrownBy(newer::createSchema)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 3");

    // An additive change keeps min_reader_version at 1: older libraries keep working.
    sql(t, "UPDATE " + t.prefix() + "schema_version SET min_reader_version = 1 WHERE version = 3");
    assertThat(newer.schemaStatus()).isEqualTo(new SchemaStatus(true, 3, 1, 2));
    assertThat(newer.revision()).isZero();
  }

  @Test
  void ddlIsExactlyWhatCreateSchemaApplies() throws SQLException {
    JdbcStore store = store(H);
    Target t = target(store);
    Target byHand = t.withPrefix(t.prefix() + "h_");
    String ddl = JdbcStore.ddl(dialect(), H, byHand.prefix());
    assertThat(ddl)
        .doesNotContain("${")
        .contains(byHand.prefix() + "settings")
        .contains("ADDITIVE ONLY");

    // A DBA applies the printed DDL with plain SQL, statement by statement.
    HikariDataSource pool = pool(t);
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      StringBuilder current = new StringBuilder();
      for (String line : ddl.split("\n")) {
        if (line.strip().startsWith("--")) {
          continue;
        }
        current.append(line).append('\n');
        if (line.strip().endsWith(";")) {
          String statement = current.toString().strip();
          st.execute(statement.substring(0, statement.length() - 1));
          current.setLength(0);
        }
      }
    }
    JdbcStore manual = onDataSource(pool, byHand.prefix());
    assertThat(manual.schemaStatus()).isEqualTo(new SchemaStatus(true, 2, 1, 2));
    for (String table : List.of("schema_version", "state", "features", "settings", "changes")) {
      assertThat(describe(pool, byHand.prefix() + table))
          .as(table)
          .isEqualTo(describe(pool, t.prefix() + table))
          .isNotEmpty();
    }
    manual.define(FeatureDefinition.bool("checkout"), AUDIT);
    manual.createSchema(); // a no-op on the DBA's tables
    assertThat(manual.stats()).isEqualTo(new StoreStats(1, 1, 0, 1));
    assertThat(manual.head(0).storeId()).isNotEmpty().isNotEqualTo(store.head(0).storeId());
  }

  @Test
  void tablesOfAnotherHierarchyAreRefusedWithAClearMessage() {
    JdbcStore store = store(H);
    JdbcStore mismatched = closeLater(open(target(store), Hierarchy.of("tenant")));
    assertThatThrownBy(mismatched::revision)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema does not match this store")
        .hasMessageContaining("another hierarchy");
  }

  private boolean tableExists(javax.sql.DataSource pool, String table) throws SQLException {
    try (Connection c = pool.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), name, null)) {
          if (rs.next()) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Column names, types, sizes and nullability of a table, and its index columns. */
  private List<String> describe(javax.sql.DataSource pool, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = pool.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      String name = dialect() == Dialect.H2 ? table.toUpperCase(Locale.ROOT) : table;
      try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), name, null)) {
        while (rs.next()) {
          out.add(
              rs.getString("COLUMN_NAME")
                  + " "
                  + rs.getString("TYPE_NAME")
                  + "("
                  + rs.getInt("COLUMN_SIZE")
                  + ") nullable="
                  + rs.getInt("NULLABLE"));
        }
      }
      try (ResultSet rs = md.getIndexInfo(c.getCatalog(), c.getSchema(), name, false, false)) {
        while (rs.next()) {
          out.add(
              "index unique="
                  + !rs.getBoolean("NON_UNIQUE")
                  + " "
                  + rs.getString("COLUMN_NAME")
                  + " "
                  + rs.getShort("ORDINAL_POSITION"));
        }
      }
    }
    out.sort(null);
    return out;
  }

  // ------------------------------------------------------------------------- the schema change

  /** The new release upgrades a schema of the previous release, with its data, in place. */
  @Test
  void anOldSchemaWithDataIsUpgradedInPlaceAndReadWhole() throws Exception {
    Target t = newTarget();
    HikariDataSource pool = pool(t);
    PreviousRelease old = new PreviousRelease(dialect(), pool, t.prefix());
    old.createSchema();
    old.define("checkout", "BOOLEAN", "false");
    old.set("checkout", "BOOLEAN", "true", "p1", null, null);
    old.set("checkout", "BOOLEAN", "false", "p1", null, null);
    old.set("checkout", "BOOLEAN", "true", null, null, "DE");
    old.define("fee", "LONG", "5");
    old.set("fee", "LONG", "7", null, null, null);
    old.kill("fee");
    JdbcStore store = closeLater(open(t, H));
    assertThat(store.schemaStatus()).isEqualTo(new SchemaStatus(true, 1, 1, 2));
    assertThat(store.schemaStatus().needsUpgrade()).isTrue();
    assertThatThrownBy(store::revision)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 1 is older than this library's (2)")
        .hasMessageContaining("toggles init");

    store.createSchema();

    assertThat(store.schemaStatus()).isEqualTo(new SchemaStatus(true, 2, 1, 2));
    assertThat(store.revision()).isEqualTo(7);
    FeatureState checkout = store.load("checkout");
    assertThat(sorted(checkout).rows())
        .containsExactly(
            new Setting("checkout", scope(null, null, "DE"), SettingValue.of(true), 1),
            new Setting("checkout", scope("p1", null, null), SettingValue.of(false), 2));
    assertThat(store.load("fee").killed()).isTrue();
    List<Change> log = store.changesSince(0, 100).orElseThrow();
    assertThat(log).extracting(Change::revision).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    // Changes without a change set are sets of their own; without an id, they get a derived one,
    // the same from every read.
    assertThat(log).allSatisfy(c -> assertThat(c.changeSet()).isEqualTo(c.revision()));
    assertThat(log.stream().map(Change::id).distinct()).hasSize(7).doesNotContain("");
    assertThat(store.head(3).changeIdAt()).contains(log.get(2).id());
    assertThat(node(store).change(3).orElseThrow().id()).isEqualTo(log.get(2).id());
    StoreHead head = store.head(7);
    assertThat(head.storeId()).isNotEmpty();
    // The new release writes on: versions continue above the old ones, revisions follow.
    Change next =
        store.set(
            "checkout", scope("p1", null, null), SettingValue.of(true), Expect.version(2), AUDIT);
    assertThat(next.revision()).isEqualTo(8);
    assertThat(next.newVersion()).hasValue(8);
    // ...and the previous release keeps working on the upgraded schema.
    assertThat(old.checkSchema()).isEqualTo(2);
    assertThat(old.set("checkout", "BOOLEAN", "false", "p1", null, null)).isEqualTo(9);
    assertThat(store.load("checkout").rows())
        .contains(new Setting("checkout", scope("p1", null, null), SettingValue.of(false), 9));
  }

  /** The previous release reads and writes the new schema, and the new one reads what it wrote. */
  @Test
  void thePreviousReleaseReadsAndWritesTheNewSchema() throws Exception {
    JdbcStore store = store(H);
    Target t = target(store);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.importAll(
        List.of(
            new FeatureState(
                "beta",
                Optional.of(FeatureDefinition.bool("beta")),
                false,
                List.of(
                    new Setting("beta", scope("p1", null, null), SettingValue.of(true), 1),
                    new Setting("beta", H.global(), SettingValue.of(false), 1)),
                0)),
        false,
        AUDIT);
    store.set("checkout", scope(null, "m1", null), SettingValue.of(true), Expect.any(), AUDIT);
    PreviousRelease old = new PreviousRelease(dialect(), pool(t), t.prefix());

    assertThat(old.checkSchema()).isEqualTo(2);
    assertThat(old.revision()).isEqualTo(5);
    assertThat(old.load("beta"))
        .containsExactlyInAnyOrder(
            "killed=false type=BOOLEAN", "p1,null,null=true@3", "null,null,null=false@4");
    assertThat(old.loadAll()).contains("feature beta", "feature checkout", "row of beta");
    assertThat(old.changesSince(0))
        .containsExactly("1:DEFINE", "2:DEFINE", "3:SET", "4:SET", "5:SET");

    // Its writes: a row updated, a row created, one removed, a declaration, a kill.
    assertThat(old.set("checkout", "BOOLEAN", "false", null, "m1", null)).isEqualTo(6);
    assertThat(old.set("checkout", "BOOLEAN", "true", "p2", null, null)).isEqualTo(1);
    old.unset("beta", "BOOLEAN", "p1", null, null);
    old.define("fee", "LONG", "5");
    old.kill("checkout");

    JdbcStore reader = node(store);
    assertThat(reader.revision()).isEqualTo(10);
    assertThat(sorted(reader.load("checkout")).rows())
        .containsExactly(
            new Setting("checkout", scope(null, "m1", null), SettingValue.of(false), 6),
            new Setting("checkout", scope("p2", null, null), SettingValue.of(true), 1));
    assertThat(reader.load("checkout").killed()).isTrue();
    assertThat(reader.load("beta").rows()).extracting(Setting::scope).containsExactly(H.global());
    assertThat(reader.features()).extracting(FeatureDefinition::key).contains("fee");
    List<Change> log = reader.changesSince(0, 100).orElseThrow();
    assertThat(log)
        .extracting(Change::changeSet)
        .containsExactly(1L, 4L, 4L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(log.get(7).kind()).isEqualTo(ChangeKind.UNSET);
    assertThat(log.get(7).oldValue()).contains(SettingValue.of(true));
    assertThat(log.subList(5, 10)).allSatisfy(c -> assertThat(c.id()).startsWith("derived-"));
    // The new release writes on top: a row the old release re-created at version 1 gets a
    // version above every revision, so no expectation taken before can match it by accident.
    Change over =
        reader.set(
            "checkout", scope("p2", null, null), SettingValue.of(false), Expect.version(1), AUDIT);
    assertThat(over.newVersion()).hasValue(11);
    Toggles toggles = toggles(reader);
    assertThat(toggles.isEnabled("checkout", Context.of(H, "p2", null, null)))
        .as("killed by the previous release")
        .isFalse();
    assertThat(toggles.isEnabled("beta", Context.of(H, "p1", null, null))).isFalse();
  }

  @Test
  void severalNodesUpgradingAtOnceAllSucceedAndAgreeOnTheStoreId() throws Exception {
    Target t = newTarget();
    PreviousRelease old = new PreviousRelease(dialect(), pool(t), t.prefix());
    old.createSchema();
    old.define("checkout", "BOOLEAN", "false");
    int nodes = 4;
    List<JdbcStore> stores = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      stores.add(closeLater(open(t, H)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (JdbcStore s : stores) {
        Callable<String> upgrade =
            () -> {
              s.createSchema();
              return s.head(0).storeId();
            };
        ids.add(pool.submit(upgrade));
      }
      Set<String> seen = new java.util.HashSet<>();
      for (Future<String> f : ids) {
        seen.add(f.get(120, TimeUnit.SECONDS));
      }
      assertThat(seen).hasSize(1).doesNotContain("");
    } finally {
      pool.shutdownNow();
    }
    assertThat(stores.get(0).schemaStatus()).isEqualTo(new SchemaStatus(true, 2, 1, 2));
    assertThat(stores.get(0).features())
        .extracting(FeatureDefinition::key)
        .containsExactly("checkout");
  }

  // ------------------------------------------------------------------------- identity and reads

  @Test
  void headAndDeclaredFeaturesAreOneStatementAndLoadContentsThree() {
    JdbcStore store = store(H);
    store.define(FeatureDefinition.bool("a"), AUDIT);
    Change last = store.set("a", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    CountingDataSource counting = new CountingDataSource(pool(target(store)));
    JdbcStore node = onDataSource(counting.dataSource(), target(store).prefix());
    node.revision(); // the first use checks the schema

    long before = counting.executions();
    StoreHead head = node.head(last.revision());
    assertThat(counting.executions() - before).isEqualTo(1);
    assertThat(head.changeIdAt()).contains(last.id());
    before = counting.executions();
    assertThat(node.declaredFeatures()).containsExactly("a");
    assertThat(counting.executions() - before).isEqualTo(1);
    before = counting.executions();
    assertThat(node.loadContents().head().changeIdAt()).contains(last.id());
    assertThat(counting.executions() - before).isEqualTo(3);
  }

  @Test
  void theLocatorNamesTheDatabaseAndPrefixButNoCredentials() {
    JdbcStore store = store(H);
    Target t = target(store);
    assertThat(store.locator()).endsWith("#" + t.prefix()).startsWith("jdbc:");
    JdbcStore withSecrets =
        closeLater(JdbcStore.builder(unreachableUrl()).user("bob").password("s3cret-pw").build());
    assertThat(withSecrets.locator()).doesNotContain("s3cret-pw", "bob", "password");
    JdbcStore onPool = onDataSource(pool(t), t.prefix());
    assertThat(onPool.locator()).isEqualTo(Locator.of(t.url(), null, t.prefix()));
  }

  /**
   * A restore of the tables from an earlier copy: the store keeps its identity and revisions start
   * again from the copy's; once written past, the change at a revision is another change, which the
   * head shows at once.
   */
  @Test
  void aRestoredCopyKeepsTheStoreIdButChangesTheChangeAtARevision() throws Exception {
    JdbcStore store = store(H);
    Target t = target(store);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.set("checkout", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    HikariDataSource raw = pool(t);
    TableBackup backup = TableBackup.take(raw, t.prefix());
    Change killed = store.kill("checkout", AUDIT).orElseThrow();
    StoreHead before = store.head(killed.revision());

    backup.restore();
    JdbcStore node = node(store);
    assertThat(node.revision()).isEqualTo(2);
    assertThat(node.load("checkout").killed()).isFalse();
    Change other = node.set("checkout", H.global(), SettingValue.of(false), Expect.any(), AUDIT);
    StoreHead after = node.head(killed.revision());

    assertThat(other.revision()).isEqualTo(killed.revision());
    assertThat(after.storeId()).isEqualTo(before.storeId());
    assertThat(after.revision()).isEqualTo(before.revision());
    assertThat(after.changeIdAt()).isNotEqualTo(before.changeIdAt()).contains(other.id());
    backup.drop();
  }

  // ------------------------------------------------------------------------- written by hand

  @Test
  void databaseItselfRefusesTwoRowsForOneScopeWildcardsIncluded() throws SQLException {
    JdbcStore store = store(H);
    Target t = target(store);
    insertRow(t, "f", null, null, null, "1");
    insertRow(t, "f", "p1", null, null, "1");
    insertRow(t, "f", null, "p1", null, "1"); // same value, other dimension: another scope
    insertRow(t, "f", "P1", null, null, "1"); // case matters, as on every database
    insertRow(t, "g", null, null, null, "1");

    assertThatThrownBy(() -> insertRow(t, "f", null, null, null, "2"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> insertRow(t, "f", "p1", null, null, "2"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> insertRow(t, "f", null, "p1", null, "2"))
        .isInstanceOf(SQLException.class);
    assertThat(store.stats().rowCount()).isEqualTo(5);
  }

  @Test
  void aPrunedLogSaysItCannotReachBack() throws SQLException {
    JdbcStore store = store(H);
    store.define(FeatureDefinition.bool("a"), AUDIT);
    store.define(FeatureDefinition.bool("b"), AUDIT);
    store.define(FeatureDefinition.bool("c"), AUDIT);
    sql(target(store), "DELETE FROM " + target(store).prefix() + "changes WHERE revision < 3");
    assertThat(store.changesSince(0, 10)).isEmpty();
    assertThat(store.changesSince(2, 10).orElseThrow())
        .extracting(Change::revision)
        .containsExactly(3L);
  }

  @Test
  void garbageWrittenByHandBreaksOnlyItsOwnRowAndAWriteCanReplaceIt() throws SQLException {
    JdbcStore store = store(H);
    Target t = target(store);
    store.define(
        FeatureDefinition.builder("limit", SettingType.LONG)
            .defaultValue(SettingValue.of(10L))
            .build(),
        AUDIT);
    Change p1 =
        store.set("limit", scope("p1", null, null), SettingValue.of(20L), Expect.any(), AUDIT);
    store.define(FeatureDefinition.bool("other"), AUDIT);
    store.set("other", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    insertRow(t, "limit", "p2", null, null, "twenty"); // not a long
    insertRow(t, "limit", " p3", null, null, "30"); // a scope value the API never writes
    insertColourDeclaration(t, "weird");
    insertRow(t, "weird", null, null, null, "blue");

    JdbcStore reader = node(store);
    FeatureState limit = reader.load("limit");
    assertThat(limit.rows())
        .containsExactly(
            new Setting("limit", scope("p1", null, null), SettingValue.of(20L), p1.revision()));
    assertThat(reader.load("weird").definition()).isEmpty();
    assertThat(reader.load("weird").rows()).isEmpty();
    List<FeatureState> all = reader.loadAll();
    assertThat(all).extracting(FeatureState::key).containsExactly("limit", "other", "weird");
    assertThat(sorted(all.get(0))).isEqualTo(sorted(limit));
    assertThat(all.get(1).rows()).hasSize(1);

    Toggles toggles = toggles(reader);
    assertThat(toggles.getLong("limit", Context.of(H, "p2", null, null), -1)).isEqualTo(10);
    assertThat(toggles.getLong("limit", Context.of(H, "p1", null, null), -1)).isEqualTo(20);
    assertThat(toggles.isEnabled("other", Context.empty(H))).isTrue();

    // The write API can repair the garbage row: it replaces it, its version continuing.
    Change fixed =
        store.set("limit", scope("p2", null, null), SettingValue.of(25L), Expect.version(1), AUDIT);
    assertThat(fixed.oldValue()).isEmpty();
    assertThat(fixed.newVersion()).hasValue(fixed.revision());
    assertThat(store.load("limit").rows()).hasSize(2);
    // The import too: it sees the garbled row as different and replaces it.
    insertRow(t, "limit", "p4", null, null, "forty");
    FeatureState wanted = store.load("limit");
    List<Setting> rows = new ArrayList<>(wanted.rows());
    rows.add(new Setting("limit", scope("p4", null, null), SettingValue.of(40L), 1));
    List<Change> imported =
        store.importAll(
            List.of(new FeatureState("limit", wanted.definition(), false, rows, 0)), false, AUDIT);
    assertThat(imported).extracting(Change::kind).containsExactly(ChangeKind.SET);
    assertThat(imported.get(0).oldValue()).isEmpty();
  }

  /**
   * Issue 11's garbled declaration: a killed feature whose declaration was edited by hand keeps its
   * kill switch (a boolean still answers false), and the API repairs it: unkill and unset work, a
   * value cannot be written (refused by a named rule), and define declares it again over its rows.
   */
  @Test
  void aHandGarbledDeclarationKeepsItsKillSwitchAndIsRepairedThroughTheApi() throws SQLException {
    JdbcStore store = store(H);
    Target t = target(store);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.set("checkout", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    store.kill("checkout", AUDIT);
    store.define(
        FeatureDefinition.builder("fee", SettingType.LONG).defaultValue("5").build(), AUDIT);
    store.set("fee", H.global(), SettingValue.of(7L), Expect.any(), AUDIT);
    store.set("fee", scope("p1", null, null), SettingValue.of(8L), Expect.any(), AUDIT);
    store.kill("fee", AUDIT);
    sql(
        t,
        "UPDATE " + t.prefix() + "features SET default_value = 'maybe' WHERE feature = 'checkout'");
    sql(t, "UPDATE " + t.prefix() + "features SET default_value = 'five' WHERE feature = 'fee'");

    JdbcStore reader = node(store);
    assertThat(reader.load("checkout").definition()).isEmpty();
    assertThat(reader.load("checkout").killed()).isTrue();
    assertThat(reader.loadAll()).filteredOn(FeatureState::killed).hasSize(2);
    assertThat(reader.declaredFeatures()).containsExactlyInAnyOrder("checkout", "fee");
    Toggles toggles = toggles(reader);
    Context anyone = Context.of(H, "p1", "m1", "DE");
    assertThat(toggles.isEnabled("checkout", anyone)).as("the kill still holds").isFalse();
    assertThat(toggles.getLong("fee", anyone, -1)).as("no readable kill value").isEqualTo(-1);

    assertRefusedWithoutTrace(
            store,
            WriteRefusedException.class,
            () -> store.set("fee", H.global(), SettingValue.of(9L), Expect.any(), AUDIT))
        .isInstanceOfSatisfying(
            WriteRefusedException.class,
            e -> assertThat(e.rule()).isEqualTo(WriteRefusedException.Rule.UNREADABLE_DECLARATION))
        .hasMessageContaining(
            "the declaration of feature 'fee' in " + t.prefix() + "features is unreadable")
        .hasMessageContaining("declare it again with define");
    assertThat(store.unreadable())
        .extracting(Unreadable::feature, Unreadable::table)
        .contains(
            tuple("checkout", t.prefix() + "features"), tuple("fee", t.prefix() + "features"));

    // Repairs: unset a row, declare again over the remaining rows (still killed), unkill.
    Change unset = store.unset("fee", scope("p1", null, null), Expect.any(), AUDIT);
    assertThat(unset.oldValue()).isEmpty(); // its type was unreadable
    Change redefined =
        store.define(
            FeatureDefinition.builder("fee", SettingType.LONG).defaultValue("5").build(), AUDIT);
    assertThat(redefined.oldValue()).isEmpty();
    assertThat(store.load("fee").killed()).isTrue();
    assertThat(store.load("fee").rows())
        .extracting(Setting::value)
        .containsExactly(SettingValue.of(7L));
    assertThat(store.unkill("checkout", AUDIT)).isPresent();
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    assertThat(store.unreadable()).isEmpty();
    toggles.sync();
    assertThat(toggles.isEnabled("checkout", anyone)).isTrue();
    assertThat(toggles.getLong("fee", anyone, -1)).isEqualTo(5);
  }

  @Test
  void unreadableListsWhatTheStoreCannotReadWithTheSqlThatRemovesIt() throws SQLException {
    JdbcStore store = store(H);
    Target t = target(store);
    store.define(FeatureDefinition.builder("limit", SettingType.LONG).build(), AUDIT);
    store.set("limit", scope("p1", null, null), SettingValue.of(20L), Expect.any(), AUDIT);
    insertRow(t, "limit", "p2", null, null, "twenty");
    insertRow(t, "limit", " p3", "it's", null, "30");
    insertRow(t, "ghost", null, null, "DE", "true");
    insertColourDeclaration(t, "weird");
    List<FeatureState> before = served(store.loadAll());

    List<Unreadable> found = store.unreadable();
    assertThat(found)
        .extracting(Unreadable::feature, Unreadable::scope)
        .containsExactlyInAnyOrder(
            tuple("weird", ""),
            tuple("limit", "{product='p2', merchant=*, country=*}"),
            tuple("limit", "{product=' p3', merchant='it's', country=*}"),
            tuple("ghost", "{product=*, merchant=*, country='DE'}"));
    Unreadable weird = found.stream().filter(u -> u.feature().equals("weird")).findFirst().get();
    assertThat(weird.problem()).contains("COLOUR");
    assertThat(weird.sql()).isEmpty(); // an unknown type: only a person knows what it should be
    assertThat(weird.advice()).contains("toggles define");
    for (Unreadable u : found) {
      if (u.table().endsWith("settings")) {
        assertThat(u.sql()).hasValueSatisfying(s -> assertThat(s).startsWith("DELETE FROM"));
        assertThat(sql(t, u.sql().get())).as(u.sql().get()).isEqualTo(1);
      }
    }
    assertThat(store.unreadable()).extracting(Unreadable::feature).containsExactly("weird");
    assertThat(served(store.loadAll())).as("nothing a node served was removed").isEqualTo(before);
  }

  /** What a node serves of the features: those with a declaration, rows or a kill switch. */
  private static List<FeatureState> served(List<FeatureState> all) {
    return sorted(
        all.stream()
            .filter(f -> f.definition().isPresent() || !f.rows().isEmpty() || f.killed())
            .toList());
  }

  // ------------------------------------------------------------------------- indexes

  /**
   * Every statement of the write path that names one row finds it through the unique index, on
   * every database: EXPLAIN over a feature of 5,000 rows. (The previous release's statements did
   * not on PostgreSQL and MySQL: the plans are printed side by side.)
   */
  @Test
  void everyStatementNamingOneRowFindsItThroughTheUniqueIndex() throws SQLException {
    JdbcStore store = store(H);
    Target t = target(store);
    List<Setting> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      Scope s =
          switch (i == 0 ? -1 : i % 4) {
            case -1 -> H.global();
            case 0 -> scope("p" + i, null, null);
            case 1 -> scope(null, "m" + i, null);
            case 2 -> scope("p" + i, "m" + i, "DE");
            default -> scope(null, null, "c" + i);
          };
      rows.add(new Setting("big", s, SettingValue.of(i % 2 == 0), 1));
    }
    store.importAll(
        List.of(
            new FeatureState("big", Optional.of(FeatureDefinition.bool("big")), false, rows, 0)),
        false,
        AUDIT);
    analyze(t);
    Sql s = new Sql(dialect(), H, t.prefix());
    PreviousRelease.Statements old = PreviousRelease.statementsFor(dialect(), t.prefix());
    Jdbi jdbi = Jdbi.create(pool(t));
    jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
    jdbi.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP);
    for (Scope scope :
        List.of(
            scope("p8", null, null),
            scope("p10", "m10", "DE"),
            scope(null, null, "c11"),
            H.global())) {
      for (String statement : List.of(s.findRow(scope), s.updateRow(scope), s.deleteRow(scope))) {
        String plan = explain(jdbi, statement, scope);
        System.out.println("EXPLAIN (" + dialect() + ") " + statement + "\n" + plan);
        assertFindsOneRowThroughTheUniqueIndex(plan, t.prefix());
      }
      String previous = explain(jdbi, old.updateRow(scope), scope);
      System.out.println(
          "EXPLAIN ("
              + dialect()
              + ", previous release) "
              + old.updateRow(scope)
              + "\n"
              + previous);
      previousReleaseMissedTheIndex(previous, t.prefix());
    }
  }

  private void analyze(Target t) throws SQLException {
    String table = t.prefix() + "settings";
    switch (dialect()) {
      case H2 -> sql(t, "ANALYZE TABLE " + table);
      case POSTGRESQL -> sql(t, "ANALYZE " + table);
      case MYSQL -> {
        try (Connection c = java.sql.DriverManager.getConnection(t.url(), t.user(), t.password());
            Statement st = c.createStatement()) {
          st.execute("ANALYZE TABLE " + table);
        }
      }
    }
  }

  /** EXPLAIN of a statement with its parameters bound, one plan row per line. */
  private String explain(Jdbi jdbi, String statement, Scope scope) {
    return jdbi.withHandle(
        h -> {
          var q =
              h.createQuery("EXPLAIN " + statement)
                  .bind("feature", "big")
                  .bind("value", "true")
                  .bind("version", 1L)
                  .bind("actor", "x")
                  .bind(
                      "now",
                      (Argument)
                          (position, st, ctx) -> dialect().bindTime(st, position, Instant.now()));
          dialect().bindScope(q, H, scope);
          List<String> lines = new ArrayList<>();
          for (Map<String, Object> row : q.mapToMap().list()) {
            lines.add(
                row.size() == 1 ? String.valueOf(row.values().iterator().next()) : row.toString());
          }
          return String.join("\n", lines);
        });
  }

  // ------------------------------------------------------------------------- errors

  @Test
  void anUnreachableDatabaseIsAStoreErrorThatNeverShowsThePassword() {
    JdbcStore down =
        closeLater(
            JdbcStore.builder(unreachableUrl())
                .user("toggles")
                .password("s3cret-pw")
                .connectionTimeout(Duration.ofMillis(500))
                .tablePrefix(uniquePrefix())
                .build()); // does not connect
    assertThatThrownBy(down::revision)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("database unreachable")
        .satisfies(
            e -> {
              for (Throwable x = e; x != null; x = x.getCause()) {
                assertThat(String.valueOf(x.getMessage())).doesNotContain("s3cret-pw");
              }
            });
  }
}
