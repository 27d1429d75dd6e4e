package io.toggles;

import static io.toggles.TestSupport.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LenientApiTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Context CTX = Context.of(H, "p1", "m1", "DE");
  private static final BigDecimal TEN = BigDecimal.TEN;

  private final InMemoryStore store =
      TestSupport.store(
          H,
          FeatureDefinition.builder("on", SettingType.BOOLEAN).build(),
          FeatureDefinition.builder("name", SettingType.STRING).build(),
          FeatureDefinition.builder("count", SettingType.LONG).build(),
          FeatureDefinition.builder("rate", SettingType.DECIMAL).build(),
          FeatureDefinition.builder("doc", SettingType.JSON).build());
  private Toggles toggles;

  @AfterEach
  void close() {
    if (toggles != null) {
      toggles.close();
    }
  }

  private Toggles toggles() {
    if (toggles == null) {
      toggles = TestSupport.toggles(store);
    }
    return toggles;
  }

  private void globalRows() {
    TestSupport.set(store, "on", SettingValue.of(true), null, null, null);
    TestSupport.set(store, "name", SettingValue.of("adyen"), null, null, null);
    TestSupport.set(store, "count", SettingValue.of(3), null, null, null);
    TestSupport.set(store, "rate", SettingValue.of(new BigDecimal("0.015")), null, null, null);
    TestSupport.set(store, "doc", SettingValue.json("{\"a\":1}"), null, null, null);
  }

  @Test
  void everyTypeIsReadThroughItsGetter() {
    globalRows();
    Toggles t = toggles();
    assertThat(t.isEnabled("on", CTX)).isTrue();
    assertThat(t.getBoolean("on", CTX, false)).isTrue();
    assertThat(t.getString("name", CTX, "x")).isEqualTo("adyen");
    assertThat(t.getLong("count", CTX, -1)).isEqualTo(3);
    assertThat(t.getDecimal("rate", CTX, TEN)).isEqualByComparingTo("0.015");
    assertThat(t.getJson("doc", CTX, "{}")).isEqualTo("{\"a\":1}");
    assertThat(t.find("count", CTX)).contains(SettingValue.of(3));
  }

  @Test
  void unknownFeatureAnswersTheCallersDefault() {
    Toggles t = toggles();
    assertThat(t.isEnabled("nobody-declared-this", CTX)).isFalse();
    assertThat(t.getBoolean("nobody-declared-this", CTX, true)).isTrue();
    assertThat(t.getString("nobody-declared-this", CTX, "dflt")).isEqualTo("dflt");
    assertThat(t.getLong("nobody-declared-this", CTX, 42)).isEqualTo(42);
    assertThat(t.getDecimal("nobody-declared-this", CTX, TEN)).isEqualTo(TEN);
    assertThat(t.getJson("nobody-declared-this", CTX, "[]")).isEqualTo("[]");
    assertThat(t.find("nobody-declared-this", CTX)).isEmpty();
    assertThat(t.isEnabled("nobody-declared-this", "p1", "m1", "DE")).isFalse();
  }

  @Test
  void malformedKeyAnswersTheCallersDefault() {
    globalRows();
    Toggles t = toggles();
    for (String key : new String[] {"", " ", "bad key", "-on", "x".repeat(101), "on\n"}) {
      assertThat(t.getBoolean(key, CTX, true)).as(key).isTrue();
      assertThat(t.isEnabled(key, CTX)).as(key).isFalse();
      assertThat(t.getLong(key, CTX, 9)).as(key).isEqualTo(9);
      assertThat(t.isEnabled(key, "p1", "m1", "DE")).as(key).isFalse();
    }
  }

  @Test
  void nullKeyOrContextAnswersTheCallersDefault() {
    globalRows();
    Toggles t = toggles();
    assertThat(t.getBoolean(null, CTX, true)).isTrue();
    assertThat(t.isEnabled(null, CTX)).isFalse();
    assertThat(t.isEnabled(null, "p1", "m1", "DE")).isFalse();
    assertThat(t.getString("name", null, "dflt")).isEqualTo("dflt");
    assertThat(t.isEnabled("on", (Context) null)).isFalse();
  }

  @Test
  void wrongTypeAnswersTheCallersDefault() {
    globalRows();
    Toggles t = toggles();
    assertThat(t.getBoolean("name", CTX, true)).isTrue();
    assertThat(t.isEnabled("count", CTX)).isFalse();
    assertThat(t.isEnabled("count", "p1", "m1", "DE")).isFalse();
    assertThat(t.getString("on", CTX, "dflt")).isEqualTo("dflt");
    assertThat(t.getLong("rate", CTX, 7)).isEqualTo(7);
    assertThat(t.getDecimal("count", CTX, TEN)).isEqualTo(TEN);
    assertThat(t.getJson("name", CTX, "[]")).isEqualTo("[]");
    assertThat(t.getString("doc", CTX, "dflt")).isEqualTo("dflt");
  }

  @Test
  void wrongNumberOfRawValuesAnswersFalse() {
    globalRows();
    Toggles t = toggles();
    assertThat(t.isEnabled("on", "p1", "m1", "DE")).isTrue();
    assertThat(t.isEnabled("on", "p1")).isFalse();
    assertThat(t.isEnabled("on", "p1", "m1")).isFalse();
  }

  @Test
  void contextOfAnotherHierarchyAnswersTheCallersDefault() {
    globalRows();
    Toggles t = toggles();
    Context foreign = Context.of(Hierarchy.of("tenant", "region"), "t1", "eu");
    assertThat(t.isEnabled("on", foreign)).isFalse();
    assertThat(t.getLong("count", foreign, 99)).isEqualTo(99);
    assertThat(t.getString("name", foreign, "dflt")).isEqualTo("dflt");
  }

  @Test
  void storeThatThrowsOnLoadAnswersTheCallersDefault() {
    ThrowingStore down = new ThrowingStore(H);
    try (Toggles t =
        Toggles.builder(down).syncInterval(Duration.ZERO).missWait(Duration.ofSeconds(5)).build()) {
      assertThat(t.isEnabled("on", CTX)).isFalse();
      assertThat(t.getBoolean("on", CTX, true)).isTrue();
      assertThat(t.getString("name", CTX, "dflt")).isEqualTo("dflt");
      assertThat(t.getLong("count", CTX, 5)).isEqualTo(5);
      assertThat(t.getDecimal("rate", CTX, TEN)).isEqualTo(TEN);
      assertThat(t.getJson("doc", CTX, "{}")).isEqualTo("{}");
      assertThat(t.isEnabled("on", "p1", "m1", "DE")).isFalse();
      assertThat(t.find("on", CTX)).isEmpty();
      // The store is failing, so checks do not wait for it; a sync still tries it behind them.
      int before = down.reads.get();
      assertThat(t.isEnabled("on", CTX)).isFalse();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (down.reads.get() == before && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(down.reads.get()).isGreaterThan(before);
    }
  }

  @Test
  void declaredDefaultBeatsCallersDefaultWhenNoRowMatches() {
    InMemoryStore s =
        TestSupport.store(
            H,
            FeatureDefinition.builder("on", SettingType.BOOLEAN).defaultValue("true").build(),
            FeatureDefinition.builder("count", SettingType.LONG).defaultValue("12").build(),
            FeatureDefinition.builder("name", SettingType.STRING).defaultValue("declared").build());
    TestSupport.set(s, "count", SettingValue.of(50), "p9", null, null);
    try (Toggles t = TestSupport.toggles(s)) {
      assertThat(t.isEnabled("on", CTX)).isTrue();
      assertThat(t.isEnabled("on", "p1", null, null)).isTrue();
      assertThat(t.getLong("count", CTX, -1)).isEqualTo(12);
      assertThat(t.getLong("count", Context.of(H, "p9", null, null), -1)).isEqualTo(50);
      assertThat(t.getString("name", CTX, "caller")).isEqualTo("declared");
    }
  }

  @Test
  void checkOnMissNeverThrowsWhenTheLoadCompletesOnTheCallingThread() {
    TestSupport.set(store, "on", SettingValue.of(true), null, null, null);
    InlineScheduler inline = new InlineScheduler();
    try (Toggles t =
        Toggles.builder(store)
            .preload(false)
            .syncInterval(Duration.ZERO)
            .executor(inline)
            .build()) {
      assertThat(t.isEnabled("on", CTX)).isTrue();
      assertThat(t.isEnabled("on", "p1", "m1", "DE")).isTrue();
    } finally {
      inline.shutdownNow();
    }
  }

  @Test
  void featureLoadsOnTheNextCheckOnceTheStoreRecoversFromAFailedLoad() {
    TestSupport.set(store, "on", SettingValue.of(true), null, null, null);
    FlakyStore flaky = new FlakyStore(store);
    flaky.down = true;
    InlineScheduler inline = new InlineScheduler();
    try (Toggles t =
        Toggles.builder(flaky)
            .preload(false)
            .syncInterval(Duration.ZERO)
            .executor(inline)
            .build()) {
      assertThat(t.isEnabled("on", CTX)).isFalse();
      flaky.down = false;
      assertThat(t.isEnabled("on", CTX)).isTrue();
    } finally {
      inline.shutdownNow();
    }
  }

  @Test
  void checkAfterCloseAnswersTheCallersDefault() {
    TestSupport.set(store, "on", SettingValue.of(true), null, null, null);
    Toggles t = Toggles.builder(store).preload(false).syncInterval(Duration.ZERO).build();
    t.close();
    assertThat(t.getBoolean("on", CTX, false)).isFalse();
    assertThat(t.getLong("count", CTX, 4)).isEqualTo(4);
  }

  @Test
  void writesAreSeenAfterSync() {
    Toggles t = toggles();
    assertThat(t.isEnabled("on", CTX)).isFalse();
    TestSupport.set(store, "on", SettingValue.of(true), "p1", null, null);
    t.sync();
    assertThat(t.isEnabled("on", CTX)).isTrue();
    store.unset("on", Scope.of(H, "p1", null, null), Expect.any(), AUDIT);
    t.sync();
    assertThat(t.isEnabled("on", CTX)).isFalse();
  }
}
