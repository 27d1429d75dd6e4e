package io.toggles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Tally} of every feature a {@link Toggles} indexed, by key, when usage marks or counts
 * are on. The sync engine hands each new {@link FeatureIndex} its feature's tally ({@link #of});
 * drains and counts are read from here, off the check path. Keys come from the store only (never
 * from the names checks pass), so the map is bounded by the features the store ever held.
 */
final class Tallies {
  private static final Tallies OFF = new Tallies(false, false);

  private final boolean marks;
  private final boolean counts;
  private final int stripes;
  private final ConcurrentHashMap<String, Tally> byFeature = new ConcurrentHashMap<>();

  private Tallies(boolean marks, boolean counts) {
    this.marks = marks;
    this.counts = counts;
    this.stripes = Tally.stripesFor(Runtime.getRuntime().availableProcessors());
  }

  /** Marks when {@code marks}, marks and counts when {@code counts}; nothing when neither. */
  static Tallies of(boolean marks, boolean counts) {
    return marks || counts ? new Tallies(marks, counts) : OFF;
  }

  /** The tally a new index of {@code feature} carries; null when nothing is kept. */
  @Nullable Tally of(String feature) {
    if (!on()) {
      return null;
    }
    Tally t = byFeature.get(feature);
    return t != null
        ? t
        : byFeature.computeIfAbsent(
            feature, k -> counts ? Tally.counting(k, stripes) : Tally.marking(k));
  }

  /** Whether usage marks are kept (they are whenever counts are). */
  boolean on() {
    return marks || counts;
  }

  /** The features checked since the last drain, their marks cleared. */
  Set<String> drain() {
    Set<String> out = new HashSet<>();
    for (Tally t : byFeature.values()) {
      if (t.drain()) {
        out.add(t.feature);
      }
    }
    return out;
  }

  /** Every count above zero, by feature key then outcome. */
  List<EvaluationCount> counts() {
    List<EvaluationCount> out = new ArrayList<>();
    if (!counts) {
      return out;
    }
    for (Tally t : byFeature.values()) {
      for (EvaluationCount.Outcome o : EvaluationCount.Outcome.values()) {
        long n = t.count(o.ordinal());
        if (n > 0) {
          out.add(new EvaluationCount(t.feature, o, n));
        }
      }
    }
    out.sort(
        Comparator.comparing(EvaluationCount::feature).thenComparing(EvaluationCount::outcome));
    return out;
  }

  /** One count; 0 if the feature was never indexed or counts are off. */
  long count(String feature, EvaluationCount.Outcome outcome) {
    Tally t = byFeature.get(feature);
    return t == null ? 0 : t.count(outcome.ordinal());
  }

  /** The tally of a feature, for tests. */
  @Nullable Tally get(String feature) {
    return byFeature.get(feature);
  }
}
