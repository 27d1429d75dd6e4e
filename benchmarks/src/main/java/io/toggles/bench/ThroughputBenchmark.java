package io.toggles.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * The warm checks of {@link CheckBenchmark} on one shared {@code Toggles} from as many threads as
 * the machine has cores. Without contention the time per check on each thread stays what it is on
 * one thread, and total throughput grows with the cores; the table shows both.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(Threads.MAX)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Xmn64m"})
public class ThroughputBenchmark {

  /** As {@link CheckBenchmark#warm10k_toggles}, on every core. */
  @Benchmark
  public boolean warm10k_toggles(TenThousandRows s, Cursor k) {
    return s.toggles.isEnabled(TenThousandRows.FEATURE, s.contexts[k.next(TenThousandRows.MASK)]);
  }

  /** As {@link CheckBenchmark#raw10k_toggles}, on every core. */
  @Benchmark
  public boolean raw10k_toggles(TenThousandRows s, Cursor k) {
    int i = k.next(TenThousandRows.MASK);
    return s.toggles.isEnabled(
        TenThousandRows.FEATURE, s.products[i], s.merchants[i], s.countries[i]);
  }

  /** As {@link CheckBenchmark#counts10k_toggles}, on every core: one feature, counts off. */
  @Benchmark
  public boolean counts10k_toggles(TenThousandRows s) {
    return s.toggles.isEnabled(TenThousandRows.FEATURE, s.productHit);
  }

  /**
   * As {@link CheckBenchmark#counts10k_togglesCounted}, on every core: every thread counts checks
   * of the same feature, each on its own stripe.
   */
  @Benchmark
  public boolean counts10k_togglesCounted(TenThousandRows s) {
    return s.counted.isEnabled(TenThousandRows.FEATURE, s.productHit);
  }

  /** As {@link CheckBenchmark#warm10k_concurrentHashMap}, on every core. */
  @Benchmark
  public Boolean warm10k_concurrentHashMap(TenThousandRows s, Cursor k) {
    return s.map.get(s.mapKeys[k.next(TenThousandRows.MASK)]);
  }
}
