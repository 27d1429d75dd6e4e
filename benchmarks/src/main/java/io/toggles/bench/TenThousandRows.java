package io.toggles.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.Feature;
import io.toggles.FeatureDefinition;
import io.toggles.InMemoryStore;
import io.toggles.Scope;
import io.toggles.SettingValue;
import io.toggles.Toggles;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A warm {@link Toggles} over an {@link InMemoryStore} holding a feature of 10,000 scoped rows on
 * every precedence level, 1,024 pre-built request contexts that hit it at various levels, the same
 * contexts as raw strings, and two baseline maps keyed by the same requests.
 *
 * <p>Every input string is its own object, equal to but not identical with the strings the index
 * holds, so equality checks compare characters as they would for ids parsed from a request. Like
 * any String, each caches its hash after its first use; the baselines get the same benefit.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class TenThousandRows {
  static final String FEATURE = "checkout.scoped-10k";
  static final String SMALL = "checkout.small";
  static final int N = 1 << 10;
  static final int MASK = N - 1;

  Toggles toggles;
  Feature handle;
  // The same store behind toggles that count evaluations, and behind toggles that keep usage
  // marks only (Toggles.Builder.countEvaluations / trackUsage).
  Toggles counted;
  Feature countedHandle;
  Toggles tracked;
  Feature trackedHandle;
  final Context[] contexts = new Context[N];
  final String[] products = new String[N];
  final String[] merchants = new String[N];
  final String[] countries = new String[N];
  final String[] mapKeys = new String[N];
  final ConcurrentHashMap<String, Boolean> map = new ConcurrentHashMap<>();
  Cache<String, Boolean> cache;
  Context smallContext;
  Context productHit;
  String hitProduct;
  String hitMerchant;
  String hitCountry;

  /** Loads the store, warms the cache and checks every context against the oracle. */
  @Setup(Level.Trial)
  public void setUp() {
    Rows rows = Rows.tenThousand();
    InMemoryStore store = InMemoryStore.create(Rows.HIERARCHY);
    rows.writeTo(store, FEATURE);
    writeSmallFeature(store);
    toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();
    handle = toggles.feature(FEATURE);
    counted = Toggles.builder(store).syncInterval(Duration.ZERO).countEvaluations(true).build();
    countedHandle = counted.feature(FEATURE);
    tracked = Toggles.builder(store).syncInterval(Duration.ZERO).trackUsage(true).build();
    trackedHandle = tracked.feature(FEATURE);

    cache = Caffeine.newBuilder().build();
    for (int r = 0; r < rows.size(); r++) {
      String key = mapKey(rows.p[r], rows.m[r], rows.c[r]);
      map.put(key, rows.on[r]);
      cache.put(key, rows.on[r]);
    }

    // Each context starts from a random row and fills that row's wildcards with random ids, so it
    // matches that row and possibly more specific ones: hits spread over every level.
    Random rnd = new Random(42);
    for (int i = 0; i < N; i++) {
      int r = rnd.nextInt(rows.size());
      int pi = rows.p[r] >= 0 ? rows.p[r] : rnd.nextInt(rows.products);
      int mi = rows.m[r] >= 0 ? rows.m[r] : rnd.nextInt(rows.merchants);
      int ci = rows.c[r] >= 0 ? rows.c[r] : rnd.nextInt(rows.countries);
      contexts[i] = Rows.context(pi, mi, ci);
      products[i] = Rows.product(pi);
      merchants[i] = Rows.merchant(mi);
      countries[i] = Rows.country(ci);
      mapKeys[i] = mapKey(rows.p[r], rows.m[r], rows.c[r]);
      boolean want = rows.expected(pi, mi, ci);
      if (toggles.isEnabled(FEATURE, contexts[i]) != want
          || toggles.isEnabled(FEATURE, products[i], merchants[i], countries[i]) != want
          || map.get(mapKeys[i]) == null) {
        throw new IllegalStateException("fixture disagrees with the oracle at " + contexts[i]);
      }
    }
    smallContext = Rows.context(3, 7, 4);
    for (int r = 0; productHit == null; r++) {
      if (rows.p[r] >= 0 && rows.m[r] >= 0 && rows.c[r] >= 0) {
        productHit = Rows.context(rows.p[r], rows.m[r], rows.c[r]); // wins in the first group
        boolean want = rows.expected(rows.p[r], rows.m[r], rows.c[r]);
        if (counted.isEnabled(FEATURE, productHit) != want
            || tracked.isEnabled(FEATURE, productHit) != want) {
          throw new IllegalStateException("counting toggles disagree at " + productHit);
        }
        // The same request as raw strings: objects of their own, never the index's instances.
        hitProduct = Rows.product(rows.p[r]);
        hitMerchant = Rows.merchant(rows.m[r]);
        hitCountry = Rows.country(rows.c[r]);
      }
    }
  }

  /** A feature of a dozen rows, the size a typical feature has, for explain(). */
  private static void writeSmallFeature(InMemoryStore store) {
    store.define(FeatureDefinition.bool(SMALL), Rows.AUDIT);
    int[][] scopes = {
      {-1, -1, -1}, {-1, -1, 4}, {-1, -1, 5}, {-1, 7, -1}, {-1, 8, -1}, {-1, 7, 4},
      {3, -1, -1}, {3, -1, 9}, {3, 7, -1}, {3, 8, 4}, {2, 7, 4}, {3, 7, 5}
    };
    boolean on = false;
    for (int[] s : scopes) {
      store.set(
          SMALL,
          Scope.of(Rows.HIERARCHY, Rows.product(s[0]), Rows.merchant(s[1]), Rows.country(s[2])),
          SettingValue.of(on),
          Expect.any(),
          Rows.AUDIT);
      on = !on;
    }
  }

  private static String mapKey(int pi, int mi, int ci) {
    return Rows.product(pi) + "|" + Rows.merchant(mi) + "|" + Rows.country(ci);
  }

  /** Stops the toggles. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (counted.evaluationCounts().isEmpty()
        || !tracked.drainEvaluatedFeatures().contains(FEATURE)) {
      throw new IllegalStateException("the counting toggles counted nothing");
    }
    toggles.close();
    counted.close();
    tracked.close();
  }
}
