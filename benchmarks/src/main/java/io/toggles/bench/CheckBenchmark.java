package io.toggles.bench;

import io.toggles.Explanation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Single-threaded checks on a warm cache (issue 2), beside a plain {@code ConcurrentHashMap.get}
 * and a Caffeine {@code getIfPresent} measured in the same run. Method names are {@code
 * case_variant}; the table compares each variant with its case's {@code _toggles} row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Xmn64m"})
public class CheckBenchmark {

  /** {@code isEnabled(feature, context)}: 10,000 rows, pre-built contexts reused. */
  @Benchmark
  public boolean warm10k_toggles(TenThousandRows s, Cursor k) {
    return s.toggles.isEnabled(TenThousandRows.FEATURE, s.contexts[k.next(TenThousandRows.MASK)]);
  }

  /**
   * One context reused for every call (the literal "reused context"): a product-level hit, so the
   * check probes one precedence group; beside the rotating contexts above, which probe several.
   */
  @Benchmark
  public boolean warm10k_togglesOneContext(TenThousandRows s) {
    return s.toggles.isEnabled(TenThousandRows.FEATURE, s.productHit);
  }

  /** The one-context check through a {@link io.toggles.Feature} handle. */
  @Benchmark
  public boolean warm10k_togglesOneContextHandle(TenThousandRows s) {
    return s.handle.isEnabled(s.productHit);
  }

  /** The same check through a {@link io.toggles.Feature} handle: no lookup by name. */
  @Benchmark
  public boolean warm10k_togglesHandle(TenThousandRows s, Cursor k) {
    return s.handle.isEnabled(s.contexts[k.next(TenThousandRows.MASK)]);
  }

  /** Baseline: {@code ConcurrentHashMap.get} of a pre-built "product|merchant|country" key. */
  @Benchmark
  public Boolean warm10k_concurrentHashMap(TenThousandRows s, Cursor k) {
    return s.map.get(s.mapKeys[k.next(TenThousandRows.MASK)]);
  }

  /** Baseline: Caffeine {@code getIfPresent} of the same keys. */
  @Benchmark
  public Boolean warm10k_caffeine(TenThousandRows s, Cursor k) {
    return s.cache.getIfPresent(s.mapKeys[k.next(TenThousandRows.MASK)]);
  }

  /** {@code isEnabled(feature, product, merchant, country)} from raw strings, no context object. */
  @Benchmark
  public boolean raw10k_toggles(TenThousandRows s, Cursor k) {
    int i = k.next(TenThousandRows.MASK);
    return s.toggles.isEnabled(
        TenThousandRows.FEATURE, s.products[i], s.merchants[i], s.countries[i]);
  }

  /**
   * One request's raw strings passed on every call, winning in the first group like the one-context
   * case: the raw-string path compares characters every time, since it has no context to remember
   * the index's instances in.
   */
  @Benchmark
  public boolean raw10k_togglesOneRequest(TenThousandRows s) {
    return s.toggles.isEnabled(TenThousandRows.FEATURE, s.hitProduct, s.hitMerchant, s.hitCountry);
  }

  /**
   * The one-context check by name with evaluation counts and usage marks off (the default), beside
   * the same check with counts on and with usage marks only, and the three through a handle: the
   * cost of {@code toggles.metrics.evaluations} on the check path, in one run (issue 17).
   */
  @Benchmark
  public boolean counts10k_toggles(TenThousandRows s) {
    return s.toggles.isEnabled(TenThousandRows.FEATURE, s.productHit);
  }

  /** By name, counting evaluations ({@code Toggles.Builder.countEvaluations(true)}). */
  @Benchmark
  public boolean counts10k_togglesCounted(TenThousandRows s) {
    return s.counted.isEnabled(TenThousandRows.FEATURE, s.productHit);
  }

  /** By name, usage marks only ({@code trackUsage(true)}): the mark is set, so only read. */
  @Benchmark
  public boolean counts10k_togglesUsage(TenThousandRows s) {
    return s.tracked.isEnabled(TenThousandRows.FEATURE, s.productHit);
  }

  /** Through a handle, counts and marks off. */
  @Benchmark
  public boolean counts10k_togglesHandle(TenThousandRows s) {
    return s.handle.isEnabled(s.productHit);
  }

  /** Through a handle, counting evaluations. */
  @Benchmark
  public boolean counts10k_togglesHandleCounted(TenThousandRows s) {
    return s.countedHandle.isEnabled(s.productHit);
  }

  /** Through a handle, usage marks only. */
  @Benchmark
  public boolean counts10k_togglesHandleUsage(TenThousandRows s) {
    return s.trackedHandle.isEnabled(s.productHit);
  }

  /** Worst case with pre-built contexts: 1,000,000 rows, random contexts, all 8 levels probed. */
  @Benchmark
  public boolean worst1m_toggles(MillionRows s, Cursor k) {
    return s.toggles.isEnabled(MillionRows.FEATURE, s.contexts[k.next(MillionRows.MASK)]);
  }

  /** Worst case from raw strings. */
  @Benchmark
  public boolean worst1m_togglesRaw(MillionRows s, Cursor k) {
    int i = k.next(MillionRows.MASK);
    return s.toggles.isEnabled(MillionRows.FEATURE, s.products[i], s.merchants[i], s.countries[i]);
  }

  /** {@code explain} of a typical feature of 12 rows. */
  @Benchmark
  public Explanation explain12_toggles(TenThousandRows s) {
    return s.toggles.explain(TenThousandRows.SMALL, s.smallContext);
  }

  /** {@code explain} of the 10,000-row feature: walks every row, lists the first 50 excluded. */
  @Benchmark
  public Explanation explain10k_toggles(TenThousandRows s, Cursor k) {
    return s.toggles.explain(TenThousandRows.FEATURE, s.contexts[k.next(TenThousandRows.MASK)]);
  }
}
