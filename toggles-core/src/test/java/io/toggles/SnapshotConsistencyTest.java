package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Readers check a feature while a writer replaces its snapshot generation after generation: every
 * read sees one whole generation (never a mix of two), generations never go backwards for a reader,
 * and no read throws.
 */
class SnapshotConsistencyTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Scope PRODUCT = Scope.of(H, "p1", null, null);
  private static final Context CTX = Context.of(H, "p1", "m1", "DE");
  // Replaced by the writer every generation with a context of fresh String objects, which the
  // readers' checks then swap for the index's instances concurrently.
  private static final AtomicReference<Context> SHARED = new AtomicReference<>(fresh());
  private static final int GENERATIONS = 1500;
  private static final int READERS = 3;
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /** Generation g: the global row is g and the product row is -g, written in one import. */
  private static FeatureState generation(long g) {
    FeatureDefinition def = FeatureDefinition.builder("gen", SettingType.LONG).build();
    return new FeatureState(
        "gen",
        Optional.of(def),
        false,
        List.of(
            new Setting("gen", H.global(), SettingValue.of(g), 1),
            new Setting("gen", PRODUCT, SettingValue.of(-g), 1)),
        0);
  }

  @Test
  void readersSeeWholeGenerationsInOrderWhileTheWriterReplacesThem() throws Exception {
    InMemoryStore store = InMemoryStore.create(H);
    store.importAll(List.of(generation(1)), true, TestSupport.AUDIT);
    long end = System.nanoTime() + DEADLINE.toNanos();
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicLong reads = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
    try (Toggles t =
        Toggles.builder(store)
            .syncInterval(Duration.ZERO)
            .missWait(Duration.ofSeconds(10))
            .build()) {
      assertThat(t.getLong("gen", CTX, 0)).isEqualTo(-1);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Long>> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        readers.add(pool.submit(() -> read(t, start, end, problems, reads)));
      }
      Future<Integer> writer =
          pool.submit(
              () -> {
                start.await();
                int g = 2;
                for (; g <= GENERATIONS && System.nanoTime() < end; g++) {
                  store.importAll(List.of(generation(g)), false, TestSupport.AUDIT);
                  t.sync();
                  SHARED.set(fresh());
                }
                return g - 1;
              });
      start.countDown();
      assertThat(writer.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS))
          .as("generations written before the deadline")
          .isEqualTo(GENERATIONS);
      List<Long> distinct = new ArrayList<>();
      for (Future<Long> r : readers) {
        distinct.add(r.get(DEADLINE.toSeconds() + 5, TimeUnit.SECONDS));
      }
      assertThat(problems).isEmpty();
      assertThat(reads.get()).isGreaterThan(READERS);
      assertThat(distinct).allSatisfy(d -> assertThat(d).isPositive());
      assertThat(t.getLong("gen", CTX, 0)).isEqualTo(-GENERATIONS);
      assertThat(t.getLong("gen", Context.empty(H), 0)).isEqualTo(GENERATIONS);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Context fresh() {
    return Context.of(H, new String("p1"), new String("m1"), new String("DE"));
  }

  /**
   * Reads until the final generation is seen or the deadline passes; returns how many distinct
   * generations this reader saw.
   */
  private static long read(
      Toggles t, CountDownLatch start, long end, Queue<String> problems, AtomicLong reads)
      throws InterruptedException {
    start.await();
    long last = 0;
    long distinct = 0;
    while (System.nanoTime() < end && problems.isEmpty()) {
      try {
        Explanation e = t.explain("gen", CTX);
        long product = ((SettingValue.LongValue) e.value().orElseThrow()).value();
        Map<Scope, SettingValue> byScope = new java.util.HashMap<>();
        e.outranked().forEach(o -> byScope.put(o.setting().scope(), o.setting().value()));
        long global = ((SettingValue.LongValue) byScope.get(H.global())).value();
        long g = global;
        if (product != -global || e.outranked().size() != 1 || e.excludedTotal() != 0) {
          problems.add("mixed generations in one explanation: " + e.render());
        }
        long checked = t.getLong("gen", CTX, Long.MIN_VALUE);
        if (checked > 0 || -checked < g) {
          problems.add("check after explain of generation " + g + " answered " + checked);
        }
        Context shared = SHARED.get();
        long viaShared = t.getLong("gen", shared, Long.MIN_VALUE);
        if (viaShared > 0 || -viaShared < g || !shared.equals(CTX)) {
          problems.add("shared context " + shared + " after generation " + g + ": " + viaShared);
        }
        if (g < last) {
          problems.add("generation went back from " + last + " to " + g);
        }
        if (g > GENERATIONS || g < 1) {
          problems.add("generation " + g + " was never written");
        }
        if (g != last) {
          distinct++;
          last = g;
        }
        reads.incrementAndGet();
        if (g == GENERATIONS) {
          return distinct;
        }
      } catch (RuntimeException e) {
        problems.add("read threw " + e);
      }
    }
    problems.add("reader stopped at generation " + last + " before seeing the last one");
    return distinct;
  }
}
