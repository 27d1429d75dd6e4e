package io.toggles;

import static io.toggles.TestSupport.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Explanation#of}: any state explained without a {@link Toggles}, exactly as one would. */
class ExplanationOfStateTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;

  private final InMemoryStore store =
      TestSupport.store(
          H,
          FeatureDefinition.builder("gateway", SettingType.STRING).defaultValue("adyen").build(),
          FeatureDefinition.bool("checkout"));

  /** The rows of gateway, as {@code value=product,merchant,country} with '-' for a wildcard. */
  private static final List<String> GATEWAY_ROWS =
      List.of(
          "global=-,-,-", "DE=-,-,DE", "m1=-,m1,-", "p1=p1,-,-", "p1-DE=p1,-,DE", "p1-m1=p1,m1,-");

  private void rows() {
    for (String row : GATEWAY_ROWS) {
      String[] v = row.split("[=,]");
      String[] scope = new String[3];
      for (int i = 0; i < 3; i++) {
        scope[i] = v[i + 1].equals("-") ? null : v[i + 1];
      }
      TestSupport.set(store, "gateway", SettingValue.of(v[0]), scope);
    }
    TestSupport.set(store, "gateway", SettingValue.of("p1-m1-v2"), "p1", "m1", null); // version 2
    TestSupport.set(store, "checkout", SettingValue.of(true), "p1", null, null);
    store.kill("checkout", AUDIT);
  }

  @Test
  void everyContextIsExplainedAsARunningInstanceExplainsIt() {
    rows();
    try (Toggles toggles = TestSupport.toggles(store)) {
      assertExplainedAsBy(toggles);
    }
  }

  private void assertExplainedAsBy(Toggles toggles) {
    for (String feature : List.of("gateway", "checkout")) {
      FeatureState state = store.load(feature);
      for (String p : new String[] {null, "p1", "p2"}) {
        for (String m : new String[] {null, "m1"}) {
          for (String c : new String[] {null, "DE", "FR"}) {
            Context ctx = Context.of(H, p, m, c);
            assertThat(Explanation.of(H, state, ctx))
                .as(feature + " " + ctx)
                .isEqualTo(toggles.explain(feature, ctx));
          }
        }
      }
    }
  }

  @Test
  void aFeatureTheStoreDoesNotKnowIsNotFound() {
    // A running instance refuses to explain it (UnknownFeatureException); its state says it all.
    Explanation e = Explanation.of(H, store.load("undeclared"), Context.of(H, "p1", null, null));
    assertThat(e.outcome()).isEqualTo(Explanation.Outcome.NOT_FOUND);
    assertThat(e.value()).isEmpty();
    assertThat(e.definition()).isEmpty();
  }

  @Test
  void aStateNoStoreHoldsIsExplainedWithItsOwnRowVersions() {
    Scope shop = Scope.of(H, "shop", null, null);
    FeatureState proposed =
        new FeatureState(
            "checkout",
            Optional.of(FeatureDefinition.bool("checkout")),
            false,
            List.of(new Setting("checkout", shop, SettingValue.of(true), 7)),
            42);
    Explanation e = Explanation.of(H, proposed, Context.of(H, "shop", "m1", "DE"));
    assertThat(e.outcome()).isEqualTo(Explanation.Outcome.ROW);
    assertThat(e.winner().orElseThrow().version()).isEqualTo(7);
    assertThat(e.revision()).isEqualTo(42);
    assertThat(Explanation.of(H, proposed, Context.empty(H)).outcome())
        .isEqualTo(Explanation.Outcome.DEFAULT);
  }

  @Test
  void excludedRowsAreListedUpToTheBoundAndAllCounted() {
    rows();
    FeatureState state = store.load("gateway");
    Context ctx = Context.of(H, "p2", null, "FR");
    assertThat(Explanation.of(H, state, ctx, 1).excluded()).hasSize(1);
    assertThat(Explanation.of(H, state, ctx, 1).excludedTotal()).isEqualTo(5);
    assertThat(Explanation.of(H, state, ctx).excluded()).hasSize(5);
  }

  @Test
  void aStateOfAnotherHierarchyOrFeatureIsRefused() {
    Hierarchy other = Hierarchy.of("tenant");
    FeatureState foreign =
        new FeatureState(
            "x",
            Optional.empty(),
            false,
            List.of(new Setting("x", Scope.of(other, "t1"), SettingValue.of(true), 1)),
            1);
    assertThatThrownBy(() -> Explanation.of(H, foreign, Context.empty(H)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has dimensions [tenant] but the hierarchy is");
    FeatureState mixed =
        new FeatureState(
            "x",
            Optional.empty(),
            false,
            List.of(new Setting("y", H.global(), SettingValue.of(true), 1)),
            1);
    assertThatThrownBy(() -> Explanation.of(H, mixed, Context.empty(H)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the state of 'x' holds a row of 'y'");
    assertThatThrownBy(() -> Explanation.of(H, FeatureState.absent("x", 0), Context.empty(other)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("context has dimensions [tenant]");
    assertThatThrownBy(() -> Explanation.of(H, FeatureState.absent("x", 0), Context.empty(H), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void renderEscapesStoredTextAndCutsLongValuesOnRequest() {
    String hostile = "\u001b[2J\u001b]0;pwned\u0007\u202eevil\nwinner: forged";
    store.define(FeatureDefinition.builder("motd", SettingType.STRING).build(), AUDIT);
    store.set(
        "motd",
        Scope.of(H, "shop\u202e", null, null),
        SettingValue.of(hostile),
        Expect.any(),
        AUDIT);
    store.set("motd", H.global(), SettingValue.of("x".repeat(65_536)), Expect.any(), AUDIT);
    FeatureState state = store.load("motd");

    String text = Explanation.of(H, state, Context.of(H, "shop\u202e", null, null)).render();
    assertThat(text)
        .contains("\\u001b[2J\\u001b]0;pwned\\u0007\\u202eevil\\u000awinner: forged")
        .contains("{product=shop\\u202e}")
        .doesNotContain("\u001b", "\u0007", "\u202e");
    assertThat(text.lines()).hasSize(3); // the headline, the winner, one lost row

    String cut = Explanation.of(H, state, Context.empty(H)).render(100);
    assertThat(cut.lines()).allSatisfy(l -> assertThat(l.length()).isLessThan(200));
    assertThat(cut).contains("... (65536 chars)");
    assertThat(Explanation.of(H, state, Context.empty(H)).render()).hasSizeGreaterThan(65_536);
  }
}
