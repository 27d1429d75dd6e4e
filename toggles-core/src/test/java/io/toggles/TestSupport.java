package io.toggles;

import io.toggles.spi.ToggleStore;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared fixtures of the core tests. */
final class TestSupport {
  static final Audit AUDIT = Audit.of("tester", "unit test");
  static final Hierarchy DEFAULT = Hierarchy.DEFAULT;

  private TestSupport() {}

  /**
   * Toggles without background sync that wait long enough on a miss for the load to finish, so that
   * a check after a write and {@link Toggles#sync()} sees the write.
   */
  static Toggles toggles(ToggleStore store) {
    return Toggles.builder(store)
        .syncInterval(Duration.ZERO)
        .missWait(Duration.ofSeconds(10))
        .build();
  }

  /** A store of {@code hierarchy} with the features declared. */
  static InMemoryStore store(Hierarchy hierarchy, FeatureDefinition... features) {
    InMemoryStore store = InMemoryStore.create(hierarchy);
    for (FeatureDefinition f : features) {
      store.define(f, AUDIT);
    }
    return store;
  }

  /** Sets a row in the default hierarchy: product, merchant, country; null for a wildcard. */
  static void set(InMemoryStore store, String feature, SettingValue value, String... scope) {
    store.set(feature, Scope.of(store.hierarchy(), scope), value, Expect.any(), AUDIT);
  }

  /** Waits for {@code condition}, failing after {@code limit}: never a sleep, never unbounded. */
  static void await(BooleanSupplier condition, Duration limit) {
    io.toggles.testing.Await.until("the condition", limit, condition);
  }
}
