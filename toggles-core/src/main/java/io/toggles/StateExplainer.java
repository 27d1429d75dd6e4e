package io.toggles;

/**
 * Explanations of one {@link FeatureState} outside any {@link Toggles}: the state is indexed once,
 * with the resolver's own index, and explained for as many contexts as asked. Immutable and
 * thread-safe once built; builds no threads and touches no store.
 */
final class StateExplainer {
  private final Hierarchy hierarchy;
  private final FeatureIndex index;

  /**
   * Indexes the state.
   *
   * @throws IllegalArgumentException if a row belongs to another feature or another hierarchy, or
   *     two rows share a scope
   */
  StateExplainer(Hierarchy hierarchy, FeatureState state) {
    for (Setting row : state.rows()) {
      if (!row.feature().equals(state.key())) {
        throw new IllegalArgumentException(
            "the state of '" + state.key() + "' holds a row of '" + row.feature() + "'");
      }
      if (!row.scope().hierarchy().equals(hierarchy)) {
        throw new IllegalArgumentException(
            "row "
                + row.scope()
                + " of '"
                + state.key()
                + "' has dimensions "
                + row.scope().hierarchy().dimensions()
                + " but the hierarchy is "
                + hierarchy.dimensions());
      }
    }
    this.hierarchy = hierarchy;
    this.index = FeatureIndex.of(state, hierarchy.size());
  }

  /**
   * Why the state resolves as it does for the context.
   *
   * @param maxExcluded how many non-matching rows to list (all are counted)
   * @throws IllegalArgumentException if the context has another hierarchy or {@code maxExcluded} is
   *     negative
   */
  Explanation explain(Context context, int maxExcluded) {
    if (!context.hierarchy().equals(hierarchy)) {
      throw new IllegalArgumentException(
          "context has dimensions "
              + context.hierarchy().dimensions()
              + " but the hierarchy is "
              + hierarchy.dimensions());
    }
    if (maxExcluded < 0) {
      throw new IllegalArgumentException("max explained exclusions is negative: " + maxExcluded);
    }
    return Explainer.explain(index, context, hierarchy, maxExcluded);
  }
}
