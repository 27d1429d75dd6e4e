package io.toggles.bench.store;

import io.toggles.Audit;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.jdbc.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The import benchmark of issue 13: an import of N rows (default 5,000) of one feature that inserts
 * them all, then one that updates every one of them, on H2 (in memory), embedded PostgreSQL and the
 * MariaDB server at {@code TOGGLES_BENCH_MARIADB_URL} (default {@code
 * jdbc:mariadb://127.0.0.1:3306/}, user root; skipped with a line on stderr when unreachable). Each
 * import is one transaction through {@link JdbcStore#importAll}. Prints a Markdown table of the
 * median of the rounds. Run it with {@code benchmarks/run-import}.
 *
 * <p>Arguments (all optional): {@code --rows N}, {@code --rounds N} (after one warm-up round),
 * {@code --db h2,postgres,mariadb}.
 */
public final class ImportBench {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("bench", "import benchmark");
  private static final String FEATURE = "imported";

  private final int rows;
  private final int rounds;

  private ImportBench(int rows, int rounds) {
    if (rows < 1 || rounds < 1) {
      throw new IllegalArgumentException("rows and rounds must be at least 1");
    }
    this.rows = rows;
    this.rounds = rounds;
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Args.parse(argv);
    ImportBench bench =
        new ImportBench(
            Integer.parseInt(args.getOrDefault("rows", "5000")),
            Integer.parseInt(args.getOrDefault("rounds", "3")));
    List<String> dbs = Arrays.asList(args.getOrDefault("db", "h2,postgres,mariadb").split(","));
    List<String> table = new ArrayList<>();
    table.add(
        "| database | insert "
            + bench.rows
            + " rows (ms) | update "
            + bench.rows
            + " rows (ms) | update / insert |");
    table.add("|---|---:|---:|---:|");
    for (String db : dbs) {
      switch (db.strip().toLowerCase(Locale.ROOT)) {
        case "h2" ->
            table.add(
                bench.run(
                    "H2 (in memory)", () -> "jdbc:h2:mem:" + name() + ";DB_CLOSE_DELAY=-1", "sa"));
        case "postgres" -> {
          try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            table.add(
                bench.run(
                    "PostgreSQL (embedded)",
                    () -> pg.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema(pg),
                    "postgres"));
          }
        }
        case "mariadb" -> {
          String server = mariaDbServer();
          Optional<String> row = bench.runMariaDb(server);
          row.ifPresent(table::add);
        }
        default -> throw new IllegalArgumentException("unknown database " + db);
      }
    }
    System.out.println(String.join("\n", table));
  }

  private interface Place {
    String newUrl() throws SQLException;
  }

  private static String name() {
    return "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static String schema(EmbeddedPostgres pg) throws SQLException {
    String schema = name();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    return schema;
  }

  private static String mariaDbServer() {
    String env = System.getenv("TOGGLES_BENCH_MARIADB_URL");
    return env == null || env.isBlank() ? "jdbc:mariadb://127.0.0.1:3306/" : env;
  }

  private Optional<String> runMariaDb(String server) throws SQLException {
    String database = "toggles_bench_" + name();
    try (Connection c = DriverManager.getConnection(server + "?connectTimeout=3000", "root", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      System.err.println("MariaDB not reachable at " + server + ", skipped: " + e.getMessage());
      return Optional.empty();
    }
    try {
      // One database, a table prefix of its own for each round.
      return Optional.of(run("MariaDB", () -> server + database, "root"));
    } finally {
      try (Connection c = DriverManager.getConnection(server, "root", "");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + database);
      }
    }
  }

  /** One warm-up round, then {@code rounds} timed ones, each on fresh tables. */
  private String run(String label, Place place, String user) throws SQLException {
    List<Long> inserts = new ArrayList<>();
    List<Long> updates = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      String url = place.newUrl();
      String prefix = "r" + round + "_";
      try (JdbcStore store = JdbcStore.builder(url).user(user).tablePrefix(prefix).build()) {
        store.createSchema();
        store.define(FeatureDefinition.builder(FEATURE, SettingType.LONG).build(), AUDIT);
        long t0 = System.nanoTime();
        int inserted = store.importAll(List.of(state(0)), false, AUDIT).size();
        long t1 = System.nanoTime();
        int updated = store.importAll(List.of(state(1)), false, AUDIT).size();
        long t2 = System.nanoTime();
        if (inserted != rows || updated != rows) {
          throw new IllegalStateException(
              "expected " + rows + " changes each, got " + inserted + " and " + updated);
        }
        System.err.printf(
            "%s round %d: insert %d ms, update %d ms%n",
            label, round, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        if (round > 0) {
          inserts.add((t1 - t0) / 1_000_000);
          updates.add((t2 - t1) / 1_000_000);
        }
      }
    }
    long insert = median(inserts);
    long update = median(updates);
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %.2f |",
        label,
        insert,
        update,
        insert == 0 ? 0.0 : (double) update / insert);
  }

  /** The feature with every row at {@code base + i}, in scopes of four shapes. */
  private FeatureState state(int base) {
    List<Setting> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      Scope s =
          switch (i % 4) {
            case 0 -> Scope.of(H, "p" + i, null, null);
            case 1 -> Scope.of(H, null, "m" + i, null);
            case 2 -> Scope.of(H, "p" + i, "m" + i, "DE");
            default -> Scope.of(H, null, null, "c" + i);
          };
      out.add(new Setting(FEATURE, s, SettingValue.of((long) base + i), 1));
    }
    return new FeatureState(
        FEATURE,
        Optional.of(FeatureDefinition.builder(FEATURE, SettingType.LONG).build()),
        false,
        out,
        0);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
