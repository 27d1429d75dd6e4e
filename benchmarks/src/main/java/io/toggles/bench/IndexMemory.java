package io.toggles.bench;

import io.toggles.Change;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Toggles;
import io.toggles.spi.ToggleStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Measures the heap that {@link Toggles} retains for a cached feature of 1,000,000 scoped rows
 * (10,000 products, 1,000 merchants, 50 countries, all 8 precedence masks; see {@link
 * Rows#oneMillion}).
 *
 * <p>Method: the store generates the rows afresh on each load, with new String objects per row as a
 * JDBC driver would, and keeps nothing of them, so everything the cache keeps is counted, including
 * the id strings it retains. The heap in use is read from the {@link MemoryMXBean} after repeated
 * full collections, before and after building a {@link Toggles} that preloads the feature, while a
 * strong reference keeps the toggles alive; a {@link Toggles} over an empty store is measured the
 * same way and subtracted. Run with a fixed heap and the serial collector (as {@code
 * benchmarks/run} does) so that "used" means live bytes.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.toggles.bench.IndexMemory [rounds]}.
 */
public final class IndexMemory {
  private static final String FEATURE = "checkout.scoped-1m";
  private static final long LIMIT = 64L << 20;

  private IndexMemory() {}

  /**
   * Prints the retained heap per round and the median, and exits with status 1 if the median is
   * over 64 MiB.
   */
  public static void main(String[] args) throws InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Rows rows = Rows.oneMillion();
    GeneratedStore empty = new GeneratedStore(null);
    GeneratedStore full = new GeneratedStore(rows);

    long[] retained = new long[rounds];
    for (int round = 0; round < rounds; round++) {
      long overhead = retainedBy(empty);
      long total = retainedBy(full);
      retained[round] = total - overhead;
      System.out.printf(
          "round %d: retained %,d bytes (%.1f MiB, %.1f bytes/row); toggles over an empty store"
              + " %,d bytes%n",
          round + 1,
          retained[round],
          retained[round] / 1048576.0,
          (double) retained[round] / rows.size(),
          overhead);
    }
    Arrays.sort(retained);
    long median = retained[rounds / 2];
    System.out.printf(
        "index for %,d rows: %.1f MiB retained (%.1f bytes/row), limit 64 MiB: %s%n",
        rows.size(),
        median / 1048576.0,
        (double) median / rows.size(),
        median <= LIMIT ? "OK" : "OVER");
    if (median > LIMIT) {
      System.exit(1);
    }
  }

  /** Heap retained by toggles preloaded from {@code store}; checks its answers on a sample. */
  private static long retainedBy(GeneratedStore store) throws InterruptedException {
    long before = usedAfterGc();
    Toggles toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();
    long after = usedAfterGc();
    Rows rows = store.rows;
    if (rows != null) {
      verify(toggles, rows);
    }
    Reference.reachabilityFence(toggles);
    toggles.close();
    return after - before;
  }

  private static void verify(Toggles toggles, Rows rows) {
    Random rnd = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      int r = rnd.nextInt(rows.size());
      int p = rows.p[r] >= 0 ? rows.p[r] : rnd.nextInt(rows.products);
      int m = rows.m[r] >= 0 ? rows.m[r] : rnd.nextInt(rows.merchants);
      int c = rows.c[r] >= 0 ? rows.c[r] : rnd.nextInt(rows.countries);
      if (toggles.isEnabled(FEATURE, Rows.context(p, m, c)) != rows.expected(p, m, c)) {
        throw new IllegalStateException("index disagrees with the oracle");
      }
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** A store that generates the feature's rows on every load and keeps none of them. */
  private static final class GeneratedStore implements ToggleStore {
    final @Nullable Rows rows;

    GeneratedStore(@Nullable Rows rows) {
      this.rows = rows;
    }

    @Override
    public Hierarchy hierarchy() {
      return Rows.HIERARCHY;
    }

    @Override
    public long revision() {
      return 1;
    }

    @Override
    public FeatureState load(String feature) {
      Rows r = rows;
      return r != null && feature.equals(FEATURE)
          ? r.state(FEATURE, 1)
          : FeatureState.absent(feature, 1);
    }

    @Override
    public List<FeatureState> loadAll() {
      return rows == null ? List.of() : List.of(load(FEATURE));
    }

    @Override
    public Optional<List<Change>> changesSince(long revision, int limit) {
      return Optional.of(List.of());
    }
  }
}
