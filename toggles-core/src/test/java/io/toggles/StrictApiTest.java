package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StrictApiTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Context CTX = Context.of(H, "p1", "m1", "DE");

  private final InMemoryStore store =
      TestSupport.store(
          H,
          FeatureDefinition.builder("bare", SettingType.STRING).build(),
          FeatureDefinition.builder("on", SettingType.BOOLEAN).defaultValue("on").build(),
          FeatureDefinition.builder("name", SettingType.STRING).defaultValue("declared").build(),
          FeatureDefinition.builder("count", SettingType.LONG).defaultValue("12").build(),
          FeatureDefinition.builder("rate", SettingType.DECIMAL).defaultValue("1.50").build(),
          FeatureDefinition.builder("doc", SettingType.JSON).defaultValue("{\"a\":1}").build());
  private final Toggles toggles = TestSupport.toggles(store);

  @AfterEach
  void close() {
    toggles.close();
  }

  @Test
  void noRowAndNoDeclaredDefaultThrowsSettingNotFound() {
    assertThatThrownBy(() -> toggles.requireString("bare", CTX))
        .isInstanceOf(SettingNotFoundException.class)
        .hasMessageContaining("'bare'")
        .hasMessageContaining("add a global row or a default")
        .satisfies(e -> assertThat(((SettingNotFoundException) e).feature()).isEqualTo("bare"));
  }

  @Test
  void aFeatureTheStoreDoesNotDeclareThrowsUnknownFeatureNamingTheRevision() {
    assertThatThrownBy(() -> toggles.require("never-heard-of", CTX))
        .isInstanceOf(UnknownFeatureException.class)
        .hasMessageContaining("'never-heard-of'")
        .hasMessageContaining("not declared at revision " + store.revision());
    assertThatThrownBy(() -> toggles.requireBoolean("never-heard-of", CTX))
        .isInstanceOf(UnknownFeatureException.class);
  }

  @Test
  void rowThatDoesNotMatchStillThrowsSettingNotFound() {
    TestSupport.set(store, "bare", SettingValue.of("x"), "p2", null, null);
    toggles.sync();
    assertThatThrownBy(() -> toggles.requireString("bare", CTX))
        .isInstanceOf(SettingNotFoundException.class);
    assertThat(toggles.requireString("bare", Context.of(H, "p2", null, null))).isEqualTo("x");
  }

  @Test
  void declaredDefaultIsReturnedWhenNoRowMatches() {
    assertThat(toggles.requireBoolean("on", CTX)).isTrue();
    assertThat(toggles.requireString("name", CTX)).isEqualTo("declared");
    assertThat(toggles.requireLong("count", CTX)).isEqualTo(12);
    assertThat(toggles.requireDecimal("rate", CTX)).isEqualByComparingTo(new BigDecimal("1.5"));
    assertThat(toggles.requireJson("doc", CTX)).isEqualTo("{\"a\":1}");
    assertThat(toggles.require("count", CTX)).isEqualTo(SettingValue.of(12));
  }

  @Test
  void matchingRowBeatsTheDeclaredDefault() {
    TestSupport.set(store, "count", SettingValue.of(99), "p1", null, null);
    toggles.sync();
    assertThat(toggles.requireLong("count", CTX)).isEqualTo(99);
  }

  @Test
  void wrongTypeThrowsWrongTypeNamingBothTypes() {
    assertThatThrownBy(() -> toggles.requireBoolean("count", CTX))
        .isInstanceOf(WrongTypeException.class)
        .hasMessage("feature 'count' is LONG, not BOOLEAN");
    assertThatThrownBy(() -> toggles.requireLong("name", CTX))
        .isInstanceOf(WrongTypeException.class);
    assertThatThrownBy(() -> toggles.requireString("on", CTX))
        .isInstanceOf(WrongTypeException.class);
    assertThatThrownBy(() -> toggles.requireDecimal("doc", CTX))
        .isInstanceOf(WrongTypeException.class);
    assertThatThrownBy(() -> toggles.requireJson("rate", CTX))
        .isInstanceOf(WrongTypeException.class);
  }

  @Test
  void malformedKeyOrForeignContextIsIllegalArgument() {
    assertThatThrownBy(() -> toggles.require("bad key", CTX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad key' is malformed");
    assertThatThrownBy(() -> toggles.require("count", Context.of(Hierarchy.of("tenant"), "t1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[tenant]")
        .hasMessageContaining("[product, merchant, country]");
  }

  @Test
  void storeDownThrowsStoreException() {
    try (Toggles t =
        Toggles.builder(new ThrowingStore(H))
            .syncInterval(Duration.ZERO)
            .missWait(Duration.ofSeconds(5))
            .build()) {
      assertThatThrownBy(() -> t.requireLong("count", CTX))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("'count'");
      assertThatThrownBy(() -> t.explain("count", CTX)).isInstanceOf(StoreException.class);
    }
  }

  @Test
  void strictExceptionsShareTheRootException() {
    assertThat(new SettingNotFoundException("f", "ctx")).isInstanceOf(TogglesException.class);
    assertThat(new WrongTypeException("f", SettingType.LONG, SettingType.STRING))
        .isInstanceOf(TogglesException.class);
    assertThat(new StoreException("x")).isInstanceOf(TogglesException.class);
  }
}
