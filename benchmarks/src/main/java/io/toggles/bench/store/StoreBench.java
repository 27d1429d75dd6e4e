package io.toggles.bench.store;

import io.toggles.Audit;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.SettingValue;
import io.toggles.Toggles;
import io.toggles.jdbc.Dialect;
import io.toggles.jdbc.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The store benchmark of issue 4: 1,000,000 scoped rows across 1,000 features (one of them with
 * 100,000 rows) on H2 (in memory) and PostgreSQL (embedded), and what it costs to load them, keep
 * them and follow changes. Prints a Markdown table. Run it with {@code benchmarks/run-store}.
 *
 * <p>Arguments (all optional): {@code --rows N}, {@code --features N}, {@code --big N} (rows of the
 * big feature), {@code --nodes N}, {@code --flips N}, {@code --poll-ms N}, {@code --db
 * h2,postgres}.
 */
public final class StoreBench {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("bench", "benchmark");
  private static final String BIG = "big";
  private static final String FLIP = "flip";

  private final int rows;
  private final int features;
  private final int bigRows;
  private final int nodes;
  private final int flips;
  private final Duration poll;

  private StoreBench(Map<String, String> args) {
    this.rows = Integer.parseInt(args.getOrDefault("rows", "1000000"));
    this.features = Integer.parseInt(args.getOrDefault("features", "1000"));
    this.bigRows = Integer.parseInt(args.getOrDefault("big", "100000"));
    this.nodes = Integer.parseInt(args.getOrDefault("nodes", "4"));
    this.flips = Integer.parseInt(args.getOrDefault("flips", "40"));
    this.poll = Duration.ofMillis(Long.parseLong(args.getOrDefault("poll-ms", "250")));
    if (features < 2 || bigRows >= rows || rows - bigRows < features - 1) {
      throw new IllegalArgumentException("need features >= 2 and rows > big + features");
    }
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Args.parse(argv);
    StoreBench bench = new StoreBench(args);
    List<String> dbs = Arrays.asList(args.getOrDefault("db", "h2,postgres").split(","));
    Map<String, Map<String, String>> results = new LinkedHashMap<>();
    if (dbs.contains("h2")) {
      String url = "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1";
      results.put("H2 2.x (in memory, embedded)", bench.run(url, "sa", Dialect.H2));
    }
    if (dbs.contains("postgres")) {
      try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
        String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
        String version;
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
          version = c.getMetaData().getDatabaseProductVersion();
        }
        results.put(
            "PostgreSQL " + version + " (embedded)",
            bench.run(url, "postgres", Dialect.POSTGRESQL));
      }
    }
    bench.print(results);
  }

  private Map<String, String> run(String url, String user, Dialect dialect) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    log("%s: loading %,d rows across %,d features", dialect, rows, features);
    try (JdbcStore admin = store(url, user)) {
      admin.createSchema();
      long t0 = System.nanoTime();
      bulkLoad(url, user, dialect);
      out.put("bulk insert of the rows (setup, not the library)", seconds(System.nanoTime() - t0));
      // One write through the API after the bulk load: revision 1 is in the change log.
      admin.define(FeatureDefinition.bool(FLIP), AUDIT);
      admin.set(FLIP, H.global(), SettingValue.of(false), Expect.any(), AUDIT);
      log("%s: store holds %s", dialect, admin.stats());

      out.put(
          "`JdbcStore.load` of one feature of "
              + String.format(Locale.ROOT, "%,d", bigRows)
              + " rows",
          millis(best(5, () -> check(admin.load(BIG).rows().size() == bigRows))));
      out.put(
          "first check of that feature (load + index build)",
          millis(best(5, () -> firstCheck(admin))));
      out.put(
          "`JdbcStore.loadAll`, " + String.format(Locale.ROOT, "%,d", rows) + " rows",
          millis(best(3, () -> check(admin.loadAll().size() == features + 1))));
      out.put(
          "cold start: `Toggles` build with preload of all rows",
          millis(bestTimed(3, () -> coldStart(url, user))));
      out.put("heap per cached row", heapPerRow(url, user));
      out.put("idle poll (one `sync()` with no change)", idlePoll(admin));
      out.putAll(flipToVisible(url, user, admin, dialect));
    }
    if (dialect == Dialect.H2) {
      try (Connection c = DriverManager.getConnection(url, user, "");
          Statement st = c.createStatement()) {
        st.execute("DROP ALL OBJECTS");
      }
    }
    return out;
  }

  private static JdbcStore store(String url, String user) {
    return JdbcStore.builder(url).user(user).build();
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("the benchmark read something unexpected");
    }
  }

  // ------------------------------------------------------------------------- data

  /** The rows of feature {@code f}: the big one first, the rest spread evenly. */
  private int rowsOf(int f) {
    if (f == 0) {
      return bigRows;
    }
    int rest = rows - bigRows;
    int others = features - 1;
    return rest / others + (f - 1 < rest % others ? 1 : 0);
  }

  private static String featureName(int f) {
    return f == 0 ? BIG : "f" + f;
  }

  /**
   * Row {@code j} of a feature: 100 products, a distinct merchant per row, every fourth row also
   * scoped to a country; values alternate.
   */
  private static String[] scope(int j) {
    return new String[] {"p" + (j % 100), "m" + j, j % 4 == 0 ? "C" + (j % 50) : null};
  }

  private void bulkLoad(String url, String user, Dialect dialect) throws SQLException, IOException {
    String value = dialect == Dialect.H2 ? "\"VALUE\"" : "value";
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO toggles_features (feature, value_type, default_value, description,"
                  + " owner, killed, version, updated_at, updated_by) VALUES (?, 'BOOLEAN',"
                  + " 'false', '', 'bench', FALSE, 1, CURRENT_TIMESTAMP, 'bench')")) {
        for (int f = 0; f < features; f++) {
          ps.setString(1, featureName(f));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      if (dialect == Dialect.POSTGRESQL) {
        CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
        String sql =
            "COPY toggles_settings (feature, product, merchant, country, value, version,"
                + " updated_at, updated_by) FROM STDIN WITH (FORMAT csv)";
        StringBuilder chunk = new StringBuilder(1 << 22);
        for (int f = 0; f < features; f++) {
          String name = featureName(f);
          for (int j = 0, n = rowsOf(f); j < n; j++) {
            String[] s = scope(j);
            chunk.append(name).append(',').append(s[0]).append(',').append(s[1]).append(',');
            if (s[2] != null) {
              chunk.append(s[2]);
            }
            chunk.append(',').append(j % 2 == 0).append(",1,2026-01-01 00:00:00+00,bench\n");
            if (chunk.length() > (1 << 22) - 200) {
              copy.copyIn(sql, new StringReader(chunk.toString()));
              chunk.setLength(0);
            }
          }
        }
        copy.copyIn(sql, new StringReader(chunk.toString()));
        try (Statement st = c.createStatement()) {
          st.execute("ANALYZE toggles_settings");
        }
      } else {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO toggles_settings (feature, product, merchant, country, "
                    + value
                    + ", version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 1,"
                    + " CURRENT_TIMESTAMP, 'bench')")) {
          int batch = 0;
          for (int f = 0; f < features; f++) {
            String name = featureName(f);
            for (int j = 0, n = rowsOf(f); j < n; j++) {
              String[] s = scope(j);
              ps.setString(1, name);
              ps.setString(2, s[0]);
              ps.setString(3, s[1]);
              ps.setString(4, s[2]);
              ps.setString(5, Boolean.toString(j % 2 == 0));
              ps.addBatch();
              if (++batch == 10_000) {
                ps.executeBatch();
                batch = 0;
              }
            }
          }
          ps.executeBatch();
        }
      }
      c.commit();
    }
  }

  // ------------------------------------------------------------------------- measures

  private interface Work {
    void run() throws Exception;
  }

  /** Measures itself and returns nanoseconds. */
  private interface Timed {
    long nanos() throws Exception;
  }

  /** The best of {@code n} runs after one warm-up run, in nanoseconds. */
  private static long best(int n, Work work) throws Exception {
    return bestTimed(
        n,
        () -> {
          long t = System.nanoTime();
          work.run();
          return System.nanoTime() - t;
        });
  }

  private static long bestTimed(int n, Timed timed) throws Exception {
    timed.nanos();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      best = Math.min(best, timed.nanos());
    }
    return best;
  }

  private void firstCheck(JdbcStore store) {
    try (Toggles t =
        Toggles.builder(store)
            .preload(false)
            .syncInterval(Duration.ZERO)
            .missWait(Duration.ofSeconds(10))
            .build()) {
      t.isEnabled(BIG, Context.of(H, "p1", "m1", "C1"));
      check(t.cached(BIG).orElseThrow().rows().size() == bigRows);
    }
  }

  /** A new node's start: a fresh store (its pool connected first) and toggles preloading all. */
  private static long coldStart(String url, String user) {
    try (JdbcStore s = store(url, user)) {
      s.revision(); // connect and check the schema outside the measured part
      long t = System.nanoTime();
      try (Toggles toggles =
          Toggles.builder(s).syncInterval(Duration.ZERO).startWait(Duration.ofMinutes(2)).build()) {
        long took = System.nanoTime() - t;
        check(toggles.health().status() == io.toggles.Health.Status.READY);
        return took;
      }
    }
  }

  private String heapPerRow(String url, String user) {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    try (JdbcStore s = store(url, user)) {
      s.revision();
      long before = settledHeap(mem);
      Toggles t =
          Toggles.builder(s).syncInterval(Duration.ZERO).startWait(Duration.ofMinutes(2)).build();
      long after = settledHeap(mem);
      long cachedRows = 0;
      for (int f = 0; f < features; f++) {
        cachedRows += t.cached(featureName(f)).map(FeatureState::rows).map(List::size).orElse(0);
      }
      t.close();
      check(cachedRows == rows);
      return String.format(
          Locale.ROOT,
          "%.0f bytes (%,d MB for %,d rows)",
          (after - before) / (double) cachedRows,
          (after - before) >> 20,
          cachedRows);
    }
  }

  private static long settledHeap(MemoryMXBean mem) {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long used = mem.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < (1 << 20)) {
        return used;
      }
      last = used;
    }
    return last;
  }

  private String idlePoll(JdbcStore s) {
    try (Toggles t = Toggles.builder(s).preload(false).syncInterval(Duration.ZERO).build()) {
      int n = 2_000;
      for (int i = 0; i < 500; i++) {
        t.sync();
      }
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        t.sync();
      }
      double us = (System.nanoTime() - start) / 1e3 / n;
      return String.format(Locale.ROOT, "%.0f µs (one statement)", us);
    }
  }

  private Map<String, String> flipToVisible(String url, String user, JdbcStore writer, Dialect d) {
    List<JdbcStore> stores = new ArrayList<>();
    List<Toggles> all = new ArrayList<>();
    Context ctx = Context.of(H, "p1", "m1", "DE");
    try {
      for (int i = 0; i < nodes; i++) {
        JdbcStore s = store(url, user);
        stores.add(s);
        Toggles t = Toggles.builder(s).preload(false).syncInterval(poll).build();
        all.add(t);
        t.isEnabled(FLIP, ctx);
      }
      int warmUp = 3;
      double[] ms = new double[nodes * flips];
      int n = 0;
      boolean value = false;
      for (int flip = -warmUp; flip < flips; flip++) {
        value = !value;
        // Start at a random point of the poll cycle, as a real flip would.
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(poll.toNanos()));
        long start = System.nanoTime();
        writer.set(FLIP, H.global(), SettingValue.of(value), Expect.any(), AUDIT);
        long[] seen = new long[nodes];
        long deadline = start + poll.plusSeconds(30).toNanos();
        int left = nodes;
        while (left > 0) {
          for (int i = 0; i < nodes; i++) {
            if (seen[i] == 0 && all.get(i).isEnabled(FLIP, ctx) == value) {
              seen[i] = System.nanoTime();
              left--;
            }
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("a flip did not reach every node within 30 s");
          }
          LockSupport.parkNanos(50_000);
        }
        if (flip >= 0) {
          for (long s : seen) {
            ms[n++] = (s - start) / 1e6;
          }
        }
      }
      Arrays.sort(ms);
      String how =
          d == Dialect.POSTGRESQL
              ? "LISTEN/NOTIFY, poll " + poll.toMillis() + " ms"
              : "polling every " + poll.toMillis() + " ms";
      Map<String, String> out = new LinkedHashMap<>();
      out.put(
          "flip-to-visible p50 / p99 / max, " + nodes + " nodes x " + flips + " flips",
          String.format(
              Locale.ROOT,
              "%.1f / %.1f / %.1f ms (%s)",
              percentile(ms, 50),
              percentile(ms, 99),
              ms[ms.length - 1],
              how));
      return out;
    } finally {
      all.forEach(Toggles::close);
      stores.forEach(JdbcStore::close);
    }
  }

  private static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  // ------------------------------------------------------------------------- output

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%,.0f ms", nanos / 1e6);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[store-bench] " + format + "%n", args);
  }

  private void print(Map<String, Map<String, String>> results) {
    List<String> dbs = new ArrayList<>(results.keySet());
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%,d scoped rows across %,d features (the biggest %,d rows); Java %s, %d CPUs, max heap"
                + " %,d MB%n%n",
            rows,
            features,
            bigRows,
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20));
    out.append("| Measure |");
    dbs.forEach(d -> out.append(' ').append(d).append(" |"));
    out.append("\n|---|");
    dbs.forEach(d -> out.append("---|"));
    out.append('\n');
    for (String measure : results.get(dbs.get(0)).keySet()) {
      out.append("| ").append(measure).append(" |");
      for (String d : dbs) {
        out.append(' ').append(results.get(d).getOrDefault(measure, "")).append(" |");
      }
      out.append('\n');
    }
    System.out.print(out);
  }
}
