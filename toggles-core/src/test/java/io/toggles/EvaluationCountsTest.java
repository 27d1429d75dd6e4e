package io.toggles;

import static io.toggles.EvaluationCount.Outcome.CALLER_DEFAULT;
import static io.toggles.EvaluationCount.Outcome.FALSE;
import static io.toggles.EvaluationCount.Outcome.TRUE;
import static io.toggles.EvaluationCount.Outcome.VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-feature evaluation counts by outcome and usage marks (issues 17 and 15): what counts, what
 * does not, that counts and marks outlive the indexes a sync replaces, and that counting allocates
 * nothing.
 */
class EvaluationCountsTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = TestSupport.AUDIT;
  private static final Context P1 = Context.of(H, "p1", "m1", "DE");
  private static final Context P2 = Context.of(H, "p2", "m1", "DE");

  private final InMemoryStore memory = InMemoryStore.create(H);
  private final ControllableStore store = new ControllableStore(memory);
  private Toggles toggles;

  @AfterEach
  void close() {
    if (toggles != null) {
      toggles.close();
    }
  }

  /** on: true for p1, false elsewhere; gateway: a string; bare: boolean, no row, no default. */
  private Toggles open(Toggles.Builder b) {
    memory.define(FeatureDefinition.bool("on"), AUDIT);
    TestSupport.set(memory, "on", SettingValue.of(true), "p1", null, null);
    memory.define(
        FeatureDefinition.builder("gateway", SettingType.STRING).defaultValue("adyen").build(),
        AUDIT);
    memory.define(FeatureDefinition.builder("bare", SettingType.BOOLEAN).build(), AUDIT);
    toggles = b.syncInterval(Duration.ZERO).build();
    return toggles;
  }

  private long count(String feature, EvaluationCount.Outcome outcome) {
    return toggles.evaluationCount(feature, outcome);
  }

  @Test
  void offByDefaultNothingIsCountedAndUsageIsNotTracked() {
    Toggles t = open(Toggles.builder(store));
    t.isEnabled("on", P1);
    t.feature("on").isEnabled(P1);
    assertThat(t.evaluationCounts()).isEmpty();
    assertThat(t.evaluationCount("on", TRUE)).isZero();
    assertThat(t.generation().get("on").tally).isNull();
    assertThatThrownBy(t::drainEvaluatedFeatures)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("trackUsage(true)");
  }

  @Test
  void everyCheckOfAHeldFeatureCountsOnceByWhatItAnswered() {
    Toggles t = open(Toggles.builder(store).countEvaluations(true));
    Feature on = t.feature("on");
    Feature gateway = t.feature("gateway");

    t.isEnabled("on", P1);
    t.isEnabled("on", "p1", "m1", "DE");
    on.isEnabled(P1);
    on.isEnabled("p1", "m9", null);
    t.getBoolean("on", P1, false);
    t.requireBoolean("on", P1);
    assertThat(t.find("on", P1)).contains(SettingValue.of(true));
    assertThat(count("on", TRUE)).isEqualTo(7);

    t.isEnabled("on", P2); // the declared default, false
    on.getBoolean(P2, true);
    assertThat(count("on", FALSE)).isEqualTo(2);

    assertThat(t.getString("gateway", P1, "none")).isEqualTo("adyen");
    assertThat(gateway.getString(P1, "none")).isEqualTo("adyen");
    assertThat(t.require("gateway", P1)).isEqualTo(SettingValue.of("adyen"));
    assertThat(count("gateway", VALUE)).isEqualTo(3);

    // Nothing in the store answers: the caller's default.
    assertThat(t.isEnabled("gateway", P1)).isFalse(); // a string asked for as a boolean
    assertThat(t.getLong("on", P1, 5)).isEqualTo(5);
    assertThat(t.getDecimal("on", P1, BigDecimal.ONE)).isEqualTo(BigDecimal.ONE);
    assertThat(t.getJson("on", P1, "{}")).isEqualTo("{}");
    assertThat(t.getBoolean("bare", P1, true)).isTrue(); // no row, no declared default
    assertThatThrownBy(() -> t.require("bare", P1)).isInstanceOf(SettingNotFoundException.class);
    assertThat(t.isEnabled("on", Context.of(Hierarchy.of("tenant"), "t1"))).isFalse();
    assertThat(count("gateway", CALLER_DEFAULT)).isEqualTo(1);
    assertThat(count("on", CALLER_DEFAULT)).isEqualTo(4);
    assertThat(count("bare", CALLER_DEFAULT)).isEqualTo(2);

    // Not checks of a held feature: an undeclared name, explain.
    t.isEnabled("nobody-declared-this", P1);
    t.feature("nobody-declared-this-either").isEnabled(P1);
    t.explain("on", P1);

    assertThat(t.evaluationCounts())
        .containsExactly(
            new EvaluationCount("bare", CALLER_DEFAULT, 2),
            new EvaluationCount("gateway", VALUE, 3),
            new EvaluationCount("gateway", CALLER_DEFAULT, 1),
            new EvaluationCount("on", TRUE, 7),
            new EvaluationCount("on", FALSE, 2),
            new EvaluationCount("on", CALLER_DEFAULT, 4));
    assertThat(t.evaluationCount("nobody-declared-this", CALLER_DEFAULT)).isZero();
  }

  @Test
  void countsAndMarksOutliveTheIndexesASyncReplaces() {
    Toggles t = open(Toggles.builder(store).countEvaluations(true));
    Feature on = t.feature("on");
    on.isEnabled(P1);
    t.drainEvaluatedFeatures();
    on.isEnabled(P1);

    TestSupport.set(memory, "on", SettingValue.of(false), "p2", null, null); // a delta
    t.sync();
    on.isEnabled(P1);
    memory.kill("on", AUDIT); // another delta: the kill value, false
    t.sync();
    on.isEnabled(P1);
    memory.unkill("on", AUDIT);
    memory.define(
        FeatureDefinition.builder("on", SettingType.BOOLEAN).description("again").build(),
        AUDIT); // a re-declaration: the feature is loaded again
    t.sync();
    on.isEnabled(P1);
    InMemoryStore other = memory.copy();
    store.delegate(InMemoryStore.create(H));
    t.sync(); // another store: everything reloaded, "on" gone
    store.delegate(other);
    t.sync(); // and back: reloaded again
    t.isEnabled("on", P1);

    assertThat(count("on", TRUE)).isEqualTo(5);
    assertThat(count("on", FALSE)).isEqualTo(1);
    assertThat(t.drainEvaluatedFeatures()).containsExactly("on");
  }

  @Test
  void drainingReportsTheFeaturesCheckedSinceTheLastDrainAndStartsOver() {
    Toggles t = open(Toggles.builder(store).trackUsage(true));
    Feature gateway = t.feature("gateway");
    assertThat(t.drainEvaluatedFeatures()).isEmpty();

    t.isEnabled("on", P1);
    t.isEnabled("on", P2);
    gateway.getString(P1, "none");
    t.isEnabled("nobody-declared-this", P1);
    assertThat(t.drainEvaluatedFeatures()).containsExactlyInAnyOrder("on", "gateway");
    assertThat(t.drainEvaluatedFeatures()).isEmpty();

    gateway.getString(P2, "none");
    assertThat(t.drainEvaluatedFeatures()).containsExactly("gateway");
    assertThat(t.evaluationCounts()).isEmpty(); // usage only: nothing counted
    assertThat(t.generation().get("on").tally.counts()).isFalse();
  }

  @Test
  void aCountNeverDecreasesEvenWhenARacingIncrementWasLost() {
    Toggles t = open(Toggles.builder(store).countEvaluations(true));
    for (int i = 0; i < 5; i++) {
      t.isEnabled("on", P1);
    }
    assertThat(count("on", TRUE)).isEqualTo(5);
    // Two threads of one stripe that read 4 and both wrote 5 would leave the stripe lower than
    // the count already reported: model it by lowering the cell.
    long[] cells = t.generation().get("on").tally.cells();
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] == 5) {
        cells[i] = 3;
      }
    }
    assertThat(count("on", TRUE)).isEqualTo(5);
    t.isEnabled("on", P1);
    t.isEnabled("on", P1);
    t.isEnabled("on", P1);
    assertThat(count("on", TRUE)).isEqualTo(6);
  }

  @Test
  void threadsOnEveryCoreCountTheirChecks() throws InterruptedException {
    Toggles t = open(Toggles.builder(store).countEvaluations(true));
    Feature on = t.feature("on");
    int threads = 4;
    int each = 200_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < each; i++) {
                  on.isEnabled(P1);
                }
              });
      th.start();
      workers.add(th);
    }
    start.countDown();
    for (Thread th : workers) {
      th.join(Duration.ofMinutes(2).toMillis());
    }
    long total = (long) threads * each;
    // Each thread has its stripe unless thread ids collide: then a racing increment may be lost.
    assertThat(count("on", TRUE)).isBetween(total / 2, total);
  }

  @Test
  void countingAndMarkingAllocateNothing() {
    Toggles t = open(Toggles.builder(store).countEvaluations(true));
    Feature on = t.feature("on");
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int round = 0; round < 3; round++) { // the first rounds may run before compilation
      long before = mx.getThreadAllocatedBytes(id);
      boolean any = false;
      for (int i = 0; i < 100_000; i++) {
        any |= on.isEnabled(P1);
        any |= t.isEnabled("on", P2);
        if ((i & 1023) == 0) {
          t.drainEvaluatedFeatures(); // the marks flip back and forth
        }
      }
      long allocated = mx.getThreadAllocatedBytes(id) - before;
      assertThat(any).isTrue();
      // 200,000 checks: the drains allocate their sets, a few KiB; a check allocating even one
      // object would be 3 MiB or more.
      assertThat(allocated).isLessThan(200_000);
    }
  }
}
