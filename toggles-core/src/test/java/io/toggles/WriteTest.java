package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Writes as values check what they can without a store, with the store's own messages. */
class WriteTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;

  @Test
  void everyWriteChecksItsKeyAndDescribesItself() {
    assertThatThrownBy(
            () -> new Write.Set("bad key", H.global(), SettingValue.of(true), Expect.any()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feature key 'bad key' is malformed");
    assertThatThrownBy(() -> new Write.Kill("")).hasMessageContaining("feature key is blank");
    assertThatThrownBy(() -> new Write.Unset("x".repeat(101), H.global(), Expect.any()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Write.Set("f", H.global(), SettingValue.of(true), Expect.any()).describe())
        .isEqualTo("setting 'f' at {global}");
    assertThat(new Write.Unkill("f").describe()).isEqualTo("unkilling 'f'");
    assertThat(new Write.Revert(9).describe()).isEqualTo("reverting revision 9");
  }

  @Test
  void aValueTheDatabasesCannotStoreIsRefusedInEveryWriteThatCarriesOne() {
    SettingValue nul = SettingValue.of("a\u0000b");
    assertThatThrownBy(() -> new Write.Set("f", H.global(), nul, Expect.any()))
        .hasMessageContaining("U+0000");
    assertThatThrownBy(
            () ->
                new Write.Define(
                    FeatureDefinition.builder("f", SettingType.STRING).defaultValue(nul).build()))
        .hasMessageContaining("U+0000");
    FeatureState withNul =
        new FeatureState(
            "f",
            Optional.of(FeatureDefinition.builder("f", SettingType.STRING).build()),
            false,
            List.of(new Setting("f", H.global(), nul, 1)),
            0);
    assertThatThrownBy(() -> new Write.Import(List.of(withNul), false))
        .hasMessageContaining("U+0000");
  }

  @Test
  void anImportIsCheckedWholeBeforeItRuns() {
    FeatureState undeclared = FeatureState.absent("f", 0);
    assertThatThrownBy(() -> new Write.Import(List.of(undeclared), false))
        .hasMessageContaining("imported feature 'f' has no declaration");
    FeatureDefinition def = FeatureDefinition.bool("f");
    FeatureState twoRows =
        new FeatureState(
            "f",
            Optional.of(def),
            false,
            List.of(
                new Setting("f", H.global(), SettingValue.of(true), 1),
                new Setting("f", H.global(), SettingValue.of(false), 1)),
            0);
    assertThatThrownBy(() -> new Write.Import(List.of(twoRows), false))
        .hasMessageContaining("imported feature 'f' has two rows for {global}");
    FeatureState once = new FeatureState("f", Optional.of(def), false, List.of(), 0);
    assertThatThrownBy(() -> new Write.Import(List.of(once, once), true))
        .hasMessageContaining("feature 'f' is imported twice");
    assertThat(new Write.Import(List.of(once), true).keys()).containsExactly("f");
  }

  @Test
  void aRevertNamesARevisionThatCanHoldAChange() {
    assertThatThrownBy(() -> new Write.Revert(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no change at revision 0");
  }
}
