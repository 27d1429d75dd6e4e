package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Compares the resolver with an independent oracle: the generalised precedence query, run by H2
 * over the same rows. Random hierarchies of 1 to 5 dimensions, random rows (at most one per scope)
 * over a three-letter alphabet so that matches are frequent, and random contexts with absent
 * values.
 */
class ResolverOracleProperties {
  private static final Set<String> RESERVED =
      Set.of("feature", "value", "version", "updated_at", "updated_by", "revision", "kind");
  private static Connection h2;
  private static ScheduledExecutorService executor;

  @BeforeContainer
  static void open() throws SQLException {
    h2 = DriverManager.getConnection("jdbc:h2:mem:oracle_" + System.nanoTime());
    executor = Executors.newScheduledThreadPool(1);
  }

  @AfterContainer
  static void close() throws SQLException {
    h2.close();
    executor.shutdownNow();
  }

  /** One generated case. */
  record Case(
      List<String> dimensions,
      List<List<String>> rows,
      List<List<String>> contexts,
      Optional<Long> declaredDefault) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<String> name =
        Combinators.combine(
                Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withCharRange('0', '9')
                    .withChars('_')
                    .ofMaxLength(12))
            .as((first, rest) -> first + rest)
            .filter(n -> !RESERVED.contains(n));
    Arbitrary<String> cell = Arbitraries.of("a", "b", "c").injectNull(0.45);
    return name.list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .uniqueElements()
        .flatMap(
            dims -> {
              int n = dims.size();
              Arbitrary<List<List<String>>> rows =
                  cell.list().ofSize(n).list().ofMaxSize(15).uniqueElements();
              Arbitrary<List<List<String>>> contexts =
                  cell.list().ofSize(n).list().ofMinSize(1).ofMaxSize(10);
              Arbitrary<Optional<Long>> dflt =
                  Arbitraries.longs().between(1000, 2000).optional(0.5);
              return Combinators.combine(rows, contexts, dflt)
                  .as((r, c, d) -> new Case(dims, r, c, d));
            });
  }

  @Property(tries = 300)
  void resolverAgreesWithThePrecedenceQuery(@ForAll("cases") Case c) throws SQLException {
    Hierarchy h = new Hierarchy(c.dimensions());
    loadOracle(c);
    InMemoryStore store = InMemoryStore.create(h);
    FeatureDefinition.Builder def = FeatureDefinition.builder("f", SettingType.LONG);
    c.declaredDefault().ifPresent(d -> def.defaultValue(SettingValue.of(d)));
    store.define(def.build(), TestSupport.AUDIT);
    store.define(FeatureDefinition.bool("b"), TestSupport.AUDIT);
    for (int i = 0; i < c.rows().size(); i++) {
      Scope scope = Scope.of(h, c.rows().get(i).toArray(new String[0]));
      store.set("f", scope, SettingValue.of(i), Expect.absent(), TestSupport.AUDIT);
      store.set("b", scope, SettingValue.of(i % 2 == 0), Expect.absent(), TestSupport.AUDIT);
    }
    try (Toggles t =
        Toggles.builder(store)
            .syncInterval(Duration.ZERO)
            .missWait(Duration.ofSeconds(10))
            .executor(executor)
            .build()) {
      for (List<String> values : c.contexts()) {
        OptionalInt oracle = oracle(c.dimensions(), values);
        Context ctx = Context.of(h, values.toArray(new String[0]));
        long expected = oracle.isPresent() ? oracle.getAsInt() : c.declaredDefault().orElse(-1L);
        assertThat(t.getLong("f", ctx, -1)).as("%s over %s", ctx, c.rows()).isEqualTo(expected);
        boolean expectedBool = oracle.isPresent() && oracle.getAsInt() % 2 == 0;
        assertThat(t.isEnabled("b", ctx)).isEqualTo(expectedBool);
        if (h.size() <= 3) {
          String v0 = values.get(0);
          String v1 = h.size() > 1 ? values.get(1) : null;
          String v2 = h.size() > 2 ? values.get(2) : null;
          boolean raw =
              h.size() == 1
                  ? t.isEnabled("b", v0)
                  : h.size() == 2 ? t.isEnabled("b", v0, v1) : t.isEnabled("b", v0, v1, v2);
          assertThat(raw).as("raw %s", values).isEqualTo(expectedBool);
        }
        // Checks may swap the context's values for the index's equal instances: never visibly.
        assertThat(ctx).isEqualTo(Context.of(h, values.toArray(new String[0])));
        assertThat(t.getLong("f", ctx, -1)).as("again %s", ctx).isEqualTo(expected);
        Explanation e = t.explain("f", ctx);
        assertThat(e.winner().map(w -> w.value()))
            .isEqualTo(
                oracle.isPresent()
                    ? Optional.of(SettingValue.of(oracle.getAsInt()))
                    : Optional.empty());
        assertThat(e.outranked().size() + e.excludedTotal() + (oracle.isPresent() ? 1 : 0))
            .isEqualTo(c.rows().size());
      }
    }
  }

  private static String column(String dimension) {
    return "\"" + dimension + "\"";
  }

  private static void loadOracle(Case c) throws SQLException {
    try (Statement s = h2.createStatement()) {
      s.execute("DROP TABLE IF EXISTS oracle_rows");
      StringBuilder ddl = new StringBuilder("CREATE TABLE oracle_rows (v INT NOT NULL");
      for (String d : c.dimensions()) {
        ddl.append(", ").append(column(d)).append(" VARCHAR(128)");
      }
      s.execute(ddl.append(')').toString());
    }
    StringBuilder insert = new StringBuilder("INSERT INTO oracle_rows VALUES (?");
    c.dimensions().forEach(d -> insert.append(", ?"));
    try (PreparedStatement ps = h2.prepareStatement(insert.append(')').toString())) {
      for (int i = 0; i < c.rows().size(); i++) {
        ps.setInt(1, i);
        List<String> row = c.rows().get(i);
        for (int j = 0; j < row.size(); j++) {
          ps.setString(j + 2, row.get(j));
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The generalised precedence query: the most specific matching row, or empty. */
  private static OptionalInt oracle(List<String> dimensions, List<String> context)
      throws SQLException {
    List<String> where = new ArrayList<>();
    List<String> order = new ArrayList<>();
    List<String> params = new ArrayList<>();
    for (int i = 0; i < dimensions.size(); i++) {
      String col = column(dimensions.get(i));
      if (context.get(i) == null) {
        where.add(col + " IS NULL");
      } else {
        where.add("(" + col + " IS NULL OR " + col + " = ?)");
        params.add(context.get(i));
      }
      order.add("CASE WHEN " + col + " IS NULL THEN 0 ELSE 1 END DESC");
    }
    String sql =
        "SELECT v FROM oracle_rows WHERE "
            + String.join(" AND ", where)
            + " ORDER BY "
            + String.join(", ", order)
            + " LIMIT 1";
    try (PreparedStatement ps = h2.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        ps.setString(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
      }
    }
  }
}
