package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;

  @Test
  void reusedContextAnswersEveryFeatureAndFollowsWrites() {
    InMemoryStore store =
        TestSupport.store(
            H,
            FeatureDefinition.bool("a"),
            FeatureDefinition.builder("b", SettingType.LONG).build());
    TestSupport.set(store, "a", SettingValue.of(true), "p1", null, null);
    TestSupport.set(store, "b", SettingValue.of(7), null, "m1", null);
    Context reused = Context.of(H, "p1", "m1", "DE");
    try (Toggles t = TestSupport.toggles(store)) {
      for (int i = 0; i < 3; i++) {
        assertThat(t.isEnabled("a", reused)).isTrue();
        assertThat(t.getLong("b", reused, 0)).isEqualTo(7);
      }
      TestSupport.set(store, "b", SettingValue.of(8), "p1", null, "DE");
      t.sync();
      assertThat(t.getLong("b", reused, 0)).isEqualTo(8);
      assertThat(t.isEnabled("a", reused)).isTrue();
    }
  }

  @Test
  void aHitSwapsTheContextsValuesForTheIndexsEqualInstances() {
    InMemoryStore store =
        TestSupport.store(H, FeatureDefinition.bool("a"), FeatureDefinition.bool("b"));
    TestSupport.set(store, "a", SettingValue.of(true), "p1", "m1", null);
    TestSupport.set(store, "b", SettingValue.of(true), null, "m1", null);
    // Fresh objects, equal to but not the same as the strings the rows were written with.
    String p = new String("p1");
    String m = new String("m1");
    String c = new String("DE");
    Context ctx = Context.of(H, p, m, c);
    try (Toggles t = TestSupport.toggles(store)) {
      assertThat(t.isEnabled("a", ctx)).isTrue();
      String[] after = ctx.values.clone();
      assertThat(after[0]).isEqualTo("p1").isNotSameAs(p);
      assertThat(after[1]).isEqualTo("m1").isNotSameAs(m);
      assertThat(after[2]).as("named by no row: left alone").isSameAs(c);
      // Another feature naming the same id holds the same instance: the context matches by
      // reference and keeps what it holds.
      assertThat(t.isEnabled("b", ctx)).isTrue();
      assertThat(ctx.values[1]).isSameAs(after[1]);
      assertThat(t.isEnabled("a", Context.of(H, "p1", "m2", "DE"))).isFalse();
      // Feature keys are interned for lookups by literal; a key built at run time finds it too.
      assertThat(t.isEnabled(new String("a"), ctx)).isTrue();
      assertThat(ctx).isEqualTo(Context.of(H, "p1", "m1", "DE"));
      assertThat(ctx.hashCode()).isEqualTo(Context.of(H, "p1", "m1", "DE").hashCode());
    }
  }

  @Test
  void contextOfTheWrongArityIsRefused() {
    assertThatThrownBy(() -> Context.of(H, "p1", "m1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected 3 values [product, merchant, country], got 2");
    try (Toggles t = TestSupport.toggles(InMemoryStore.create(H))) {
      assertThatThrownBy(() -> t.context("p1", "m1", "DE", "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got 4");
      assertThat(t.context("p1", null, "DE")).isEqualTo(Context.of(H, "p1", null, "DE"));
    }
  }

  @Test
  void builderSetsValuesByName() {
    Context c = H.context().with("country", "DE").with("product", "p1").build();
    assertThat(c).isEqualTo(Context.of(H, "p1", null, "DE"));
    assertThat(c.value("country")).contains("DE");
    assertThat(c.value("merchant")).isEmpty();
    assertThat(c.value(0)).contains("p1");
    assertThat(c.asMap()).containsExactly(Map.entry("product", "p1"), Map.entry("country", "DE"));
    assertThat(c.toString()).isEqualTo("Context{product=p1, country=DE}");
  }

  @Test
  void builderDoesNotChangeContextsItBuiltBefore() {
    Context.Builder b = H.context().with("product", "p1");
    Context first = b.build();
    b.with("product", "p2");
    assertThat(first.value("product")).contains("p1");
    assertThat(b.build().value("product")).contains("p2");
  }

  @Test
  void unknownDimensionIsRefusedNamingIt() {
    assertThatThrownBy(() -> H.context().with("tenant", "t1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scope dimension 'tenant'")
        .hasMessageContaining("[product, merchant, country]");
    assertThatThrownBy(() -> Context.empty(H).value("tenant"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> H.scope().with("tenant", "t1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tenant'");
  }

  @Test
  void withCopiesAndClearsOneDimension() {
    Context c = Context.of(H, "p1", "m1", "DE");
    Context noMerchant = c.with("merchant", null);
    assertThat(noMerchant).isEqualTo(Context.of(H, "p1", null, "DE"));
    assertThat(c.value("merchant")).contains("m1");
    assertThat(c.with("merchant", "m1")).isEqualTo(c).hasSameHashCodeAs(c);
  }

  @Test
  void contextsOfDifferentHierarchiesDiffer() {
    Hierarchy other = Hierarchy.of("product", "merchant", "region");
    assertThat(Context.of(other, "p1", null, null)).isNotEqualTo(Context.of(H, "p1", null, null));
    assertThat(Context.empty(H).asMap()).isEmpty();
  }

  @Test
  void scopeValuesAreValidated() {
    assertThatThrownBy(() -> Scope.of(H, "", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value of 'product' is empty");
    assertThatThrownBy(() -> Scope.of(H, null, " m1", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrounding whitespace");
    assertThatThrownBy(() -> Scope.of(H, null, null, "D\u0000E"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
    String max = "x".repeat(Scope.MAX_VALUE_LENGTH);
    assertThat(Scope.of(H, max, null, null).value(0)).contains(max);
    assertThatThrownBy(() -> Scope.of(H, max + "x", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("129 characters long; the limit is 128");
    assertThatThrownBy(() -> Scope.of(H, Map.of("tenant", "t1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Scope.of(H, Map.of("country", "DE"))).isEqualTo(Scope.of(H, null, null, "DE"));
    assertThat(Scope.of(H, "p1", null, "DE").toString()).isEqualTo("{product=p1, country=DE}");
    assertThat(H.global().toString()).isEqualTo("{global}");
  }
}
