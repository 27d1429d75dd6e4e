package io.toggles;

import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * What the checks of one feature left behind on this node: whether one ran since the last drain
 * (the usage mark of {@link Toggles#drainEvaluatedFeatures()}) and, when counting, how many
 * answered each {@link EvaluationCount.Outcome}. One per feature key and {@link Toggles}, shared by
 * every {@link FeatureIndex} of that feature, so that marks and counts outlive the indexes a sync
 * replaces.
 *
 * <p>{@link #record} runs on the check path and takes no lock, allocates nothing and executes no
 * atomic instruction: the mark is a plain field, read on every check and written only when it
 * flips; counts are plain increments of one of several stripes picked by the checking thread's id,
 * each stripe on a cache line of its own, so that threads on different cores do not write the same
 * line. Two threads that share a stripe and increment at the same instant may lose one increment;
 * {@link #count} never reports less than it reported before.
 */
final class Tally {
  static final int TRUE = 0;
  static final int FALSE = 1;
  static final int VALUE = 2;
  static final int CALLER_DEFAULT = 3;
  static final int OUTCOMES = 4;

  // Longs per stripe: 128 bytes, of which the first 32 hold the four counts, so that the counts
  // of two stripes never share a cache line (nor a pair of lines that CPUs prefetch together).
  // Stripe s starts at (s + 1) * STRIDE: the first stride keeps stripe 0 off the array header's
  // line, which every check reads for the bounds check.
  private static final int SHIFT = 4;
  private static final int STRIDE = 1 << SHIFT;
  private static final int MAX_STRIPES = 32;

  final String feature;
  // Written only when it flips: false -> true by a check, true -> false by a drain.
  private boolean evaluated;
  private final long @Nullable [] cells;
  private final int stripeMask;
  private final @Nullable AtomicLongArray reported;

  private Tally(String feature, int stripes) {
    this.feature = feature;
    this.stripeMask = stripes - 1;
    this.cells = stripes == 0 ? null : new long[(stripes + 1) * STRIDE];
    this.reported = stripes == 0 ? null : new AtomicLongArray(OUTCOMES);
  }

  /** Keeps the usage mark only. */
  static Tally marking(String feature) {
    return new Tally(feature, 0);
  }

  /** Keeps the usage mark and counts, on {@code stripes} stripes (a power of two). */
  static Tally counting(String feature, int stripes) {
    if (stripes < 1 || stripes > MAX_STRIPES || Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two up to 32: " + stripes);
    }
    return new Tally(feature, stripes);
  }

  /** Enough stripes for the machine's cores, at most 32. */
  static int stripesFor(int cores) {
    int wanted = Math.max(2, Math.min(MAX_STRIPES, 2 * cores));
    return Integer.highestOneBit(wanted - 1) << 1;
  }

  /** One check of this feature answered {@code outcome}. The check path: see the class comment. */
  void record(int outcome) {
    if (!evaluated) {
      evaluated = true;
    }
    long[] c = cells;
    if (c != null) {
      c[((((int) Thread.currentThread().getId()) & stripeMask) + 1) << SHIFT | outcome]++;
    }
  }

  boolean counts() {
    return cells != null;
  }

  /** Whether a check ran since the last drain; clears the mark. */
  boolean drain() {
    if (!evaluated) {
      return false;
    }
    evaluated = false;
    return true;
  }

  /**
   * The checks that answered {@code outcome} so far: the sum of the stripes, never less than
   * before.
   */
  long count(int outcome) {
    long[] c = cells;
    AtomicLongArray r = reported;
    if (c == null || r == null) {
      return 0;
    }
    long sum = 0;
    for (int s = STRIDE; s < c.length; s += STRIDE) {
      sum += c[s + outcome];
    }
    return r.accumulateAndGet(outcome, sum, Math::max);
  }

  /** The stripe cells, for tests that model a lost increment. */
  long[] cells() {
    long[] c = cells;
    if (c == null) {
      throw new IllegalStateException("not counting");
    }
    return c;
  }
}
