package io.toggles;

import static io.toggles.TestSupport.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EffectTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final String F = "checkout";

  private final InMemoryStore store = TestSupport.store(H, FeatureDefinition.bool(F));

  private Scope scope(String product, String merchant, String country) {
    return Scope.of(H, product, merchant, country);
  }

  private void set(Scope scope, boolean value) {
    store.set(F, scope, SettingValue.of(value), Expect.any(), AUDIT);
  }

  /** The effect of a write, applied to a copy of the store. */
  private Effect effectOf(Optional<Scope> written, Consumer<InMemoryStore> write) {
    InMemoryStore copy = store.copy();
    write.accept(copy);
    return Effect.of(H, store.load(F), copy.load(F), written);
  }

  private Effect effectOfSet(Scope scope, boolean value) {
    return effectOf(
        Optional.of(scope), s -> s.set(F, scope, SettingValue.of(value), Expect.any(), AUDIT));
  }

  private static List<String> cells(List<Effect.ContextChange> changes) {
    return changes.stream()
        .map(
            c ->
                c.context().asMap()
                    + " "
                    + c.before().orElseThrow().text()
                    + "->"
                    + c.after().orElseThrow().text()
                    + (c.other() ? " other" : ""))
        .toList();
  }

  @Test
  void aCountryRowThatEveryProductRowOverridesChangesOnlyOtherTraffic() {
    set(scope("shop", null, null), true);
    set(scope("app", null, null), true);
    set(scope(null, null, "DE"), true);
    Effect e = effectOfSet(scope(null, null, "DE"), false);
    assertThat(cells(e.changed())).containsExactly("{country=DE} true->false other");
    assertThat(e.listed()).isEmpty();
    assertThat(e.masking())
        .extracting(s -> s.scope().toString())
        .containsExactly("{product=app}", "{product=shop}");
    assertThat(e.examined()).isEqualTo(3);
    assertThat(e.reach()).isEqualTo(1);
    assertThat(e.reachesAll()).isFalse();
    assertThat(e.maskedByKill()).isFalse();
    assertThat(e.truncated()).isFalse();
    assertThat(e.feature()).isEqualTo(F);
    assertThat(e.written()).contains(scope(null, null, "DE"));
  }

  @Test
  void aMoreSpecificRowMasksOnlyWhereItMatches() {
    set(scope("shop", null, null), true);
    set(scope("shop", null, "DE"), false);
    Effect e = effectOfSet(scope("shop", "m1", null), false);
    // {shop, m1, DE} keeps false, but from the written row (it outranks {shop, DE}): not masked.
    assertThat(cells(e.changed())).containsExactly("{product=shop, merchant=m1} true->false other");
    assertThat(e.masking()).isEmpty();
    Effect merchant = effectOfSet(scope(null, "m1", null), true);
    assertThat(merchant.masking())
        .extracting(s -> s.scope().toString())
        .containsExactly("{product=shop, country=DE}", "{product=shop}");
    assertThat(cells(merchant.changed()))
        .containsExactly(
            "{merchant=m1} false->true other", "{merchant=m1, country=DE} false->true other");
  }

  @Test
  void removingARowThatLessSpecificRowsAgreeWithChangesNothingAndMasksNothing() {
    set(scope("shop", null, null), true);
    set(scope("shop", null, "DE"), true);
    Scope de = scope("shop", null, "DE");
    Effect e = effectOf(Optional.of(de), s -> s.unset(F, de, Expect.any(), AUDIT));
    assertThat(e.changed()).isEmpty();
    assertThat(e.masking()).as("{product=shop} decides now, it masks nothing").isEmpty();
    assertThat(e.maskedByKill()).isFalse();
  }

  @Test
  void aKillChangesEveryContextARowTurnedOn() {
    set(scope("shop", null, null), true);
    Effect e = effectOf(Optional.empty(), s -> s.kill(F, AUDIT));
    assertThat(cells(e.changed())).containsExactly("{product=shop} true->false");
    assertThat(e.examined()).isEqualTo(2);
    assertThat(e.reachesAll()).isFalse();
    assertThat(e.maskedByKill()).as("no row is written").isFalse();
    assertThat(e.masking()).isEmpty();
  }

  @Test
  void aWriteUnderTheKillSwitchHasNoEffectUntilUnkilled() {
    set(scope("shop", null, null), true);
    store.kill(F, AUDIT);
    Effect e = effectOfSet(scope(null, null, "DE"), true);
    assertThat(e.changed()).isEmpty();
    assertThat(e.maskedByKill()).isTrue();
  }

  @Test
  void aGlobalRowReachesAllTraffic() {
    set(scope("shop", null, null), true);
    Effect e = effectOfSet(H.global(), true);
    assertThat(e.reachesAll()).isTrue();
    assertThat(cells(e.changed())).containsExactly("{} false->true other");
    assertThat(e.masking()).extracting(s -> s.scope().toString()).containsExactly("{product=shop}");
  }

  @Test
  void theExaminationStopsAtItsBoundAndSaysSo() {
    for (int i = 0; i < 5; i++) {
      set(scope("p" + i, null, null), true);
    }
    // 6 products (absent and p0..p4) x 1 x 1 contexts
    Effect all = Effect.of(H, store.load(F), withKill(), Optional.empty(), 6);
    assertThat(all.examined()).isEqualTo(6);
    assertThat(all.truncated()).isFalse();
    assertThat(all.reach()).isEqualTo(5);
    Effect cut = Effect.of(H, store.load(F), withKill(), Optional.empty(), 3);
    assertThat(cut.examined()).isEqualTo(3);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.reach()).isEqualTo(2);
  }

  private FeatureState withKill() {
    InMemoryStore copy = store.copy();
    copy.kill(F, AUDIT);
    return copy.load(F);
  }

  @Test
  void badArgumentsAreRefused() {
    FeatureState s = store.load(F);
    assertThatThrownBy(() -> Effect.of(H, s, FeatureState.absent("other", 0), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two features");
    Scope foreign = Scope.of(Hierarchy.of("tenant"), "t1");
    assertThatThrownBy(() -> Effect.of(H, s, s, Optional.of(foreign)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has dimensions [tenant]");
    assertThatThrownBy(() -> Effect.of(H, s, s, Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Effect.ContextChange(
                    Context.empty(H),
                    Optional.of(SettingValue.of(true)),
                    Optional.of(SettingValue.of(true)),
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not change");
  }

  /**
   * For random rows and a random write, every context over a wider alphabet than the rows use (so
   * that some values are named by no row) changes exactly when its representative does: the context
   * with every value no row names replaced by "absent". That is what the examined contexts and
   * {@link Effect.ContextChange#other()} promise. Even rounds write one row; odd rounds change
   * several rows and the kill switch at once, with no written scope (as an import would).
   */
  @Test
  void theExaminedContextsStandForEveryContext() {
    Random random = new Random(20261201);
    String[] named = {"a", "b"};
    for (int round = 0; round < 400; round++) {
      InMemoryStore s = TestSupport.store(H, FeatureDefinition.bool(F));
      randomRows(random, s, named, random.nextInt(6));
      FeatureState before = s.load(F);
      Optional<Scope> written;
      if (round % 2 == 0) {
        written = Optional.of(randomScope(random, named));
        s.set(F, written.get(), SettingValue.of(random.nextBoolean()), Expect.any(), AUDIT);
      } else {
        written = Optional.empty();
        randomRows(random, s, named, 1 + random.nextInt(4));
        for (Setting row : s.load(F).rows()) {
          if (random.nextInt(4) == 0) {
            s.unset(F, row.scope(), Expect.any(), AUDIT);
          }
        }
      }
      FeatureState after = s.load(F);
      assertEveryContextChangesAsItsRepresentative(
          "round " + round, before, after, Effect.of(H, before, after, written));
    }
  }

  private static void randomRows(Random random, InMemoryStore s, String[] named, int rows) {
    for (int r = 0; r < rows; r++) {
      s.set(
          F,
          randomScope(random, named),
          SettingValue.of(random.nextBoolean()),
          Expect.any(),
          AUDIT);
    }
    if (random.nextInt(5) == 0) {
      s.kill(F, AUDIT);
    } else if (random.nextInt(5) == 0) {
      s.unkill(F, AUDIT);
    }
  }

  private static void assertEveryContextChangesAsItsRepresentative(
      String what, FeatureState before, FeatureState after, Effect e) {
    Set<String> changed =
        e.changed().stream().map(c -> c.context().asMap().toString()).collect(Collectors.toSet());
    String[] any = {null, "a", "b", "z"};
    for (String p : any) {
      for (String m : any) {
        for (String c : any) {
          Context ctx = Context.of(H, p, m, c);
          boolean changes =
              !Explanation.of(H, before, ctx).value().equals(Explanation.of(H, after, ctx).value());
          Context representative = representative(ctx, before, after);
          assertThat(changes)
              .as("%s, %s written, %s via %s", what, e.written(), ctx, representative)
              .isEqualTo(changed.contains(representative.asMap().toString()));
        }
      }
    }
  }

  private static Scope randomScope(Random random, String[] values) {
    String[] v = new String[3];
    for (int i = 0; i < 3; i++) {
      v[i] = random.nextBoolean() ? null : values[random.nextInt(values.length)];
    }
    return Scope.of(H, v);
  }

  /** The context with each value that no row of either state names there made absent. */
  private static Context representative(Context ctx, FeatureState before, FeatureState after) {
    List<Setting> rows = new ArrayList<>(before.rows());
    rows.addAll(after.rows());
    String[] v = new String[H.size()];
    for (int i = 0; i < H.size(); i++) {
      int d = i;
      Optional<String> value = ctx.value(i);
      v[i] =
          value.isPresent() && rows.stream().anyMatch(r -> r.scope().value(d).equals(value))
              ? value.get()
              : null;
    }
    return Context.of(H, v);
  }
}
