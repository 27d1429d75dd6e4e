package io.toggles;

import static io.toggles.TestSupport.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExplanationTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Context CTX = Context.of(H, "p1", "m1", "DE");

  private final InMemoryStore store =
      TestSupport.store(
          H,
          FeatureDefinition.builder("gateway", SettingType.STRING).build(),
          FeatureDefinition.builder("fee", SettingType.LONG).defaultValue("5").build(),
          FeatureDefinition.bool("checkout"));
  private Toggles toggles = TestSupport.toggles(store);

  @AfterEach
  void close() {
    toggles.close();
  }

  private void rows() {
    TestSupport.set(store, "gateway", SettingValue.of("global"), null, null, null);
    TestSupport.set(store, "gateway", SettingValue.of("DE"), null, null, "DE");
    TestSupport.set(store, "gateway", SettingValue.of("m1"), null, "m1", null);
    TestSupport.set(store, "gateway", SettingValue.of("p1"), "p1", null, null);
    TestSupport.set(store, "gateway", SettingValue.of("p1-DE"), "p1", null, "DE");
    TestSupport.set(store, "gateway", SettingValue.of("p1-m1"), "p1", "m1", null);
    TestSupport.set(store, "gateway", SettingValue.of("p1-FR"), "p1", null, "FR");
    TestSupport.set(store, "gateway", SettingValue.of("p2"), "p2", null, null);
    toggles.sync();
  }

  @Test
  void explainsWinnerOutrankedRowsAndExcludedRows() {
    rows();
    Explanation e = toggles.explain("gateway", CTX);
    assertThat(e.feature()).isEqualTo("gateway");
    assertThat(e.context()).isEqualTo(CTX);
    assertThat(e.outcome()).isEqualTo(Explanation.Outcome.ROW);
    assertThat(e.value()).contains(SettingValue.of("p1-m1"));
    assertThat(e.winner().orElseThrow().scope()).isEqualTo(Scope.of(H, "p1", "m1", null));
    // Its version is the revision of its write: after 3 declarations and 5 other rows.
    assertThat(e.winner().orElseThrow().version()).isEqualTo(9);
    assertThat(e.outranked())
        .extracting(o -> o.setting().value().text(), Explanation.Outranked::lostOn)
        .containsExactlyInAnyOrder(
            tuple("p1-DE", "merchant"),
            tuple("p1", "merchant"),
            tuple("m1", "product"),
            tuple("DE", "product"),
            tuple("global", "product"));
    assertThat(e.excluded())
        .extracting(
            x -> x.setting().value().text(),
            Explanation.Excluded::dimension,
            Explanation.Excluded::contextValue)
        .containsExactlyInAnyOrder(
            tuple("p1-FR", "country", Optional.of("DE")),
            tuple("p2", "product", Optional.of("p1")));
    assertThat(e.excludedTotal()).isEqualTo(2);
    assertThat(e.revision()).isEqualTo(store.revision());
    assertThat(e.definition().orElseThrow().type()).isEqualTo(SettingType.STRING);
  }

  @Test
  void rowNamingAnAbsentDimensionIsExcludedOnThatDimension() {
    rows();
    Explanation e = toggles.explain("gateway", Context.of(H, "p1", null, "DE"));
    assertThat(e.value()).contains(SettingValue.of("p1-DE"));
    assertThat(e.excluded())
        .extracting(x -> x.setting().value().text(), Explanation.Excluded::dimension)
        .contains(tuple("m1", "merchant"), tuple("p1-m1", "merchant"));
    Explanation.Excluded m1 =
        e.excluded().stream()
            .filter(x -> x.setting().value().text().equals("m1"))
            .findFirst()
            .orElseThrow();
    assertThat(m1.contextValue()).isEmpty();
    assertThat(e.render()).contains("merchant is absent in the context");
  }

  @Test
  void renderContainsTheEssentials() {
    rows();
    String text = toggles.explain("gateway", CTX).render();
    assertThat(text)
        .startsWith("gateway for {product=p1, merchant=m1, country=DE} = p1-m1\n")
        .contains("winner: {product=p1, merchant=m1} = p1-m1 (version 9)")
        .contains("lost:     {product=p1, country=DE} = p1-DE (the winner names merchant")
        .contains("lost:     {global} = global (the winner names product")
        .contains("excluded: {product=p2} = p2 (product is 'p1' in the context)")
        .contains("excluded: {product=p1, country=FR} = p1-FR (country is 'DE' in the context)");
  }

  @Test
  void excludedRowsAreCappedButCounted() {
    for (int i = 0; i < 5; i++) {
      TestSupport.set(store, "gateway", SettingValue.of("v" + i), "other" + i, null, null);
    }
    TestSupport.set(store, "gateway", SettingValue.of("global"), null, null, null);
    toggles.close();
    toggles = Toggles.builder(store).syncInterval(Duration.ZERO).maxExplainedExclusions(2).build();
    Explanation e = toggles.explain("gateway", CTX);
    assertThat(e.value()).contains(SettingValue.of("global"));
    assertThat(e.excluded()).hasSize(2);
    assertThat(e.excludedTotal()).isEqualTo(5);
    assertThat(e.render()).contains("... and 3 more rows that do not match");
  }

  @Test
  void killedOutcomeStillShowsTheWinnerOnceUnkilled() {
    TestSupport.set(store, "checkout", SettingValue.of(true), "p1", null, null);
    store.kill("checkout", AUDIT);
    toggles.sync();
    Explanation e = toggles.explain("checkout", CTX);
    assertThat(e.outcome()).isEqualTo(Explanation.Outcome.KILLED);
    assertThat(e.value()).contains(SettingValue.of(false));
    assertThat(e.winner().orElseThrow().value()).isEqualTo(SettingValue.of(true));
    assertThat(e.render())
        .contains("= false")
        .contains("KILLED")
        .contains("once unkilled, the winner is {product=p1} = true");
  }

  @Test
  void defaultOutcomeWhenNoRowMatchesAndADefaultIsDeclared() {
    TestSupport.set(store, "fee", SettingValue.of(9), "p2", null, null);
    toggles.sync();
    Explanation e = toggles.explain("fee", CTX);
    assertThat(e.outcome()).isEqualTo(Explanation.Outcome.DEFAULT);
    assertThat(e.value()).contains(SettingValue.of(5));
    assertThat(e.winner()).isEmpty();
    assertThat(e.excludedTotal()).isEqualTo(1);
    assertThat(e.render()).contains("= 5").contains("the declared default");
  }

  @Test
  void notFoundOutcomeWhenNothingMatchesAndNoDefault() {
    Explanation e = toggles.explain("gateway", CTX);
    assertThat(e.outcome()).isEqualTo(Explanation.Outcome.NOT_FOUND);
    assertThat(e.value()).isEmpty();
    assertThat(e.winner()).isEmpty();
    assertThat(e.render()).contains("(not found)").contains("no default is declared");
  }

  @Test
  void aFeatureTheStoreDoesNotDeclareIsUnknownNamingTheRevision() {
    assertThatThrownBy(() -> toggles.explain("no-such-feature", Context.empty(H)))
        .isInstanceOf(UnknownFeatureException.class)
        .hasMessageContaining("'no-such-feature'")
        .hasMessageContaining("revision " + toggles.revision());
  }

  @Test
  void explanationValueIsWhatACheckReturns() {
    rows();
    for (String p : new String[] {null, "p1", "p2"}) {
      for (String m : new String[] {null, "m1"}) {
        for (String c : new String[] {null, "DE", "FR"}) {
          Context ctx = Context.of(H, p, m, c);
          assertThat(toggles.explain("gateway", ctx).value().map(SettingValue::text))
              .as(ctx.toString())
              .isEqualTo(toggles.find("gateway", ctx).map(SettingValue::text));
        }
      }
    }
  }
}
