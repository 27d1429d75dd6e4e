package io.toggles.bench;

import io.toggles.Audit;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingValue;
import io.toggles.Toggles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Applying one flip to a cached feature of 100,000 rows (issue 4: at most 1 ms): one write to an
 * in-memory store, then {@code sync()}, which reads the revision and the one change and applies it
 * as a delta to the one precedence group it touches. The store's own write is included, so this is
 * an upper bound on the apply.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Xmn64m"})
public class FlipBenchmark {
  static final String FEATURE = "checkout.flip-100k";
  static final Hierarchy H = Rows.HIERARCHY;
  static final Audit AUDIT = Audit.of("bench", "flip");

  /** A store and toggles holding one feature of 100,000 rows in two precedence groups. */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Flips {
    InMemoryStore store;
    Toggles toggles;
    Scope flipped;
    boolean on;
    int added;

    /** Loads the feature in one import and warms the toggles. */
    @Setup(Level.Trial)
    public void setUp() {
      store = InMemoryStore.create(H);
      store.define(FeatureDefinition.bool(FEATURE), AUDIT);
      List<Setting> rows = new ArrayList<>();
      for (int i = 0; i < 100_000; i++) {
        // (product, merchant) is unique per row; half the rows also name a country.
        String p = "p" + (i % 20_000);
        String m = "m" + (i / 20_000);
        String c = i % 2 == 0 ? null : "DE";
        rows.add(new Setting(FEATURE, Scope.of(H, p, m, c), SettingValue.of(true), 1));
      }
      store.importAll(
          List.of(
              new FeatureState(
                  FEATURE, Optional.of(FeatureDefinition.bool(FEATURE)), false, rows, 0)),
          false,
          AUDIT);
      toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();
      flipped = rows.get(4_242).scope();
    }

    /** Stops the toggles. */
    @TearDown(Level.Trial)
    public void tearDown() {
      toggles.close();
    }
  }

  /** Flip the value of an existing row (the common incident case) and apply it. */
  @Benchmark
  public boolean flipExistingRow(Flips s) {
    s.on = !s.on;
    s.store.set(FEATURE, s.flipped, SettingValue.of(s.on), Expect.any(), AUDIT);
    s.toggles.sync();
    return s.on;
  }

  /** Add a new row to the largest group (its arrays and table are copied) and apply it. */
  @Benchmark
  public int addRow(Flips s) {
    int n = s.added++;
    s.store.set(
        FEATURE, Scope.of(H, "new-p" + n, "m0", null), SettingValue.of(true), Expect.any(), AUDIT);
    s.toggles.sync();
    return n;
  }
}
