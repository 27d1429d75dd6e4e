package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What only the in-memory store offers: a copy with its identity, standing in for a backup. */
class InMemoryStoreLineageTest {
  private static final Audit AUDIT = new Audit("test", "lineage");
  private final InMemoryStore store = InMemoryStore.create(Hierarchy.DEFAULT);

  @Test
  void aCopyRestoredAndWrittenAgainHasOtherChangesAtTheSameRevisions() {
    store.define(FeatureDefinition.builder("f", SettingType.BOOLEAN).build(), AUDIT);
    InMemoryStore backup = store.copy();
    Change later =
        store.set(
            "f",
            Scope.of(Hierarchy.DEFAULT, null, null, null),
            SettingValue.of(true),
            Expect.any(),
            AUDIT);

    Change other =
        backup.set(
            "f",
            Scope.of(Hierarchy.DEFAULT, null, null, null),
            SettingValue.of(false),
            Expect.any(),
            AUDIT);

    assertThat(backup.head(0).storeId()).isEqualTo(store.head(0).storeId());
    assertThat(other.revision()).isEqualTo(later.revision());
    assertThat(backup.head(2).changeIdAt()).isNotEqualTo(store.head(2).changeIdAt());
  }
}
