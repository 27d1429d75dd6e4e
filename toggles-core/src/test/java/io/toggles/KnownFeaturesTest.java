package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every declared feature is known after a sync, and a name nobody declares is free (issue 11,
 * findings 5 and 6): features defined after the start are loaded by the sync that sees them, on the
 * sync thread, so no check pays and the strict API never throws {@link StoreException} while the
 * store is healthy; 20,000 unknown names cost no store call and leave nothing behind but a bounded
 * number of warnings.
 */
class KnownFeaturesTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("dev", "known features test");
  private static final Context CTX = Context.of(H, "p1", "m1", "DE");
  private final InMemoryStore memory = InMemoryStore.create(H);
  private final ControllableStore store = new ControllableStore(memory);
  private final List<Toggles> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(Toggles::close);
  }

  private Toggles open(Toggles.Builder b) {
    Toggles t = b.build();
    opened.add(t);
    return t;
  }

  @Test
  void threeHundredFeaturesDefinedAfterStartAreEachReadyTheMomentTheNodeAppliedTheirRevision()
      throws Exception {
    memory.define(FeatureDefinition.bool("existing"), AUDIT);
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ofMillis(20)));
    int features = 300;
    Queue<String> storeExceptions = new ConcurrentLinkedQueue<>();
    AtomicInteger unknownBefore = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // A checker that asks for features before they exist and while they are being defined.
      Future<?> early =
          pool.submit(
              () -> {
                while (!done.get()) {
                  for (int i = 0; i < features && !done.get(); i += 7) {
                    try {
                      t.requireBoolean("late-" + i, CTX);
                    } catch (UnknownFeatureException e) {
                      unknownBefore.incrementAndGet();
                    } catch (StoreException e) {
                      storeExceptions.add("late-" + i + ": " + e.getMessage());
                    }
                  }
                }
              });
      int exceptions = 0;
      for (int i = 0; i < features; i++) {
        Change c =
            memory.define(
                FeatureDefinition.builder("late-" + i, SettingType.BOOLEAN)
                    .defaultValue(i % 2 == 0 ? "true" : "false")
                    .build(),
                AUDIT);
        assertThat(t.awaitRevision(c.revision(), Duration.ofSeconds(30)))
            .as("revision %d applied", c.revision())
            .isTrue();
        try {
          assertThat(t.requireBoolean("late-" + i, CTX)).isEqualTo(i % 2 == 0);
        } catch (TogglesException e) {
          exceptions++;
        }
      }
      done.set(true);
      early.get(30, TimeUnit.SECONDS);
      assertThat(exceptions).as("strict checks right after their revision that threw").isZero();
      assertThat(storeExceptions).as("StoreException while the store was healthy").isEmpty();
      assertThat(unknownBefore.get()).as("checks before the definitions").isPositive();
      assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }

  @Test
  void aFeatureDefinedAfterStartIsLoadedOnTheSyncThreadNotByTheCheckingThread() {
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ofHours(1)));
    Change c = memory.define(FeatureDefinition.bool("new-checkout"), AUDIT);
    memory.set(
        "new-checkout", Scope.of(H, "p1", null, null), SettingValue.of(true), Expect.any(), AUDIT);
    store.resetCounts();
    assertThat(t.isEnabled("new-checkout", CTX))
        .as("not declared at the node's revision")
        .isFalse();
    assertThat(store.calls()).as("store calls made by the check").isZero();
    store.notifyChange(); // what a LISTEN/NOTIFY store does after the commit
    assertThat(t.awaitRevision(c.revision() + 1, Duration.ofSeconds(10))).isTrue();
    assertThat(t.isEnabled("new-checkout", CTX)).isTrue();
    assertThat(store.loadCalls).hasValue(1);
  }

  @Test
  void twentyThousandUnknownNamesCostNoStoreCallAndBoundedMemory() {
    for (int i = 0; i < 10; i++) {
      memory.define(FeatureDefinition.bool("declared-" + i), AUDIT);
    }
    for (boolean preload : new boolean[] {true, false}) {
      Toggles t =
          open(
              Toggles.builder(store)
                  .preload(preload)
                  .syncInterval(Duration.ZERO)
                  .missWait(Duration.ofSeconds(5)));
      Feature handle = t.feature("declared-3");
      assertThat(t.isEnabled("declared-3", CTX)).isFalse(); // without preload: loads it now
      store.resetCounts();
      for (int i = 0; i < 20_000; i++) {
        String junk = "junk-" + i;
        assertThat(t.isEnabled(junk, CTX)).isFalse();
        assertThat(t.getLong(junk, CTX, 7)).isEqualTo(7);
        assertThat(t.isEnabled(junk, "p1", "m1", "DE")).isFalse();
        if (i % 100 == 0) {
          assertThatThrownBy(() -> t.require(junk, CTX))
              .isInstanceOf(UnknownFeatureException.class)
              .hasMessageContaining("not declared at revision " + memory.revision());
          assertThat(handle.isEnabled(CTX)).isFalse();
        }
      }
      assertThat(store.calls()).as("store calls, preload " + preload).isZero();
      Generation g = t.generation();
      assertThat(g.size).as("features held, preload " + preload).isEqualTo(preload ? 10 : 1);
      assertThat(g.keys()).allSatisfy(k -> assertThat(k).startsWith("declared-"));
      assertThat(t.warnings().size())
          .as("problems remembered for logging")
          .isLessThanOrEqualTo(100);
      assertThat(t.misses().size()).as("pending loads").isZero();
      t.sync();
      assertThat(store.loadCalls).as("a sync after the junk loads nothing").hasValue(0);
    }
  }
}
