package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HierarchyTest {

  private static List<String> names(int count) {
    return IntStream.range(0, count).mapToObj(i -> "dim" + i).toList();
  }

  @Test
  void defaultHierarchyIsProductThenMerchantThenCountry() {
    assertThat(Hierarchy.DEFAULT.dimensions()).containsExactly("product", "merchant", "country");
    assertThat(Hierarchy.DEFAULT.indexOf("product")).isZero();
    assertThat(Hierarchy.DEFAULT.indexOf("country")).isEqualTo(2);
  }

  @Test
  void customHierarchyKeepsItsOrder() {
    Hierarchy h = Hierarchy.of("tenant", "region");
    assertThat(h.size()).isEqualTo(2);
    assertThat(h.dimension(0)).isEqualTo("tenant");
    assertThat(h.dimension(1)).isEqualTo("region");
  }

  @Test
  void hierarchyOfEightDimensionsResolvesByFirstDimension() {
    checkFirstDimensionWins(8);
  }

  @Test
  void hierarchyOfSixteenDimensionsResolvesByFirstDimension() {
    checkFirstDimensionWins(16);
  }

  private static void checkFirstDimensionWins(int size) {
    Hierarchy h = new Hierarchy(names(size));
    assertThat(h.size()).isEqualTo(size);
    InMemoryStore store =
        TestSupport.store(h, FeatureDefinition.builder("f", SettingType.LONG).build());
    // One row per dimension, naming only that dimension; value = index of the dimension.
    for (int i = 0; i < size; i++) {
      store.set(
          "f",
          h.scope().with("dim" + i, "v").build(),
          SettingValue.of(i),
          Expect.absent(),
          TestSupport.AUDIT);
    }
    // A row naming every dimension but the first.
    Scope.Builder allButFirst = h.scope();
    for (int i = 1; i < size; i++) {
      allButFirst.with("dim" + i, "v");
    }
    store.set("f", allButFirst.build(), SettingValue.of(1000), Expect.absent(), TestSupport.AUDIT);
    Context.Builder all = h.context();
    for (int i = 0; i < size; i++) {
      all.with("dim" + i, "v");
    }
    try (Toggles t = TestSupport.toggles(store)) {
      assertThat(t.getLong("f", all.build(), -1)).isZero();
      Context withoutFirst = all.build().with("dim0", null);
      assertThat(t.getLong("f", withoutFirst, -1)).isEqualTo(1000);
      Context onlyLast = h.context().with("dim" + (size - 1), "v").build();
      assertThat(t.getLong("f", onlyLast, -1)).isEqualTo(size - 1);
    }
  }

  @Test
  void sixteenDimensionsIsTheLimit() {
    assertThat(new Hierarchy(names(Hierarchy.MAX_DIMENSIONS)).size()).isEqualTo(16);
    assertThatThrownBy(() -> new Hierarchy(names(17)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 16")
        .hasMessageContaining("17");
  }

  @Test
  void emptyHierarchyIsRefused() {
    assertThatThrownBy(Hierarchy::of)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one dimension");
    assertThatThrownBy(() -> new Hierarchy(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one dimension");
  }

  @Test
  void duplicateDimensionIsRefused() {
    assertThatThrownBy(() -> Hierarchy.of("tenant", "region", "tenant"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tenant' appears twice");
  }

  @Test
  void malformedDimensionNamesAreRefusedByName() {
    List<String> bad = new ArrayList<>(List.of("Tenant", "1tenant", "", " ", "ten ant", "ten-ant"));
    bad.add("a".repeat(31));
    for (String name : bad) {
      assertThatThrownBy(() -> Hierarchy.of("product", name))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a lower-case identifier");
    }
    assertThat(Hierarchy.of("a".repeat(30)).dimension(0)).hasSize(30);
    assertThatThrownBy(() -> new Hierarchy(java.util.Arrays.asList("product", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void reservedColumnNamesAreRefused() {
    for (String name :
        List.of("feature", "value", "version", "updated_at", "updated_by", "revision", "kind")) {
      assertThatThrownBy(() -> Hierarchy.of("tenant", name))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + name + "' is reserved");
    }
  }

  @Test
  void unknownDimensionIsNamedInTheError() {
    assertThatThrownBy(() -> Hierarchy.DEFAULT.indexOf("tenant"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tenant'")
        .hasMessageContaining("[product, merchant, country]");
  }

  @Test
  void hierarchiesOfTheSameNamesAreEqual() {
    assertThat(Hierarchy.of("product", "merchant", "country")).isEqualTo(Hierarchy.DEFAULT);
    assertThat(Hierarchy.of("merchant", "product", "country")).isNotEqualTo(Hierarchy.DEFAULT);
  }
}
