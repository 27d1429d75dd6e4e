package io.toggles;

import static io.toggles.TestSupport.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrecedenceTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private final InMemoryStore store =
      TestSupport.store(H, FeatureDefinition.builder("gateway", SettingType.STRING).build());
  private Toggles toggles;

  @AfterEach
  void close() {
    if (toggles != null) {
      toggles.close();
    }
  }

  private void row(String value, String product, String merchant, String country) {
    store.set(
        "gateway",
        Scope.of(H, product, merchant, country),
        SettingValue.of(value),
        Expect.absent(),
        AUDIT);
  }

  private String check(String product, String merchant, String country) {
    if (toggles == null) {
      toggles = TestSupport.toggles(store);
    }
    return toggles.getString("gateway", Context.of(H, product, merchant, country), "none");
  }

  private void workedTable() {
    row("global", null, null, null);
    row("country-DE", null, null, "DE");
    row("merchant-m1", null, "m1", null);
    row("m1-DE", null, "m1", "DE");
    row("p1", "p1", null, null);
    row("p1-FR", "p1", null, "FR");
    row("p1-m2", "p1", "m2", null);
    row("p2-m1-DE", "p2", "m1", "DE");
  }

  /** The worked example of the default hierarchy: every context and the row that wins it. */
  @ParameterizedTest(name = "product={0} merchant={1} country={2} -> {3}")
  @CsvSource({
    ",,,global",
    ",,DE,country-DE",
    ",,FR,global",
    ",m1,,merchant-m1",
    ",m1,DE,m1-DE",
    ",m1,FR,merchant-m1",
    ",m2,,global",
    "p1,,,p1",
    "p1,m1,DE,p1",
    "p1,m1,FR,p1-FR",
    "p1,m2,FR,p1-m2",
    "p1,m2,,p1-m2",
    "p2,m1,DE,p2-m1-DE",
    "p2,m1,FR,merchant-m1",
    "p2,,DE,country-DE",
    "p2,m2,DE,country-DE",
    "p3,m3,IT,global",
  })
  void workedTableOfTheDefaultHierarchy(
      String product, String merchant, String country, String winner) {
    workedTable();
    assertThat(check(product, merchant, country)).isEqualTo(winner);
    Explanation e = toggles.explain("gateway", Context.of(H, product, merchant, country));
    assertThat(e.outcome()).isEqualTo(Explanation.Outcome.ROW);
    assertThat(e.value()).contains(SettingValue.of(winner));
  }

  @Test
  void productRowBeatsMerchantAndCountryRow() {
    row("merchant+country", null, "m1", "DE");
    row("product", "p1", null, null);
    assertThat(check("p1", "m1", "DE")).isEqualTo("product");
  }

  @Test
  void productRowBeatsRowNamingEveryOtherDimensionWhicheverIsWrittenFirst() {
    row("product", "p1", null, null);
    row("merchant+country", null, "m1", "DE");
    assertThat(check("p1", "m1", "DE")).isEqualTo("product");
  }

  @Test
  void merchantBreaksTheTieBetweenTwoProductRows() {
    row("p1+country", "p1", null, "DE");
    row("p1+merchant", "p1", "m1", null);
    assertThat(check("p1", "m1", "DE")).isEqualTo("p1+merchant");
  }

  @Test
  void countryBreaksTheTieWhenProductAndMerchantAreNamedByBoth() {
    row("p1+m1", "p1", "m1", null);
    row("p1+m1+DE", "p1", "m1", "DE");
    assertThat(check("p1", "m1", "DE")).isEqualTo("p1+m1+DE");
    assertThat(check("p1", "m1", "FR")).isEqualTo("p1+m1");
  }

  @Test
  void globalRowIsTheFallback() {
    row("global", null, null, null);
    row("p1", "p1", null, null);
    assertThat(check("p2", "m1", "DE")).isEqualTo("global");
    assertThat(check(null, null, null)).isEqualTo("global");
  }

  @Test
  void rowNamingADimensionTheContextLacksNeverMatches() {
    row("p1+m1", "p1", "m1", null);
    row("country-DE", null, null, "DE");
    assertThat(check("p1", null, "DE")).isEqualTo("country-DE");
    assertThat(check("p1", null, null)).isEqualTo("none");
  }

  @Test
  void wildcardDimensionMatchesAnyValueAndAbsence() {
    row("p1-any-merchant", "p1", null, null);
    assertThat(check("p1", "m1", "DE")).isEqualTo("p1-any-merchant");
    assertThat(check("p1", "m9", null)).isEqualTo("p1-any-merchant");
    assertThat(check("p1", null, null)).isEqualTo("p1-any-merchant");
    assertThat(check("p2", "m1", "DE")).isEqualTo("none");
  }

  @Test
  void rawValueOverloadsResolveLikeAContext() {
    InMemoryStore s = TestSupport.store(H, FeatureDefinition.bool("new-checkout"));
    TestSupport.set(s, "new-checkout", SettingValue.of(true), null, "m1", null);
    TestSupport.set(s, "new-checkout", SettingValue.of(false), "p1", null, null);
    try (Toggles t = TestSupport.toggles(s)) {
      assertThat(t.isEnabled("new-checkout", null, "m1", "DE")).isTrue();
      assertThat(t.isEnabled("new-checkout", "p1", "m1", "DE")).isFalse();
      assertThat(t.isEnabled("new-checkout", "p2", "m1", null)).isTrue();
      assertThat(t.isEnabled("new-checkout", null, null, null)).isFalse();
    }
  }

  @Test
  void rawOverloadsServeOneAndTwoDimensionHierarchies() {
    Hierarchy one = Hierarchy.of("tenant");
    InMemoryStore s1 = TestSupport.store(one, FeatureDefinition.bool("f"));
    s1.set("f", Scope.of(one, "t1"), SettingValue.of(true), Expect.any(), AUDIT);
    Hierarchy two = Hierarchy.of("tenant", "region");
    InMemoryStore s2 = TestSupport.store(two, FeatureDefinition.bool("f"));
    s2.set("f", Scope.of(two, "t1", null), SettingValue.of(true), Expect.any(), AUDIT);
    s2.set("f", Scope.of(two, null, "eu"), SettingValue.of(false), Expect.any(), AUDIT);
    s2.set("f", Scope.of(two, null, null), SettingValue.of(true), Expect.any(), AUDIT);
    try (Toggles t1 = TestSupport.toggles(s1);
        Toggles t2 = TestSupport.toggles(s2)) {
      assertThat(t1.isEnabled("f", "t1")).isTrue();
      assertThat(t1.isEnabled("f", "t2")).isFalse();
      assertThat(t1.isEnabled("f", (String) null)).isFalse();
      assertThat(t2.isEnabled("f", "t1", "eu")).isTrue();
      assertThat(t2.isEnabled("f", "t2", "eu")).isFalse();
      assertThat(t2.isEnabled("f", "t2", "us")).isTrue();
    }
  }

  @Test
  void customHierarchyGivesItsFirstDimensionPrecedence() {
    Hierarchy h = Hierarchy.of("tenant", "region");
    InMemoryStore s =
        TestSupport.store(h, FeatureDefinition.builder("limit", SettingType.LONG).build());
    s.set("limit", Scope.of(h, null, "eu"), SettingValue.of(10), Expect.any(), AUDIT);
    s.set("limit", Scope.of(h, "t1", null), SettingValue.of(20), Expect.any(), AUDIT);
    try (Toggles t = TestSupport.toggles(s)) {
      assertThat(t.getLong("limit", Context.of(h, "t1", "eu"), -1)).isEqualTo(20);
      assertThat(t.getLong("limit", Context.of(h, "t2", "eu"), -1)).isEqualTo(10);
      assertThat(t.getLong("limit", Context.of(h, "t2", "us"), -1)).isEqualTo(-1);
    }
  }

  @Test
  void scopeRankOrdersLexicographicallyByDimension() {
    Scope product = Scope.of(H, "p1", null, null);
    Scope merchantCountry = Scope.of(H, null, "m1", "DE");
    Scope productCountry = Scope.of(H, "p1", null, "DE");
    Scope productMerchant = Scope.of(H, "p1", "m1", null);
    assertThat(product.rank()).isGreaterThan(merchantCountry.rank());
    assertThat(productMerchant.rank()).isGreaterThan(productCountry.rank());
    assertThat(H.global().rank()).isZero();
    assertThat(H.global().isGlobal()).isTrue();
  }

  @Test
  void scopeMatchesOnlyContextsWithEveryNamedValue() {
    Scope s = Scope.of(H, "p1", null, "DE");
    assertThat(s.matches(Context.of(H, "p1", "m1", "DE"))).isTrue();
    assertThat(s.matches(Context.of(H, "p1", null, "DE"))).isTrue();
    assertThat(s.matches(Context.of(H, "p1", "m1", null))).isFalse();
    assertThat(s.matches(Context.of(H, "p2", "m1", "DE"))).isFalse();
    assertThat(H.global().matches(Context.empty(H))).isTrue();
  }
}
