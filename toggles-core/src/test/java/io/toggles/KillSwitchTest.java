package io.toggles;

import static io.toggles.TestSupport.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KillSwitchTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final List<Context> CONTEXTS = new ArrayList<>();

  static {
    for (String p : new String[] {null, "p1", "p2"}) {
      for (String m : new String[] {null, "m1", "m2"}) {
        for (String c : new String[] {null, "DE", "FR"}) {
          CONTEXTS.add(Context.of(H, p, m, c));
        }
      }
    }
  }

  private final InMemoryStore store =
      TestSupport.store(
          H,
          FeatureDefinition.bool("checkout"),
          FeatureDefinition.builder("gateway", SettingType.STRING).defaultValue("safe").build(),
          FeatureDefinition.builder("bare", SettingType.LONG).build());
  private final Toggles toggles = TestSupport.toggles(store);

  @AfterEach
  void close() {
    toggles.close();
  }

  private void scopedRows() {
    TestSupport.set(store, "checkout", SettingValue.of(true), null, null, null);
    TestSupport.set(store, "checkout", SettingValue.of(false), null, "m2", null);
    TestSupport.set(store, "checkout", SettingValue.of(true), "p1", "m2", "DE");
    TestSupport.set(store, "checkout", SettingValue.of(true), null, null, "FR");
    TestSupport.set(store, "gateway", SettingValue.of("adyen"), null, null, null);
    TestSupport.set(store, "gateway", SettingValue.of("stripe"), "p2", null, null);
    toggles.sync();
  }

  private List<Object> snapshot() {
    List<Object> out = new ArrayList<>();
    for (Context c : CONTEXTS) {
      out.add(toggles.isEnabled("checkout", c));
      out.add(toggles.getString("gateway", c, "caller"));
    }
    return out;
  }

  @Test
  void killedBooleanIsOffEverywhereWhateverTheRowsSay() {
    scopedRows();
    store.kill("checkout", AUDIT).orElseThrow();
    toggles.sync();
    for (Context c : CONTEXTS) {
      assertThat(toggles.isEnabled("checkout", c)).as(c.toString()).isFalse();
      assertThat(toggles.requireBoolean("checkout", c)).isFalse();
    }
    assertThat(toggles.isEnabled("checkout", "p1", "m2", "DE")).isFalse();
  }

  @Test
  void killedNonBooleanAnswersItsDeclaredDefaultEverywhere() {
    scopedRows();
    store.kill("gateway", AUDIT).orElseThrow();
    toggles.sync();
    for (Context c : CONTEXTS) {
      assertThat(toggles.getString("gateway", c, "caller")).as(c.toString()).isEqualTo("safe");
    }
  }

  @Test
  void unkillRestoresExactlyThePreviousPerScopeBehaviour() {
    scopedRows();
    List<Object> before = snapshot();
    assertThat(before).contains(true, false, "adyen", "stripe");
    store.kill("checkout", AUDIT);
    store.kill("gateway", AUDIT);
    toggles.sync();
    assertThat(snapshot()).isNotEqualTo(before);
    store.unkill("checkout", AUDIT);
    store.unkill("gateway", AUDIT);
    toggles.sync();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void killOfNonBooleanWithoutDefaultIsRefusedAndWritesNothing() {
    long revision = store.revision();
    assertThatThrownBy(() -> store.kill("bare", AUDIT))
        .isInstanceOf(TogglesException.class)
        .hasMessageContaining("'bare'")
        .hasMessageContaining("define a default first");
    assertThat(store.revision()).isEqualTo(revision);
    assertThat(store.read("bare").killed()).isFalse();
  }

  @Test
  void killAndUnkillAreIdempotent() {
    assertThat(store.kill("checkout", AUDIT)).isPresent();
    long revision = store.revision();
    assertThat(store.kill("checkout", AUDIT)).isEqualTo(Optional.empty());
    assertThat(store.revision()).isEqualTo(revision);
    assertThat(store.unkill("checkout", AUDIT)).isPresent();
    assertThat(store.unkill("checkout", AUDIT)).isEmpty();
    assertThat(store.revision()).isEqualTo(revision + 1);
  }

  @Test
  void killOfUnknownFeatureIsRefused() {
    assertThatThrownBy(() -> store.kill("nope", AUDIT)).isInstanceOf(UnknownFeatureException.class);
    assertThatThrownBy(() -> store.unkill("nope", AUDIT))
        .isInstanceOf(UnknownFeatureException.class);
  }

  @Test
  void definitionKillValueIsOffForBooleansAndTheDefaultOtherwise() {
    assertThat(FeatureDefinition.bool("x").killValue()).contains(SettingValue.of(false));
    assertThat(
            FeatureDefinition.builder("x", SettingType.BOOLEAN)
                .defaultValue("true")
                .build()
                .killValue())
        .contains(SettingValue.of(false));
    assertThat(
            FeatureDefinition.builder("x", SettingType.LONG).defaultValue("3").build().killValue())
        .contains(SettingValue.of(3));
    assertThat(FeatureDefinition.builder("x", SettingType.LONG).build().killValue()).isEmpty();
  }
}
