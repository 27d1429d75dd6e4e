package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeatureDefinitionTest {

  @Test
  void validKeysAreAccepted() {
    for (String key : List.of("a", "new-checkout", "payments.fee_rate", "9lives", "A.B-C_D")) {
      assertThat(FeatureDefinition.requireValidKey(key)).isEqualTo(key);
    }
    String longest = "k".repeat(FeatureDefinition.MAX_KEY_LENGTH);
    assertThat(FeatureDefinition.bool(longest).key()).hasSize(100);
  }

  @Test
  void blankKeyIsRefused() {
    for (String key : new String[] {null, "", "   ", "\t"}) {
      assertThatThrownBy(() -> FeatureDefinition.requireValidKey(key))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("feature key is blank");
    }
  }

  @Test
  void malformedKeyIsRefusedNamingIt() {
    for (String key : List.of("new checkout", "-lead", ".lead", "a/b", "ä", "a\nb", "x;drop")) {
      assertThatThrownBy(() -> FeatureDefinition.bool(key))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is malformed");
    }
  }

  @Test
  void tooLongKeyIsRefused() {
    String key = "k".repeat(FeatureDefinition.MAX_KEY_LENGTH + 1);
    assertThatThrownBy(() -> FeatureDefinition.requireValidKey(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is malformed")
        .hasMessageContaining("1 to 100");
  }

  @Test
  void defaultOfTheWrongTypeIsRefused() {
    assertThatThrownBy(
            () ->
                FeatureDefinition.builder("fee", SettingType.LONG)
                    .defaultValue(SettingValue.of("12"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("default of feature 'fee' is a STRING but the feature is LONG");
    assertThatThrownBy(
            () ->
                new FeatureDefinition(
                    "on", SettingType.BOOLEAN, Optional.of(SettingValue.of(1)), "", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultTextIsParsedAsTheFeaturesType() {
    FeatureDefinition fee =
        FeatureDefinition.builder("fee", SettingType.DECIMAL)
            .defaultValue("0.0150")
            .description("fee rate")
            .owner("payments")
            .build();
    assertThat(fee.defaultValue()).contains(SettingType.DECIMAL.parse("0.015"));
    assertThat(fee.description()).isEqualTo("fee rate");
    assertThat(fee.owner()).isEqualTo("payments");
    assertThatThrownBy(() -> FeatureDefinition.builder("n", SettingType.LONG).defaultValue("x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a long integer");
  }

  @Test
  void boolFeatureIsOffByDefault() {
    FeatureDefinition f = FeatureDefinition.bool("checkout");
    assertThat(f.type()).isEqualTo(SettingType.BOOLEAN);
    assertThat(f.defaultValue()).contains(SettingValue.of(false));
  }

  @Test
  void overlongDescriptionOrOwnerIsRefused() {
    assertThatThrownBy(
            () ->
                FeatureDefinition.builder("f", SettingType.STRING)
                    .description("d".repeat(1001))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limited to 1000 characters");
    assertThatThrownBy(
            () ->
                FeatureDefinition.builder("f", SettingType.STRING).owner("o".repeat(1001)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void registryListsDeclaredFeatures() {
    InMemoryStore store =
        TestSupport.store(
            Hierarchy.DEFAULT,
            FeatureDefinition.bool("b"),
            FeatureDefinition.builder("a", SettingType.LONG).build());
    assertThat(store.features())
        .extracting(FeatureDefinition::key)
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void settingAndStateValidateTheirKeyAndVersion() {
    Scope global = Hierarchy.DEFAULT.global();
    assertThatThrownBy(() -> new Setting("bad key", global, SettingValue.of(true), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Setting("ok", global, SettingValue.of(true), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(
            () ->
                new FeatureState(
                    "a", Optional.of(FeatureDefinition.bool("b")), false, List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("definition of 'b' given for feature 'a'");
  }
}
