package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.ConflictException;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.Toggles;
import io.toggles.UnknownFeatureException;
import io.toggles.WrongTypeException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store's contract, run against each database by a thin subclass that supplies an empty
 * place to put the tables (a database, schema or table prefix of its own for each test).
 */
abstract class AbstractJdbcStoreTest {
  static final Hierarchy H = Hierarchy.DEFAULT;
  static final Audit AUDIT = Audit.of("alice", "INC-1");
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  /** Where one test keeps its tables: a JDBC URL (with credentials) and a fresh table prefix. */
  record Target(String url, String user, String password, String prefix) {
    Target withPrefix(String other) {
      return new Target(url, user, password, other);
    }
  }

  /** An empty database place for the current test. */
  abstract Target newTarget();

  /** The dialect the subclass's database should be detected as. */
  abstract Dialect dialect();

  /** A JDBC URL of this database's kind where nothing listens, holding the password "s3cret-pw". */
  abstract String unreachableUrl();

  Target target;
  HikariDataSource pool;
  JdbcStore store;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void openStore() {
    target = newTarget();
    pool = pool(target);
    store = JdbcStore.builder(pool).tablePrefix(target.prefix()).build();
    store.createSchema();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (store != null) {
      store.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  static String uniquePrefix() {
    return "t" + PREFIXES.incrementAndGet() + "_";
  }

  static HikariDataSource pool(Target t) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(t.url());
    c.setUsername(t.user());
    c.setPassword(t.password());
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(0);
    return new HikariDataSource(c);
  }

  /** A second store on the same tables, as another node would have: its own pool. */
  JdbcStore otherNode() {
    JdbcStore other =
        JdbcStore.builder(target.url())
            .user(target.user())
            .password(target.password())
            .tablePrefix(target.prefix())
            .build();
    closeables.add(other);
    return other;
  }

  <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  String valueColumn() {
    return dialect() == Dialect.H2 ? "\"VALUE\"" : "value";
  }

  int sql(String statement, Object... params) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  long count(String query) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Inserts a settings row by hand, as a person with SQL would. */
  void insertRow(String feature, String product, String merchant, String country, String value)
      throws SQLException {
    sql(
        "INSERT INTO "
            + target.prefix()
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

  /** The state with its rows in a fixed order, for comparing stores that list rows differently. */
  static FeatureState sorted(FeatureState state) {
    List<Setting> rows = new ArrayList<>(state.rows());
    rows.sort(java.util.Comparator.comparing(r -> r.scope().toString()));
    return new FeatureState(
        state.key(), state.definition(), state.killed(), rows, state.revision());
  }

  static List<FeatureState> sorted(List<FeatureState> states) {
    return states.stream().map(AbstractJdbcStoreTest::sorted).collect(Collectors.toList());
  }

  Scope scope(String product, String merchant, String country) {
    return Scope.of(H, product, merchant, country);
  }

  // ------------------------------------------------------------------------- schema

  @Test
  void detectsItsDialectFromTheDatabase() {
    assertThat(store.dialect()).isEqualTo(dialect());
  }

  @Test
  void emptyStoreIsAValidState() {
    assertThat(store.revision()).isZero();
    assertThat(store.loadAll()).isEmpty();
    assertThat(store.features()).isEmpty();
    assertThat(store.load("nothing")).isEqualTo(FeatureState.absent("nothing", 0));
    assertThat(store.changesSince(0, 10)).contains(List.of());
    assertThat(store.history(Optional.empty(), 10)).isEmpty();
    assertThat(store.stats()).isEqualTo(new StoreStats(0, 0, 0, 0));
  }

  @Test
  void createSchemaIsIdempotentAndKeepsData() {
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.set("checkout", H.global(), SettingValue.of(true), Expect.any(), AUDIT);

    store.createSchema();
    store.createSchema();

    assertThat(store.stats()).isEqualTo(new StoreStats(2, 1, 1, 2));
    assertThat(store.schemaStatus()).isEqualTo(new SchemaStatus(true, 1, 1, 1));
    assertThat(store.load("checkout").rows()).hasSize(1);
  }

  @Test
  void missingSchemaFailsWithAnActionableMessageUntilCreated() {
    JdbcStore fresh =
        closeLater(JdbcStore.builder(pool).tablePrefix(target.prefix() + "n_").build());

    assertThat(fresh.schemaStatus()).isEqualTo(new SchemaStatus(false, 0, 0, 1));
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
    String prefix = target.prefix() + "c_";
    JdbcStore lazy =
        closeLater(JdbcStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build());
    assertThat(tableExists(prefix + "state")).isFalse(); // build() ran no DDL
    assertThat(lazy.revision()).isZero();
    assertThat(tableExists(prefix + "state")).isTrue();
  }

  @Test
  void schemaNewerThanTheLibraryIsRefusedUnlessMarkedCompatible() throws SQLException {
    sql(
        "INSERT INTO "
            + target.prefix()
            + "schema_version (version, min_reader_version, applied_at) VALUES (3, 3,"
            + " CURRENT_TIMESTAMP)");
    JdbcStore newer = closeLater(JdbcStore.builder(pool).tablePrefix(target.prefix()).build());

    assertThat(newer.schemaStatus().usable()).isFalse();
    assertThatThrownBy(newer::revision)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 3 is newer than this library understands (1)")
        .hasMessageContaining("upgrade toggles");
    assertThatThrownBy(newer::createSchema)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 3");

    // An additive change keeps min_reader_version at 1: older libraries keep working.
    sql(
        "UPDATE "
            + target.prefix()
            + "schema_version SET min_reader_version = 1 WHERE version = 3");
    assertThat(newer.schemaStatus()).isEqualTo(new SchemaStatus(true, 3, 1, 1));
    assertThat(newer.revision()).isZero();
  }

  @Test
  void ddlIsExactlyWhatCreateSchemaApplies() throws SQLException {
    String byHand = target.prefix() + "h_";
    String ddl = JdbcStore.ddl(dialect(), H, byHand);
    assertThat(ddl).doesNotContain("${").contains(byHand + "settings").contains("ADDITIVE ONLY");

    // A DBA applies the printed DDL with plain SQL, statement by statement.
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
    JdbcStore manual = closeLater(JdbcStore.builder(pool).tablePrefix(byHand).build());
    assertThat(manual.schemaStatus()).isEqualTo(new SchemaStatus(true, 1, 1, 1));
    for (String table : List.of("schema_version", "state", "features", "settings", "changes")) {
      assertThat(describe(byHand + table))
          .as(table)
          .isEqualTo(describe(target.prefix() + table))
          .isNotEmpty();
    }
    manual.define(FeatureDefinition.bool("checkout"), AUDIT);
    manual.createSchema(); // a no-op on the DBA's tables
    assertThat(manual.stats()).isEqualTo(new StoreStats(1, 1, 0, 1));
  }

  @Test
  void tablesOfAnotherHierarchyAreRefusedWithAClearMessage() {
    JdbcStore mismatched =
        closeLater(
            JdbcStore.builder(pool)
                .tablePrefix(target.prefix())
                .hierarchy(Hierarchy.of("tenant"))
                .build());
    assertThatThrownBy(mismatched::revision)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema does not match this store")
        .hasMessageContaining("another hierarchy");
  }

  @Test
  void aWideHierarchyWithReservedWordsAsDimensionsWorks() {
    List<String> names = new ArrayList<>(List.of("order", "user", "group", "select"));
    for (int i = names.size(); i < Hierarchy.MAX_DIMENSIONS; i++) {
      names.add("d" + i);
    }
    Hierarchy wide = new Hierarchy(names);
    JdbcStore w =
        closeLater(
            JdbcStore.builder(pool).tablePrefix(target.prefix() + "w_").hierarchy(wide).build());
    w.createSchema();
    w.define(FeatureDefinition.bool("f"), AUDIT);
    String[] values = new String[names.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (char) ('a' + i) + "x".repeat(Scope.MAX_VALUE_LENGTH - 1);
    }
    Scope full = Scope.of(wide, values);
    Scope partial = wide.scope().with("user", "u1").build();
    w.set("f", full, SettingValue.of(true), Expect.absent(), AUDIT);
    w.set("f", partial, SettingValue.of(true), Expect.absent(), AUDIT);
    assertThatThrownBy(() -> w.set("f", partial, SettingValue.of(false), Expect.absent(), AUDIT))
        .isInstanceOf(ConflictException.class);
    assertThat(w.load("f").rows())
        .extracting(Setting::scope)
        .containsExactlyInAnyOrder(full, partial);
    assertThat(w.history(Optional.empty(), 1).get(0).scope()).contains(partial);
  }

  private boolean tableExists(String table) throws SQLException {
    try (Connection c = pool.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
        try (ResultSet rs = md.getTables(c.getCatalog(), null, name, null)) {
          if (rs.next()) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Column names, types, sizes and nullability of a table, and its index columns. */
  private List<String> describe(String table) throws SQLException {
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

  // ------------------------------------------------------------------------- values

  @Test
  void everyValueTypeRoundTrips() {
    String longText = "😀".repeat(SettingValue.MAX_TEXT_LENGTH / 2);
    Map<String, List<SettingValue>> values = new TreeMap<>();
    values.put("b", List.of(SettingValue.of(true), SettingValue.of(false)));
    values.put(
        "s",
        List.of(
            SettingValue.of(""),
            SettingValue.of("it's \"quoted\"; -- not SQL\nline two\ttab"),
            SettingValue.of("Ünïcödé 日本 😀"),
            SettingValue.of(longText)));
    values.put(
        "l", List.of(SettingValue.of(Long.MIN_VALUE), SettingValue.of(0L), SettingValue.of(42L)));
    values.put(
        "d",
        List.of(
            SettingValue.of(new BigDecimal("0.015")),
            SettingValue.of(new BigDecimal("-12345678901234567890.123456789"))));
    values.put(
        "j",
        List.of(
            SettingValue.json("{\"gateways\":[\"adyen\",\"stripe\"],\"weight\":0.5,\"on\":true}"),
            SettingValue.json("[]")));
    Map<String, SettingType> types =
        Map.of(
            "b", SettingType.BOOLEAN,
            "s", SettingType.STRING,
            "l", SettingType.LONG,
            "d", SettingType.DECIMAL,
            "j", SettingType.JSON);
    for (String key : values.keySet()) {
      List<SettingValue> vs = values.get(key);
      FeatureDefinition def =
          FeatureDefinition.builder(key, types.get(key))
              .defaultValue(vs.get(0))
              .description("the " + types.get(key) + " feature")
              .owner("team-" + key)
              .build();
      store.define(def, AUDIT);
      for (int i = 0; i < vs.size(); i++) {
        store.set(key, scope("p" + i, null, null), vs.get(i), Expect.absent(), AUDIT);
      }
    }

    JdbcStore reader = otherNode(); // nothing cached: every value comes from the tables
    for (String key : values.keySet()) {
      FeatureState state = reader.load(key);
      assertThat(state.definition().orElseThrow().defaultValue()).contains(values.get(key).get(0));
      assertThat(state.definition().orElseThrow().owner()).isEqualTo("team-" + key);
      Map<Scope, SettingValue> got =
          state.rows().stream().collect(Collectors.toMap(Setting::scope, Setting::value));
      for (int i = 0; i < values.get(key).size(); i++) {
        assertThat(got.get(scope("p" + i, null, null)))
            .as(key + i)
            .isEqualTo(values.get(key).get(i));
      }
      assertThat(sorted(reader.loadAll())).contains(sorted(state));
      assertThat(reader.history(Optional.of(key), 1).get(0).newValue())
          .contains(values.get(key).get(values.get(key).size() - 1));
    }
  }

  @Test
  void databaseItselfRefusesTwoRowsForOneScopeWildcardsIncluded() throws SQLException {
    insertRow("f", null, null, null, "1");
    insertRow("f", "p1", null, null, "1");
    insertRow("f", null, "p1", null, "1"); // same value, other dimension: another scope
    insertRow("f", "P1", null, null, "1"); // case matters, as on every database
    insertRow("g", null, null, null, "1");

    assertThatThrownBy(() -> insertRow("f", null, null, null, "2"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> insertRow("f", "p1", null, null, "2"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> insertRow("f", null, "p1", null, "2"))
        .isInstanceOf(SQLException.class);
    assertThat(count("SELECT COUNT(*) FROM " + target.prefix() + "settings")).isEqualTo(5);
  }

  @Test
  void aValueTheDatabaseCannotStoreIsRefusedBeforeSql() {
    store.define(FeatureDefinition.builder("s", SettingType.STRING).build(), AUDIT);
    assertThatThrownBy(
            () -> store.set("s", H.global(), SettingValue.of("a\u0000b"), Expect.any(), AUDIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+0000");
    assertThat(store.stats()).isEqualTo(new StoreStats(1, 1, 0, 1));
  }

  // ------------------------------------------------------------------------- resolution

  @Test
  void resolutionFromDatabaseRowsMatchesTheCoreResolver() {
    InMemoryStore memory = InMemoryStore.create(H);
    String[] products = {null, "p1", "p2"};
    String[] merchants = {null, "m1", "m2"};
    String[] countries = {null, "DE", "FR"};
    Random random = new Random(20261123L);
    FeatureDefinition fee =
        FeatureDefinition.builder("fee", SettingType.LONG)
            .defaultValue(SettingValue.of(-1L))
            .build();
    FeatureDefinition beta = FeatureDefinition.bool("beta");
    for (FeatureDefinition def : List.of(fee, beta)) {
      store.define(def, AUDIT);
      memory.define(def, AUDIT);
    }
    Set<Scope> used = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      Scope s =
          scope(
              products[random.nextInt(3)],
              merchants[random.nextInt(3)],
              countries[random.nextInt(3)]);
      boolean first = used.add(s);
      SettingValue feeValue = SettingValue.of((long) random.nextInt(1000));
      SettingValue betaValue = SettingValue.of(random.nextBoolean());
      store.set("fee", s, feeValue, Expect.any(), AUDIT);
      memory.set("fee", s, feeValue, Expect.any(), AUDIT);
      if (first) {
        store.set("beta", s, betaValue, Expect.any(), AUDIT);
        memory.set("beta", s, betaValue, Expect.any(), AUDIT);
      }
    }
    JdbcStore reader = otherNode();
    assertThat(sorted(reader.loadAll())).isEqualTo(sorted(memory.loadAll()));

    try (Toggles fromDb = Toggles.builder(reader).syncInterval(Duration.ZERO).build();
        Toggles fromMemory = Toggles.builder(memory).syncInterval(Duration.ZERO).build()) {
      String[] ps = {null, "p1", "p2", "p3"};
      String[] ms = {null, "m1", "m2", "m3"};
      String[] cs = {null, "DE", "FR", "IT"};
      int compared = 0;
      for (String p : ps) {
        for (String m : ms) {
          for (String c : cs) {
            Context ctx = Context.of(H, p, m, c);
            assertThat(fromDb.getLong("fee", ctx, -2))
                .as(ctx.toString())
                .isEqualTo(fromMemory.getLong("fee", ctx, -2));
            assertThat(fromDb.isEnabled("beta", ctx))
                .as(ctx.toString())
                .isEqualTo(fromMemory.isEnabled("beta", ctx));
            compared++;
          }
        }
      }
      assertThat(compared).isEqualTo(64);
    }
  }

  // ------------------------------------------------------------------------- change log

  @Test
  void everyWriteAppendsOneChangeInCommitOrder() {
    Instant before = Instant.now().minusSeconds(300); // the database clock, same machine
    Scope de = scope(null, null, "DE");
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.set("checkout", de, SettingValue.of(true), Expect.absent(), Audit.of("bob", "rollout"));
    store.set("checkout", de, SettingValue.of(false), Expect.version(1), AUDIT);
    store.kill("checkout", Audit.of("carol", "INC-7"));
    store.unkill("checkout", AUDIT);
    store.unset("checkout", de, Expect.version(2), AUDIT);

    List<Change> log = store.changesSince(0, 100).orElseThrow();
    assertThat(log).extracting(Change::revision).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(log)
        .extracting(Change::kind)
        .containsExactly(
            ChangeKind.DEFINE,
            ChangeKind.SET,
            ChangeKind.SET,
            ChangeKind.KILL,
            ChangeKind.UNKILL,
            ChangeKind.UNSET);
    Change second = log.get(1);
    assertThat(second.scope()).contains(de);
    assertThat(second.oldValue()).isEmpty();
    assertThat(second.newValue()).contains(SettingValue.of(true));
    assertThat(second.newVersion()).hasValue(1);
    assertThat(second.actor()).isEqualTo("bob");
    assertThat(second.reason()).isEqualTo("rollout");
    Change third = log.get(2);
    assertThat(third.oldValue()).contains(SettingValue.of(true));
    assertThat(third.newValue()).contains(SettingValue.of(false));
    assertThat(third.newVersion()).hasValue(2);
    assertThat(log.get(3).actor()).isEqualTo("carol");
    assertThat(log.get(3).scope()).isEmpty();
    assertThat(log.get(5).oldValue()).contains(SettingValue.of(false));
    assertThat(log.get(5).newValue()).isEmpty();
    for (int i = 0; i < log.size(); i++) {
      assertThat(log.get(i).at()).isAfter(before).isBefore(Instant.now().plusSeconds(300));
      if (i > 0) {
        assertThat(log.get(i).at()).isAfterOrEqualTo(log.get(i - 1).at());
      }
    }
    // Every way of reading the log agrees with what the writes returned.
    assertThat(store.changesSince(2, 2).orElseThrow()).containsExactly(log.get(2), log.get(3));
    assertThat(store.history(Optional.of("checkout"), 2)).containsExactly(log.get(5), log.get(4));
    assertThat(store.change(4)).contains(log.get(3));
    assertThat(store.change(99)).isEmpty();
    assertThat(otherNode().revision()).isEqualTo(6);
  }

  @Test
  void aPrunedLogSaysItCannotReachBack() throws SQLException {
    store.define(FeatureDefinition.bool("a"), AUDIT);
    store.define(FeatureDefinition.bool("b"), AUDIT);
    store.define(FeatureDefinition.bool("c"), AUDIT);
    sql("DELETE FROM " + target.prefix() + "changes WHERE revision < 3");
    assertThat(store.changesSince(0, 10)).isEmpty();
    assertThat(store.changesSince(2, 10).orElseThrow())
        .extracting(Change::revision)
        .containsExactly(3L);
  }

  // ------------------------------------------------------------------------- concurrency

  @Test
  void aStaleExpectationIsRefusedAndWritesNothing() {
    Scope s = scope("p1", null, null);
    store.define(FeatureDefinition.bool("f"), AUDIT);
    store.set("f", s, SettingValue.of(true), Expect.absent(), AUDIT);
    store.set("f", s, SettingValue.of(false), Expect.version(1), AUDIT);
    StoreStats before = store.stats();

    assertThatThrownBy(() -> store.set("f", s, SettingValue.of(true), Expect.version(1), AUDIT))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("at version 2, expected version 1");
    assertThatThrownBy(() -> store.set("f", s, SettingValue.of(true), Expect.absent(), AUDIT))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> store.unset("f", s, Expect.version(7), AUDIT))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> store.unset("f", H.global(), Expect.any(), AUDIT))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("no row");

    assertThat(store.stats()).isEqualTo(before);
    assertThat(store.load("f").rows())
        .containsExactly(new Setting("f", s, SettingValue.of(false), 2));
  }

  @Test
  void concurrentReadModifyWriteFromTwoNodesLosesNoUpdate() throws Exception {
    store.define(FeatureDefinition.builder("counter", SettingType.LONG).build(), AUDIT);
    JdbcStore[] nodes = {otherNode(), otherNode()};
    int threads = 6;
    int rounds = 8;
    Scope s = H.global();
    CyclicBarrier read = new CyclicBarrier(threads);
    CyclicBarrier written = new CyclicBarrier(threads);
    AtomicInteger commits = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        JdbcStore node = nodes[t % 2];
        done.add(
            pool.submit(
                () -> {
                  for (int r = 0; r <= rounds; r++) {
                    // Everyone reads the same state, then everyone writes based on it: in each
                    // round exactly one write can match the version it read.
                    List<Setting> rows = node.load("counter").rows();
                    read.await(30, TimeUnit.SECONDS);
                    Expect expect =
                        rows.isEmpty() ? Expect.absent() : Expect.version(rows.get(0).version());
                    long next =
                        rows.isEmpty()
                            ? 0
                            : ((SettingValue.LongValue) rows.get(0).value()).value() + 1;
                    try {
                      node.set("counter", s, SettingValue.of(next), expect, AUDIT);
                      commits.incrementAndGet();
                    } catch (ConflictException e) {
                      conflicts.incrementAndGet();
                    }
                    written.await(30, TimeUnit.SECONDS);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // Round 0 creates the missing row (Expect.absent from everyone): exactly one insert wins.
    assertThat(commits.get()).isEqualTo(rounds + 1);
    assertThat(conflicts.get()).isEqualTo((rounds + 1) * (threads - 1));
    FeatureState state = store.load("counter");
    assertThat(state.rows())
        .containsExactly(new Setting("counter", s, SettingValue.of((long) rounds), rounds + 1));
    List<Change> sets =
        store.changesSince(0, 1000).orElseThrow().stream()
            .filter(c -> c.kind() == ChangeKind.SET)
            .collect(Collectors.toList());
    assertThat(sets).hasSize(rounds + 1);
    for (int i = 0; i < sets.size(); i++) {
      assertThat(sets.get(i).newValue()).contains(SettingValue.of((long) i));
      assertThat(sets.get(i).newVersion()).hasValue(i + 1);
    }
    assertThat(store.revision()).isEqualTo(rounds + 2); // the define, then one per commit
  }

  // ------------------------------------------------------------------------- revert

  @Test
  void revertRestoresThePreviousValueAsANewChange() {
    Scope s = scope("p1", "m1", null);
    store.define(FeatureDefinition.bool("f"), AUDIT);
    Change created = store.set("f", s, SettingValue.of(true), Expect.absent(), AUDIT);
    Change flipped = store.set("f", s, SettingValue.of(false), Expect.version(1), AUDIT);
    Change killed = store.kill("f", AUDIT).orElseThrow();

    Change undoFlip = store.revert(flipped.revision(), Audit.of("bob", "undo"));
    assertThat(undoFlip.kind()).isEqualTo(ChangeKind.SET);
    assertThat(undoFlip.revertOf()).hasValue(flipped.revision());
    assertThat(undoFlip.newValue()).contains(SettingValue.of(true));
    assertThat(store.load("f").rows())
        .containsExactly(new Setting("f", s, SettingValue.of(true), 3));

    Change undoKill = store.revert(killed.revision(), AUDIT);
    assertThat(undoKill.kind()).isEqualTo(ChangeKind.UNKILL);
    assertThat(store.load("f").killed()).isFalse();

    // The creation was changed again since (by the revert above): refused, nothing written.
    long revision = store.revision();
    assertThatThrownBy(() -> store.revert(created.revision(), AUDIT))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("changed again at revision " + undoFlip.revision());
    assertThat(store.revision()).isEqualTo(revision);

    // Reverting the revert of the flip removes nothing but sets false again; reverting the
    // newest change of a row that did not exist before removes the row.
    Change undoUndo = store.revert(undoFlip.revision(), AUDIT);
    assertThat(undoUndo.newValue()).contains(SettingValue.of(false));
    Change other = store.set("f", H.global(), SettingValue.of(true), Expect.absent(), AUDIT);
    Change removed = store.revert(other.revision(), AUDIT);
    assertThat(removed.kind()).isEqualTo(ChangeKind.UNSET);
    assertThat(store.load("f").rows()).extracting(Setting::scope).containsExactly(s);

    assertThatThrownBy(() -> store.revert(999, AUDIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no change at revision 999");
  }

  // ------------------------------------------------------------------------- import

  @Test
  void importAppliesDifferencesOnlyAndPrunes() {
    FeatureDefinition fee =
        FeatureDefinition.builder("fee", SettingType.DECIMAL).defaultValue("0.01").build();
    FeatureState wanted =
        new FeatureState(
            "fee",
            Optional.of(fee),
            false,
            List.of(
                new Setting("fee", H.global(), SettingValue.of(new BigDecimal("0.02")), 1),
                new Setting(
                    "fee", scope(null, null, "DE"), SettingValue.of(new BigDecimal("0.03")), 1)),
            0);
    List<Change> first = store.importAll(List.of(wanted), false, AUDIT);
    assertThat(first)
        .extracting(Change::kind)
        .containsExactly(ChangeKind.DEFINE, ChangeKind.SET, ChangeKind.SET);
    assertThat(first).extracting(Change::revision).containsExactly(1L, 2L, 3L);
    assertThat(store.importAll(List.of(wanted), false, AUDIT)).isEmpty();

    store.set("fee", scope("p1", null, null), SettingValue.of(BigDecimal.ONE), Expect.any(), AUDIT);
    List<Change> pruned = store.importAll(List.of(wanted), true, AUDIT);
    assertThat(pruned).extracting(Change::kind).containsExactly(ChangeKind.UNSET);
    assertThat(store.load("fee").rows()).hasSize(2);
  }

  @Test
  void anImportThatFailsHalfWayLeavesNothingBehind() {
    store.define(FeatureDefinition.bool("existing"), AUDIT);
    StoreStats before = store.stats();
    FeatureState good =
        new FeatureState(
            "good",
            Optional.of(FeatureDefinition.bool("good")),
            true,
            List.of(new Setting("good", H.global(), SettingValue.of(true), 1)),
            0);
    FeatureState existing =
        new FeatureState(
            "existing",
            Optional.of(FeatureDefinition.bool("existing")),
            false,
            List.of(new Setting("existing", scope("p1", null, null), SettingValue.of(true), 1)),
            0);
    FeatureState bad =
        new FeatureState(
            "bad",
            Optional.of(FeatureDefinition.bool("bad")),
            false,
            List.of(new Setting("bad", H.global(), SettingValue.of(5L), 1)), // wrong type
            0);

    assertThatThrownBy(() -> store.importAll(List.of(good, existing, bad), true, AUDIT))
        .isInstanceOf(WrongTypeException.class)
        .hasMessageContaining("'bad' is BOOLEAN, not LONG");

    assertThat(store.stats()).isEqualTo(before);
    assertThat(store.features()).extracting(FeatureDefinition::key).containsExactly("existing");
    assertThat(store.load("good")).isEqualTo(FeatureState.absent("good", before.revision()));
    assertThat(store.load("existing").rows()).isEmpty();
  }

  // ------------------------------------------------------------------------- bad input

  @Test
  void badInputIsRefusedClearlyAndLeavesNoRowAndNoChange() {
    store.define(FeatureDefinition.bool("f"), AUDIT);
    StoreStats before = store.stats();
    Hierarchy other = Hierarchy.of("tenant");

    assertThatThrownBy(
            () -> store.set("nope", H.global(), SettingValue.of(true), Expect.any(), AUDIT))
        .isInstanceOf(UnknownFeatureException.class)
        .hasMessageContaining("unknown feature 'nope'");
    assertThatThrownBy(() -> store.set("f", H.global(), SettingValue.of(3L), Expect.any(), AUDIT))
        .isInstanceOf(WrongTypeException.class)
        .hasMessageContaining("'f' is BOOLEAN, not LONG");
    assertThatThrownBy(
            () -> store.set("bad key!", H.global(), SettingValue.of(true), Expect.any(), AUDIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feature key 'bad key!' is malformed");
    assertThatThrownBy(
            () ->
                store.set(
                    "f",
                    scope("x".repeat(Scope.MAX_VALUE_LENGTH + 1), null, null),
                    SettingValue.of(true),
                    Expect.any(),
                    AUDIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value of 'product' is 129 characters long; the limit is 128");
    assertThatThrownBy(() -> H.scope().with("planet", "mars").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scope dimension 'planet'");
    assertThatThrownBy(
            () ->
                store.set(
                    "f",
                    other.scope().with("tenant", "t1").build(),
                    SettingValue.of(true),
                    Expect.any(),
                    AUDIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "scope has dimensions [tenant] but the store has [product, merchant, country]");
    assertThatThrownBy(() -> store.kill("nope", AUDIT)).isInstanceOf(UnknownFeatureException.class);
    assertThatThrownBy(() -> store.unset("nope", H.global(), Expect.any(), AUDIT))
        .isInstanceOf(UnknownFeatureException.class);
    assertThatThrownBy(() -> store.load("bad key!")).isInstanceOf(IllegalArgumentException.class);

    assertThat(store.stats()).isEqualTo(before);
  }

  @Test
  void killSwitchNeedsASafeValueAndIsRecordedOnce() {
    store.define(FeatureDefinition.builder("gateway", SettingType.STRING).build(), AUDIT);
    assertThatThrownBy(() -> store.kill("gateway", AUDIT))
        .hasMessageContaining("a kill switch needs a safe value");
    store.define(
        FeatureDefinition.builder("gateway", SettingType.STRING).defaultValue("adyen").build(),
        AUDIT);
    store.set("gateway", H.global(), SettingValue.of("stripe"), Expect.any(), AUDIT);

    assertThat(store.kill("gateway", AUDIT)).isPresent();
    assertThat(store.kill("gateway", AUDIT)).isEmpty();
    long revision = store.revision();
    assertThat(store.load("gateway").killed()).isTrue();
    try (Toggles toggles = Toggles.builder(otherNode()).syncInterval(Duration.ZERO).build()) {
      assertThat(toggles.getString("gateway", toggles.context(null, null, null), "none"))
          .isEqualTo("adyen");
    }
    assertThat(store.revision()).isEqualTo(revision);
  }

  @Test
  void changingTheTypeOfAFeatureWithRowsIsRefused() {
    store.define(FeatureDefinition.bool("f"), AUDIT);
    store.set("f", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    assertThatThrownBy(
            () -> store.define(FeatureDefinition.builder("f", SettingType.LONG).build(), AUDIT))
        .hasMessageContaining("remove them before changing its type");
    assertThat(store.features().get(0).type()).isEqualTo(SettingType.BOOLEAN);
  }

  // ------------------------------------------------------------------------- garbage

  @Test
  void garbageWrittenByHandBreaksOnlyItsOwnRow() throws SQLException {
    store.define(
        FeatureDefinition.builder("limit", SettingType.LONG)
            .defaultValue(SettingValue.of(10L))
            .build(),
        AUDIT);
    store.set("limit", scope("p1", null, null), SettingValue.of(20L), Expect.any(), AUDIT);
    store.define(FeatureDefinition.bool("other"), AUDIT);
    store.set("other", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    insertRow("limit", "p2", null, null, "twenty"); // not a long
    insertRow("limit", " p3", null, null, "30"); // a scope value the API never writes
    sql(
        "INSERT INTO "
            + target.prefix()
            + "features (feature, value_type, default_value, description, owner, killed, version,"
            + " updated_at, updated_by) VALUES ('weird', 'COLOUR', 'red', '', '', FALSE, 1,"
            + " CURRENT_TIMESTAMP, 'dba')");
    insertRow("weird", null, null, null, "blue");

    FeatureState limit = store.load("limit");
    assertThat(limit.rows())
        .containsExactly(new Setting("limit", scope("p1", null, null), SettingValue.of(20L), 1));
    assertThat(store.load("weird").definition()).isEmpty();
    assertThat(store.load("weird").rows()).isEmpty();
    List<FeatureState> all = store.loadAll();
    assertThat(all).extracting(FeatureState::key).containsExactly("limit", "other", "weird");
    assertThat(sorted(all.get(0))).isEqualTo(sorted(limit));
    assertThat(all.get(1).rows()).hasSize(1);

    try (Toggles toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build()) {
      assertThat(toggles.getLong("limit", toggles.context("p2", null, null), -1)).isEqualTo(10);
      assertThat(toggles.getLong("limit", toggles.context("p1", null, null), -1)).isEqualTo(20);
      assertThat(toggles.isEnabled("other", toggles.context(null, null, null))).isTrue();
    }

    // The write API can repair the garbage row: it replaces it, keeping the version count.
    Change fixed =
        store.set("limit", scope("p2", null, null), SettingValue.of(25L), Expect.version(1), AUDIT);
    assertThat(fixed.oldValue()).isEmpty();
    assertThat(fixed.newVersion()).hasValue(2);
    assertThat(store.load("limit").rows()).hasSize(2);
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
                .tablePrefix(target.prefix())
                .build()); // does not connect
    assertThatThrownBy(down::revision)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("database unreachable")
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret-pw");
              }
            });
  }
}
