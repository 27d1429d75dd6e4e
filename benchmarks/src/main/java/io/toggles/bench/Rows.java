package io.toggles.bench;

import io.toggles.Audit;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Deterministic rows of one boolean feature on the default hierarchy (product, merchant, country),
 * kept as compact int columns so that the 1,000,000-row fixture costs little besides what it is
 * loaded into. Dimension values are numbers turned into realistic ids on demand; -1 is a wildcard.
 *
 * <p>Also the oracle the benchmarks verify the library against before they measure: {@link
 * #expected} resolves a context by probing the rows' scopes in precedence order.
 */
final class Rows {
  static final Hierarchy HIERARCHY = Hierarchy.DEFAULT;
  static final Audit AUDIT = Audit.of("bench", "benchmark fixture");

  final int products;
  final int merchants;
  final int countries;
  final int[] p;
  final int[] m;
  final int[] c;
  final boolean[] on;
  private final Map<Long, Boolean> byScope;

  /**
   * Generates rows: {@code perMask[mask]} rows for each precedence mask (bit 2 = product, bit 1 =
   * merchant, bit 0 = country), with values drawn from the given domain sizes.
   */
  Rows(int products, int merchants, int countries, int[] perMask, long seed) {
    this.products = products;
    this.merchants = merchants;
    this.countries = countries;
    int n = 0;
    for (int k : perMask) {
      n += k;
    }
    p = new int[n];
    m = new int[n];
    c = new int[n];
    on = new boolean[n];
    byScope = new HashMap<>(n * 2);
    Random rnd = new Random(seed);
    int r = 0;
    for (int mask = 7; mask >= 0; mask--) {
      long capacity =
          ((mask & 4) != 0 ? products : 1L)
              * ((mask & 2) != 0 ? merchants : 1L)
              * ((mask & 1) != 0 ? countries : 1L);
      if (perMask[mask] > capacity) {
        throw new IllegalArgumentException(
            "mask " + mask + " holds at most " + capacity + " rows, asked " + perMask[mask]);
      }
      for (int k = 0; k < perMask[mask]; k++) {
        int pi;
        int mi;
        int ci;
        long key;
        do {
          pi = (mask & 4) != 0 ? rnd.nextInt(products) : -1;
          mi = (mask & 2) != 0 ? rnd.nextInt(merchants) : -1;
          ci = (mask & 1) != 0 ? rnd.nextInt(countries) : -1;
          key = key(pi, mi, ci);
        } while (byScope.containsKey(key));
        p[r] = pi;
        m[r] = mi;
        c[r] = ci;
        on[r] = mask == 0 ? false : rnd.nextBoolean();
        byScope.put(key, on[r]);
        r++;
      }
    }
  }

  /** The 10,000-row feature of the warm-cache benchmarks: every precedence level populated. */
  static Rows tenThousand() {
    return new Rows(2_000, 500, 30, new int[] {1, 20, 400, 1_500, 1_000, 1_079, 4_000, 2_000}, 1);
  }

  /**
   * The 1,000,000-row feature of the worst-case benchmark and the memory harness: 10,000 products,
   * 1,000 merchants, 50 countries, rows on all 8 precedence masks, most of them product x merchant
   * (x country) overrides.
   */
  static Rows oneMillion() {
    int[] perMask = {1, 5, 500, 20_000, 5_000, 100_000, 300_000, 0};
    int rest = 1_000_000;
    for (int k : perMask) {
      rest -= k;
    }
    perMask[7] = rest;
    return new Rows(10_000, 1_000, 50, perMask, 2);
  }

  int size() {
    return p.length;
  }

  private long key(int pi, int mi, int ci) {
    return ((long) (pi + 1) * (merchants + 1L) + (mi + 1)) * (countries + 1L) + (ci + 1);
  }

  /** What the rows decide for a full context of ids (indexes may lie outside the row domains). */
  boolean expected(int pi, int mi, int ci) {
    for (int mask = 7; mask >= 0; mask--) {
      int qp = (mask & 4) != 0 ? pi : -1;
      int qm = (mask & 2) != 0 ? mi : -1;
      int qc = (mask & 1) != 0 ? ci : -1;
      if (qp >= products || qm >= merchants || qc >= countries) {
        continue;
      }
      Boolean v = byScope.get(key(qp, qm, qc));
      if (v != null) {
        return v;
      }
    }
    return false;
  }

  /** The precedence mask of the row that wins for a full context, -1 when none does. */
  int winningMask(int pi, int mi, int ci) {
    for (int mask = 7; mask >= 0; mask--) {
      int qp = (mask & 4) != 0 ? pi : -1;
      int qm = (mask & 2) != 0 ? mi : -1;
      int qc = (mask & 1) != 0 ? ci : -1;
      if (qp >= products || qm >= merchants || qc >= countries) {
        continue;
      }
      if (byScope.containsKey(key(qp, qm, qc))) {
        return mask;
      }
    }
    return -1;
  }

  // Fresh String objects on every call, as a request parser or a JDBC driver would produce them.

  static @Nullable String product(int i) {
    return i < 0 ? null : "prod-" + (100_000 + i);
  }

  static @Nullable String merchant(int i) {
    return i < 0 ? null : "merchant-" + (10_000 + i);
  }

  static @Nullable String country(int i) {
    return i < 0 ? null : new String(new char[] {(char) ('A' + i / 26), (char) ('A' + i % 26)});
  }

  /** A context of fresh strings. */
  static Context context(int pi, int mi, int ci) {
    return Context.of(HIERARCHY, product(pi), merchant(mi), country(ci));
  }

  /** Row {@code r} as a setting of {@code feature}. */
  Setting setting(String feature, int r) {
    return new Setting(
        feature,
        Scope.of(HIERARCHY, product(p[r]), merchant(m[r]), country(c[r])),
        SettingValue.of(on[r]),
        1);
  }

  /** The feature as a store would load it: declared boolean, not killed, these rows. */
  FeatureState state(String feature, long revision) {
    List<Setting> settings = new ArrayList<>(size());
    for (int r = 0; r < size(); r++) {
      settings.add(setting(feature, r));
    }
    return new FeatureState(
        feature, Optional.of(FeatureDefinition.bool(feature)), false, settings, revision);
  }

  /** Declares {@code feature} in the store and writes these rows to it. */
  void writeTo(InMemoryStore store, String feature) {
    store.define(FeatureDefinition.bool(feature), AUDIT);
    for (int r = 0; r < size(); r++) {
      Setting s = setting(feature, r);
      store.set(feature, s.scope(), s.value(), Expect.any(), AUDIT);
    }
  }
}
