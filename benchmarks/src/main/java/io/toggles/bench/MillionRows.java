package io.toggles.bench;

import io.toggles.Context;
import io.toggles.InMemoryStore;
import io.toggles.Toggles;
import java.time.Duration;
import java.util.Random;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The worst case: a warm {@link Toggles} over a feature of 1,000,000 rows on all 8 precedence
 * masks, and 65,536 random full contexts (product, merchant and country all present, so every level
 * is probed) drawn mostly from ids the rows do not name: most probes miss on every level down to
 * the global row, and the probes land at random places in a 1,000,000-row index, so the measured
 * cost includes cache misses to main memory.
 */
@State(Scope.Benchmark)
public class MillionRows {
  static final String FEATURE = "checkout.scoped-1m";
  static final int N = 1 << 16;
  static final int MASK = N - 1;

  Toggles toggles;
  final Context[] contexts = new Context[N];
  final String[] products = new String[N];
  final String[] merchants = new String[N];
  final String[] countries = new String[N];

  /** Loads the store, warms the cache and checks every context against the oracle. */
  @Setup(Level.Trial)
  public void setUp() {
    Rows rows = Rows.oneMillion();
    InMemoryStore store = InMemoryStore.create(Rows.HIERARCHY);
    rows.writeTo(store, FEATURE);
    toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();

    Random rnd = new Random(7);
    int[] winners = new int[9];
    for (int i = 0; i < N; i++) {
      // Ids up to 10x beyond the rows' domains: a random request mostly names ids without rows.
      int pi = rnd.nextInt(rows.products * 10);
      int mi = rnd.nextInt(rows.merchants * 10);
      int ci = rnd.nextInt(rows.countries * 2);
      contexts[i] = Rows.context(pi, mi, ci);
      products[i] = Rows.product(pi);
      merchants[i] = Rows.merchant(mi);
      countries[i] = Rows.country(ci);
      boolean want = rows.expected(pi, mi, ci);
      if (toggles.isEnabled(FEATURE, contexts[i]) != want
          || toggles.isEnabled(FEATURE, products[i], merchants[i], countries[i]) != want) {
        throw new IllegalStateException("fixture disagrees with the oracle at " + contexts[i]);
      }
      winners[rows.winningMask(pi, mi, ci) + 1]++;
    }
    StringBuilder sb = new StringBuilder("\n1M rows: winning mask of the contexts (7 = p+m+c):");
    for (int mask = 7; mask >= 0; mask--) {
      sb.append(String.format(" %d=%.1f%%", mask, 100.0 * winners[mask + 1] / N));
    }
    System.out.println(sb);
  }

  /** Stops the toggles. */
  @TearDown(Level.Trial)
  public void tearDown() {
    toggles.close();
  }
}
