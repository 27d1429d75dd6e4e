package io.toggles.cli;

import io.toggles.Context;
import io.toggles.Explanation;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Toggles;
import java.time.Duration;

/**
 * The core resolver over one feature's state: answers exactly what an application holding that
 * state would answer, so that the CLI never re-implements precedence.
 */
final class Resolver implements AutoCloseable {
  private final Toggles toggles;
  private final String feature;

  private Resolver(Toggles toggles, String feature) {
    this.toggles = toggles;
    this.feature = feature;
  }

  static Resolver of(Hierarchy hierarchy, FeatureState state, int maxExcluded) {
    Toggles t =
        Toggles.builder(new FixedStore(hierarchy, state))
            .syncInterval(Duration.ZERO)
            .startWait(Duration.ofSeconds(10))
            .maxExplainedExclusions(maxExcluded)
            .build();
    return new Resolver(t, state.key());
  }

  Explanation explain(Context context) {
    return toggles.explain(feature, context);
  }

  @Override
  public void close() {
    toggles.close();
  }
}
