package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Readers never see part of a write (issue 11, finding 3): imports of 5,000 rows over five
 * features, each import one change set, while 4 threads read continuously on each of 3 nodes. Two
 * nodes sync after every import; the third is held back until every import is written and then
 * catches up from far behind, reading the change log 7 entries at a time.
 *
 * <p>Every row of import {@code g} holds the value {@code g}. A <em>torn read</em> is a check that
 * answers a value older than one the same thread already saw, on the same node, for any row of any
 * feature: once a reader saw a row of import {@code g}, every later check it makes must answer
 * {@code g} or newer. A node that published part of an import (one feature before another, or one
 * page of the change log before the next) would let a reader see a new row and then an old one.
 * Generations never go back here (no restore), so the count of torn reads must be zero. Half the
 * readers check by name, half through {@link Feature} handles.
 */
class WholeWriteTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("importer", "whole write test");
  private static final int FEATURES = 5;
  private static final int ROWS_PER_FEATURE = 1_000;
  private static final int IMPORTS = 4;
  private static final int READERS_PER_NODE = 4;
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static String feature(int f) {
    return "imported-" + f;
  }

  private static Scope scope(int row) {
    return Scope.of(H, "p" + row, null, null);
  }

  /** Import {@code g}: every row of every feature set to {@code g}, in one write. */
  private static List<FeatureState> importOf(long g) {
    List<FeatureState> out = new ArrayList<>();
    for (int f = 0; f < FEATURES; f++) {
      FeatureDefinition def =
          FeatureDefinition.builder(feature(f), SettingType.LONG).defaultValue("-1").build();
      List<Setting> rows = new ArrayList<>();
      for (int r = 0; r < ROWS_PER_FEATURE; r++) {
        rows.add(new Setting(feature(f), scope(r), SettingValue.of(g), 1));
      }
      out.add(new FeatureState(feature(f), Optional.of(def), false, rows, 0));
    }
    return out;
  }

  @Test
  void importsOf5000RowsAreSeenWholeByEveryReaderOnEveryNodeIncludingOneFarBehind()
      throws Exception {
    InMemoryStore store = InMemoryStore.create(H);
    store.importAll(importOf(1), false, AUDIT);
    List<Toggles> nodes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3 * READERS_PER_NODE + 1);
    try {
      for (int n = 0; n < 3; n++) {
        Toggles.Builder b = Toggles.builder(store).syncInterval(Duration.ZERO);
        if (n == 2) {
          b.changePageSize(7);
        }
        nodes.add(b.build());
      }
      Toggles behind = nodes.get(2);
      Queue<String> torn = new ConcurrentLinkedQueue<>();
      AtomicLong reads = new AtomicLong();
      CountDownLatch started = new CountDownLatch(3 * READERS_PER_NODE);
      long last = IMPORTS + 1;
      List<Future<?>> readers = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        for (int i = 0; i < READERS_PER_NODE; i++) {
          Toggles t = nodes.get(n);
          int node = n;
          boolean byHandle = i % 2 == 1;
          long seed = n * 100L + i;
          readers.add(pool.submit(() -> read(t, node, byHandle, seed, last, started, torn, reads)));
        }
      }
      assertThat(started.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      for (long g = 2; g <= last; g++) {
        List<Change> written = store.importAll(importOf(g), false, AUDIT);
        assertThat(written).hasSize(FEATURES * ROWS_PER_FEATURE);
        assertThat(written).allSatisfy(c -> assertThat(c.changeSet()).isEqualTo(store.revision()));
        nodes.get(0).sync();
        nodes.get(1).sync();
      }
      long far = store.revision() - behind.revision();
      assertThat(far).as("changes the third node is behind").isEqualTo((last - 1) * 5_000);
      behind.sync();
      assertThat(behind.revision()).isEqualTo(store.revision());
      for (Future<?> r : readers) {
        r.get(DEADLINE.toSeconds(), TimeUnit.SECONDS); // each stops once it saw the last import
      }
      assertThat(torn).as("torn reads").isEmpty();
      assertThat(reads.get()).isGreaterThan(3L * READERS_PER_NODE * 100);
    } finally {
      pool.shutdownNow();
      nodes.forEach(Toggles::close);
    }
  }

  /**
   * A write that commits after the node read the head and before it reads the change log is applied
   * whole, although the page it reads first ends inside it: the node reads on to the end of the
   * write's change set before it publishes.
   */
  @Test
  void aWriteThatCommitsWhileTheNodeReadsTheLogIsAppliedWhole() {
    InMemoryStore memory = InMemoryStore.create(H);
    memory.importAll(importOf(1), false, AUDIT);
    ControllableStore store = new ControllableStore(memory);
    try (Toggles t = Toggles.builder(store).syncInterval(Duration.ZERO).changePageSize(3).build()) {
      memory.set(feature(0), scope(0), SettingValue.of(2), Expect.any(), AUDIT); // the head's
      AtomicInteger reads = new AtomicInteger();
      store.beforeChanges(
          () -> {
            if (reads.getAndIncrement() == 0) {
              memory.importAll(importOf(3), false, AUDIT); // 5,000 changes, one change set
            }
          });
      t.sync();
      assertThat(t.revision()).isEqualTo(memory.revision());
      for (int f = 0; f < FEATURES; f++) {
        for (int r = 0; r < ROWS_PER_FEATURE; r += 111) {
          assertThat(t.getLong(feature(f), Context.of(H, "p" + r, null, null), -1))
              .as("%s row %d", feature(f), r)
              .isEqualTo(3);
        }
      }
    }
  }

  /**
   * Checks random rows of random features until it saw the last import on its node; records every
   * check that answers older than what this thread saw before.
   */
  private static void read(
      Toggles t,
      int node,
      boolean byHandle,
      long seed,
      long last,
      CountDownLatch started,
      Queue<String> torn,
      AtomicLong reads) {
    Random rnd = new Random(seed);
    Feature[] handles = new Feature[FEATURES];
    Context[] contexts = new Context[ROWS_PER_FEATURE];
    for (int f = 0; f < FEATURES; f++) {
      handles[f] = t.feature(feature(f));
    }
    for (int r = 0; r < ROWS_PER_FEATURE; r++) {
      contexts[r] = Context.of(H, "p" + r, "m1", "DE");
    }
    started.countDown();
    long seen = 0;
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      int f = rnd.nextInt(FEATURES);
      // Often the first or last row of a feature, the ends of an import.
      int r =
          switch (rnd.nextInt(4)) {
            case 0 -> 0;
            case 1 -> ROWS_PER_FEATURE - 1;
            default -> rnd.nextInt(ROWS_PER_FEATURE);
          };
      long v =
          byHandle
              ? handles[f].getLong(contexts[r], Long.MIN_VALUE)
              : t.getLong(feature(f), contexts[r], Long.MIN_VALUE);
      reads.incrementAndGet();
      if (v < seen) {
        torn.add(
            "node "
                + node
                + (byHandle ? " by handle" : " by name")
                + ": "
                + feature(f)
                + " row "
                + r
                + " answered import "
                + v
                + " after this reader saw import "
                + seen);
        return;
      }
      seen = v;
      if (seen == last) {
        return;
      }
    }
    torn.add("node " + node + ": reader stopped at import " + seen + " before seeing " + last);
  }
}
