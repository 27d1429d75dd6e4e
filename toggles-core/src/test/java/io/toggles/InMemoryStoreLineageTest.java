package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.spi.StoreHead;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryStoreLineageTest {
  private static final Audit AUDIT = new Audit("test", "lineage");
  private final InMemoryStore store = InMemoryStore.create(Hierarchy.DEFAULT);

  @Test
  void headNamesTheStoreAndTheChangeAtARevision() {
    Change first = store.define(FeatureDefinition.builder("f", SettingType.BOOLEAN).build(), AUDIT);
    store.set(
        "f",
        Scope.of(Hierarchy.DEFAULT, null, null, null),
        SettingValue.of(true),
        Expect.any(),
        AUDIT);

    StoreHead head = store.head(1);

    assertThat(head.storeId()).isNotEmpty();
    assertThat(head.revision()).isEqualTo(2);
    assertThat(head.changeIdAt()).contains(first.id());
    assertThat(store.head(0).changeIdAt()).isEmpty();
    assertThat(store.head(3).changeIdAt()).isEmpty();
    assertThat(InMemoryStore.create(Hierarchy.DEFAULT).head(0).storeId())
        .isNotEqualTo(head.storeId());
  }

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

  @Test
  void anImportIsOneChangeSet() {
    FeatureDefinition def = FeatureDefinition.builder("f", SettingType.BOOLEAN).build();
    Hierarchy h = Hierarchy.DEFAULT;
    List<Setting> rows =
        List.of(
            new Setting("f", Scope.of(h, null, null, null), SettingValue.of(true), 1),
            new Setting("f", Scope.of(h, "p", null, null), SettingValue.of(false), 1));

    List<Change> changes =
        store.importAll(
            List.of(new FeatureState("f", Optional.of(def), false, rows, 0)), false, AUDIT);

    assertThat(changes).hasSize(3);
    assertThat(changes).allSatisfy(c -> assertThat(c.changeSet()).isEqualTo(3));
    assertThat(store.changesSince(0, 10).orElseThrow())
        .extracting(Change::changeSet)
        .containsOnly(3L);
  }
}
