package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeatureHandleTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("test", "handles");
  private final InMemoryStore store = InMemoryStore.create(H);
  private final Context p1 = Context.of(H, "p1", "m1", "DE");
  private final Context other = Context.of(H, "p2", "m1", "DE");

  @Test
  void aHandleAnswersAsTheTogglesDoAndFollowsEveryChange() {
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.set(
        "checkout", Scope.of(H, "p1", null, null), SettingValue.of(true), Expect.any(), AUDIT);
    try (Toggles t = Toggles.builder(store).syncInterval(Duration.ZERO).build()) {
      Feature checkout = t.feature("checkout");
      assertThat(checkout.key()).isEqualTo("checkout");
      assertThat(checkout.isEnabled(p1)).isTrue().isEqualTo(t.isEnabled("checkout", p1));
      assertThat(checkout.isEnabled("p1", "m1", "DE")).isTrue();
      assertThat(checkout.isEnabled(other)).isFalse();

      store.kill("checkout", AUDIT);
      t.sync();
      assertThat(checkout.isEnabled(p1)).isFalse();
      assertThat(checkout.explain(p1).outcome()).isEqualTo(Explanation.Outcome.KILLED);

      store.unkill("checkout", AUDIT);
      store.set(
          "checkout", Scope.of(H, "p2", null, null), SettingValue.of(true), Expect.any(), AUDIT);
      t.sync();
      assertThat(checkout.isEnabled(p1)).isTrue();
      assertThat(checkout.isEnabled(other)).isTrue();
      assertThat(t.feature("checkout")).isSameAs(checkout);
    }
  }

  @Test
  void aHandleTakenBeforeTheFeatureIsLoadedLoadsIt() {
    store.define(
        FeatureDefinition.builder("gateway", SettingType.STRING).defaultValue("adyen").build(),
        AUDIT);
    store.set(
        "gateway", Scope.of(H, null, "m1", null), SettingValue.of("stripe"), Expect.any(), AUDIT);
    try (Toggles t =
        Toggles.builder(store)
            .preload(false)
            .syncInterval(Duration.ZERO)
            .missWait(Duration.ofSeconds(5))
            .build()) {
      assertThat(t.cached("gateway")).isEmpty();
      Feature gateway = t.feature("gateway");
      assertThat(gateway.getString(p1, "none")).isEqualTo("stripe");
      assertThat(gateway.getString(Context.of(H, "p1", "m2", "DE"), "none")).isEqualTo("adyen");
    }
  }

  @Test
  void handlesTakenWhileSyncInstallsChangesEndAtTheLatestValue() throws Exception {
    int features = 200;
    for (int f = 0; f < features; f++) {
      store.define(FeatureDefinition.builder("n" + f, SettingType.LONG).build(), AUDIT);
      store.set("n" + f, Scope.of(H, null, null, null), SettingValue.of(0), Expect.any(), AUDIT);
    }
    try (Toggles t = Toggles.builder(store).preload(false).syncInterval(Duration.ZERO).build()) {
      for (int f = 0; f < features; f++) {
        t.getLong("n" + f, p1, -1); // cached, no handle yet
      }
      Feature[] handles = new Feature[features];
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      Thread taker =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int f = 0; f < features; f++) {
                  handles[f] = t.feature("n" + f);
                }
              });
      taker.start();
      go.countDown();
      for (int f = 0; f < features; f++) {
        store.set("n" + f, Scope.of(H, null, null, null), SettingValue.of(1), Expect.any(), AUDIT);
        t.sync(); // installs each change while the other thread takes handles
      }
      taker.join(10_000);
      assertThat(taker.isAlive()).isFalse();
      for (int f = 0; f < features; f++) {
        assertThat(handles[f].getLong(p1, -1)).as("n%d", f).isEqualTo(1);
      }
    }
  }

  @Test
  void typedHandleGettersNeverThrowAndAnswerTheCallersDefaultOnTheWrongType() {
    store.define(
        FeatureDefinition.builder("fee", SettingType.DECIMAL).defaultValue("1.5").build(), AUDIT);
    try (Toggles t = Toggles.builder(store).syncInterval(Duration.ZERO).build()) {
      Feature fee = t.feature("fee");
      assertThat(fee.getDecimal(p1, BigDecimal.ZERO)).isEqualByComparingTo("1.5");
      assertThat(fee.getLong(p1, 7)).isEqualTo(7);
      assertThat(fee.getString(p1, "x")).isEqualTo("x");
      assertThat(fee.getJson(p1, "{}")).isEqualTo("{}");
      assertThat(fee.getBoolean(p1, true)).isTrue();
      assertThat(fee.isEnabled(p1)).isFalse();
      Feature unknown = t.feature("nobody-declared-this");
      assertThat(unknown.getLong(p1, 42)).isEqualTo(42);
    }
  }

  @Test
  void aMalformedKeyIsRefusedWhenTheHandleIsTaken() {
    try (Toggles t = Toggles.builder(store).syncInterval(Duration.ZERO).build()) {
      assertThatThrownBy(() -> t.feature("not a key"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("malformed");
    }
  }
}
