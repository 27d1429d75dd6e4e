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
  void featureNeverCheckedIsLoadedOnMiss() {
    InMemoryStore store = InMemoryStore.create(H);
    try (Toggles t = TestSupport.toggles(store)) {
      store.define(FeatureDefinition.bool("late"), AUDIT);
      TestSupport.set(store, "late", SettingValue.of(true), null, null, null);
      assertThat(t.cached("late")).isEmpty();
      assertThat(t.isEnabled("late", CTX)).isTrue();
      assertThat(t.cached("late")).isPresent();
    }
  }

  @Test
  void withoutPreloadEveryFeatureLoadsOnItsFirstCheck() {
    InMemoryStore store = TestSupport.store(H, FeatureDefinition.bool("f"));
    TestSupport.set(store, "f", SettingValue.of(true), null, null, null);
    try (Toggles t =
        Toggles.builder(store)
            .preload(false)
            .syncInterval(Duration.ZERO)
            .missWait(Duration.ofSeconds(10))
            .build()) {
      assertThat(t.revision()).isEqualTo(-1);
      assertThat(t.cached("f")).isEmpty();
      assertThat(t.isEnabled("f", CTX)).isTrue();
      t.sync();
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
  void olderSnapshotNeverReplacesANewerOne() {
    ScriptedStore store = new ScriptedStore();
    store.put(state("f", "new", 5));
    store.revision = 5;
    try (Toggles t = TestSupport.toggles(store)) {
      assertThat(t.getString("f", CTX, "none")).isEqualTo("new");
      // The log says f changed at 6, but the (lagging) store answers a state of revision 3.
      store.change(6, "f");
      store.put(state("f", "stale", 3));
      t.sync();
      assertThat(t.getString("f", CTX, "none")).isEqualTo("new");
      assertThat(t.cached("f").orElseThrow().revision()).isEqualTo(5);
      // A state of the same revision as the cached one replaces it; a newer one does too.
      store.change(7, "f");
      store.put(state("f", "newest", 7));
      t.sync();
      assertThat(t.getString("f", CTX, "none")).isEqualTo("newest");
      assertThat(t.revision()).isEqualTo(7);
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
