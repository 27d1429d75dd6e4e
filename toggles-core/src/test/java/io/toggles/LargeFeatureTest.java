package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Features large enough for the per-dimension value filters: resolution must equal a brute-force
 * scan by precedence, before and after rows are added and removed through the change log.
 */
class LargeFeatureTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("test", "large feature");
  private static final String F = "big";
  private static final String B = "big-bool";

  private static String value(char dim, int i) {
    return dim + Integer.toString(i);
  }

  /** The winner by the definition of precedence: highest rank among matching rows. */
  private static SettingValue oracle(List<Setting> rows, Context ctx) {
    Setting best = null;
    for (Setting s : rows) {
      if (s.scope().matches(ctx) && (best == null || s.scope().rank() > best.scope().rank())) {
        best = s;
      }
    }
    return best == null ? null : best.value();
  }

  private static Context randomContext(Random rnd) {
    // Values from a wider range than the rows use, so many are unknown to the filters.
    return Context.of(
        H,
        rnd.nextInt(4) == 0 ? null : value('p', rnd.nextInt(40_000)),
        rnd.nextInt(4) == 0 ? null : value('m', rnd.nextInt(400)),
        rnd.nextInt(4) == 0 ? null : value('c', rnd.nextInt(40)));
  }

  @Test
  void largeFeatureResolvesLikeABruteForceScanBeforeAndAfterDeltas() {
    InMemoryStore store = InMemoryStore.create(H);
    store.define(FeatureDefinition.builder(F, SettingType.LONG).defaultValue("-1").build(), AUDIT);
    store.define(FeatureDefinition.bool(B), AUDIT);
    Random rnd = new Random(7);
    List<FeatureState> imported = new ArrayList<>();
    List<Setting> rows = new ArrayList<>();
    java.util.Set<Scope> seen = new java.util.HashSet<>();
    long n = 0;
    while (rows.size() < 20_000) {
      Scope scope =
          Scope.of(
              H,
              rnd.nextInt(3) == 0 ? null : value('p', rnd.nextInt(20_000)),
              rnd.nextInt(2) == 0 ? null : value('m', rnd.nextInt(200)),
              rnd.nextInt(2) == 0 ? null : value('c', rnd.nextInt(20)));
      if (seen.add(scope)) {
        rows.add(new Setting(F, scope, SettingValue.of(n++), 1));
      }
    }
    imported.add(
        new FeatureState(F, Optional.of(store.read(F).definition().orElseThrow()), false, rows, 0));
    List<Setting> bools = new ArrayList<>();
    for (Setting r : rows) {
      long v = ((SettingValue.LongValue) r.value()).value();
      bools.add(new Setting(B, r.scope(), SettingValue.of(v % 3 == 0), 1));
    }
    imported.add(
        new FeatureState(
            B, Optional.of(store.read(B).definition().orElseThrow()), false, bools, 0));
    store.importAll(imported, false, AUDIT);

    try (Toggles t = Toggles.builder(store).syncInterval(Duration.ZERO).build()) {
      assertAgrees(t, store, new Random(11), 5_000);

      // Deltas: new rows naming values no row named before (the filters must learn them), and
      // removals of rows (the filters may keep stale bits, never lose a value).
      for (int i = 0; i < 50; i++) {
        Scope fresh = Scope.of(H, value('p', 30_000 + i), null, i % 2 == 0 ? value('c', 30) : null);
        store.set(F, fresh, SettingValue.of(1_000_000L + i), Expect.any(), AUDIT);
        Context hit = Context.of(H, value('p', 30_000 + i), "m-unknown", value('c', 30));
        t.sync();
        assertThat(t.getLong(F, hit, -2)).isEqualTo(1_000_000L + i);
      }
      List<Setting> current = store.read(F).rows();
      for (int i = 0; i < 200; i++) {
        store.unset(F, current.get(i).scope(), Expect.any(), AUDIT);
      }
      t.sync();
      assertAgrees(t, store, new Random(13), 5_000);
    }
  }

  private static void assertAgrees(Toggles t, InMemoryStore store, Random rnd, int contexts) {
    List<Setting> rows = store.read(F).rows();
    List<Setting> bools = store.read(B).rows();
    for (int i = 0; i < contexts; i++) {
      Context ctx = randomContext(rnd);
      SettingValue want = oracle(rows, ctx);
      long expected = want == null ? -1 : ((SettingValue.LongValue) want).value();
      assertThat(t.getLong(F, ctx, -2)).as("%s", ctx).isEqualTo(expected);
      SettingValue wantBool = oracle(bools, ctx);
      boolean expectedBool = wantBool != null && ((SettingValue.BooleanValue) wantBool).value();
      String[] v = ctx.values;
      assertThat(t.isEnabled(B, v[0], v[1], v[2])).as("raw %s", ctx).isEqualTo(expectedBool);
      assertThat(t.isEnabled(B, ctx)).as("%s", ctx).isEqualTo(expectedBool);
    }
  }
}
