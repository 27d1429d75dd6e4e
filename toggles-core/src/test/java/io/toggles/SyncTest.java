package io.toggles;

import static io.toggles.TestSupport.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.spi.ToggleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SyncTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Context CTX = Context.of(H, "p1", "m1", "DE");

  @Test
  void writeBecomesVisibleAfterSync() {
    InMemoryStore store = TestSupport.store(H, FeatureDefinition.bool("checkout"));
    try (Toggles t = TestSupport.toggles(store)) {
      assertThat(t.isEnabled("checkout", CTX)).isFalse();
      TestSupport.set(store, "checkout", SettingValue.of(true), null, "m1", null);
      assertThat(t.isEnabled("checkout", CTX)).as("cached until sync").isFalse();
      t.sync();
      assertThat(t.isEnabled("checkout", CTX)).isTrue();
      assertThat(t.revision()).isEqualTo(store.revision());
    }
  }

  @Test
  void aFeatureDeclaredAfterStartIsLoadedByTheSyncThatSeesItNotByTheCheck() {
    InMemoryStore memory = InMemoryStore.create(H);
    ControllableStore store = new ControllableStore(memory);
    try (Toggles t = TestSupport.toggles(store)) {
      memory.define(FeatureDefinition.bool("late"), AUDIT);
      TestSupport.set(memory, "late", SettingValue.of(true), null, null, null);
      store.resetCounts();
      // Not declared at the node's revision: the default at once, and no store call.
      assertThat(t.isEnabled("late", CTX)).isFalse();
      assertThat(store.calls()).isZero();
      t.sync();
      assertThat(t.cached("late")).isPresent();
      assertThat(t.isEnabled("late", CTX)).isTrue();
      assertThat(t.requireBoolean("late", CTX)).isTrue();
      assertThat(store.loadCalls).hasValue(1);
    }
  }

  @Test
  void withoutPreloadTheFirstCheckLoadsTheCatalogAndEachFeatureLoadsOnItsFirstCheck() {
    InMemoryStore store = TestSupport.store(H, FeatureDefinition.bool("f"));
    TestSupport.set(store, "f", SettingValue.of(true), null, null, null);
    ControllableStore counted = new ControllableStore(store);
    try (Toggles t =
        Toggles.builder(counted)
            .preload(false)
            .syncInterval(Duration.ZERO)
            .missWait(Duration.ofSeconds(10))
            .build()) {
      assertThat(t.revision()).isEqualTo(-1);
      assertThat(counted.calls()).isZero();
      assertThat(t.isEnabled("f", CTX)).isTrue();
      assertThat(t.revision()).isEqualTo(store.revision());
      assertThat(counted.declaredCalls).hasValue(1);
      assertThat(counted.loadCalls).hasValue(1);
      assertThat(counted.loadAllCalls).hasValue(0);
      assertThat(counted.contentsCalls).hasValue(0);
      counted.resetCounts();
      assertThat(t.isEnabled("nobody-declared-this", CTX)).isFalse();
      assertThat(counted.calls()).isZero();
      TestSupport.set(store, "f", SettingValue.of(false), null, null, null);
      t.sync();
      assertThat(t.isEnabled("f", CTX)).isFalse();
      assertThat(t.revision()).isEqualTo(store.revision());
    }
  }

  @Test
  void failedSyncKeepsServingCachedValues() {
    InMemoryStore store = TestSupport.store(H, FeatureDefinition.bool("f"));
    TestSupport.set(store, "f", SettingValue.of(true), null, null, null);
    FlakyStore flaky = new FlakyStore(store);
    try (Toggles t = TestSupport.toggles(flaky)) {
      assertThat(t.isEnabled("f", CTX)).isTrue();
      flaky.down = true;
      TestSupport.set(store, "f", SettingValue.of(false), null, null, null);
      assertThatThrownBy(t::sync).isInstanceOf(StoreException.class);
      assertThat(t.isEnabled("f", CTX)).isTrue();
      flaky.down = false;
      t.sync();
      assertThat(t.isEnabled("f", CTX)).isFalse();
    }
  }

  @Test
  void syncReloadsEverythingWhenTheChangeLogNoLongerReachesBack() {
    ScriptedStore store = new ScriptedStore();
    store.put(state("f", "one", 1));
    store.revision = 1;
    try (Toggles t = TestSupport.toggles(store)) {
      assertThat(t.getString("f", CTX, "none")).isEqualTo("one");
      store.put(state("f", "two", 5));
      store.revision = 5;
      store.pruned = true;
      t.sync();
      assertThat(t.getString("f", CTX, "none")).isEqualTo("two");
      assertThat(t.revision()).isEqualTo(5);
    }
  }

  @Test
  void aLoadOlderThanTheChangesAppliedIsNotAppliedAndTheNextSyncRetries() {
    ScriptedStore store = new ScriptedStore();
    store.put(state("f", "new", 5));
    for (long r = 1; r <= 5; r++) {
      store.change(r, "f");
    }
    try (Toggles t = TestSupport.toggles(store)) {
      assertThat(t.getString("f", CTX, "none")).isEqualTo("new");
      // The log says f changed at 6 (an entry the node must load), but the store, lagging,
      // answers a state of revision 3.
      store.change(6, "f");
      store.put(state("f", "stale", 3));
      assertThatThrownBy(t::sync)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("'f' at revision 3, behind revision 6");
      assertThat(t.getString("f", CTX, "none")).isEqualTo("new");
      assertThat(t.revision()).isEqualTo(5);
      assertThat(t.health().status()).isEqualTo(Health.Status.STALE);
      assertThat(t.health().lastError()).hasValueSatisfying(e -> assertThat(e).contains("lags"));
      // Once the store answers a state as new as its log, it is applied.
      store.change(7, "f");
      store.put(state("f", "newest", 7));
      t.sync();
      assertThat(t.getString("f", CTX, "none")).isEqualTo("newest");
      assertThat(t.revision()).isEqualTo(7);
      assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    }
  }

  private static FeatureState state(String key, String value, long revision) {
    return new FeatureState(
        key,
        Optional.of(FeatureDefinition.builder(key, SettingType.STRING).build()),
        false,
        List.of(new Setting(key, H.global(), SettingValue.of(value), 1)),
        revision);
  }

  /** A store whose revision, change log and loaded states the test sets. */
  private static final class ScriptedStore implements ToggleStore {
    final Map<String, FeatureState> states = new ConcurrentHashMap<>();
    final List<Change> log = new ArrayList<>();
    volatile long revision;
    volatile boolean pruned;

    void put(FeatureState s) {
      states.put(s.key(), s);
    }

    synchronized void change(long rev, String feature) {
      log.add(
          new Change(
              rev,
              feature,
              ChangeKind.SET,
              Optional.of(H.global()),
              Optional.empty(),
              Optional.empty(),
              OptionalLong.of(1),
              "tester",
              "scripted",
              OptionalLong.empty(),
              Instant.EPOCH));
      revision = rev;
    }

    @Override
    public Hierarchy hierarchy() {
      return H;
    }

    @Override
    public long revision() {
      return revision;
    }

    @Override
    public FeatureState load(String feature) {
      return states.getOrDefault(feature, FeatureState.absent(feature, revision));
    }

    @Override
    public List<FeatureState> loadAll() {
      return List.copyOf(states.values());
    }

    @Override
    public synchronized Optional<List<Change>> changesSince(long rev, int limit) {
      if (pruned) {
        return Optional.empty();
      }
      return Optional.of(log.stream().filter(c -> c.revision() > rev).limit(limit).toList());
    }
  }
}
