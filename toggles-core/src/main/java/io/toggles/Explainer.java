package io.toggles;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why a feature resolves as it does for a context: walks every row of an index (not the probe path
 * of {@link FeatureIndex#resolve}), so it costs time proportional to the rows; for tools, not for
 * hot paths.
 */
final class Explainer {
  private Explainer() {}

  /** Explains the resolution for a context, listing at most {@code maxExcluded} excluded rows. */
  static Explanation explain(FeatureIndex idx, Context ctx, Hierarchy hierarchy, int maxExcluded) {
    String feature = idx.feature;
    Setting winner = null;
    int winnerMask = 0;
    List<Explanation.Outranked> outranked = new ArrayList<>();
    List<Explanation.Excluded> excluded = new ArrayList<>();
    int excludedTotal = 0;
    for (Group g : idx.groups) {
      for (int r = 0; r < g.count; r++) {
        int mismatch = g.firstMismatch(r, ctx.values);
        if (mismatch >= 0) {
          excludedTotal++;
          if (excluded.size() < maxExcluded) {
            excluded.add(
                new Explanation.Excluded(
                    g.row(feature, r, hierarchy),
                    hierarchy.dimension(mismatch),
                    ctx.value(mismatch)));
          }
        } else if (winner == null) {
          winner = g.row(feature, r, hierarchy);
          winnerMask = g.mask;
        } else {
          outranked.add(
              new Explanation.Outranked(
                  g.row(feature, r, hierarchy), lostOn(winnerMask, g.mask, idx.dims, hierarchy)));
        }
      }
    }
    Explanation.Outcome outcome;
    SettingValue value;
    if (idx.killed) {
      outcome = Explanation.Outcome.KILLED;
      value = idx.killValue;
    } else if (winner != null) {
      outcome = Explanation.Outcome.ROW;
      value = winner.value();
    } else if (idx.declaredDefault != null) {
      outcome = Explanation.Outcome.DEFAULT;
      value = idx.declaredDefault;
    } else {
      outcome = Explanation.Outcome.NOT_FOUND;
      value = null;
    }
    return new Explanation(
        feature,
        ctx,
        outcome,
        Optional.ofNullable(value),
        Optional.ofNullable(winner),
        outranked,
        excluded,
        excludedTotal,
        idx.definition,
        idx.revision);
  }

  /** The most significant dimension the winner's mask names and the loser's does not. */
  private static String lostOn(int winnerMask, int loserMask, int dims, Hierarchy hierarchy) {
    int diff = winnerMask & ~loserMask;
    return hierarchy.dimension(dims - 1 - (31 - Integer.numberOfLeadingZeros(diff)));
  }
}
