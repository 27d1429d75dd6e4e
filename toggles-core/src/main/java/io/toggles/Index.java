package io.toggles;

import org.jspecify.annotations.Nullable;

/** Bit layout shared by scopes, contexts and the index. */
final class Index {
  private Index() {}

  /**
   * The mask of present values: dimension {@code i} of {@code n} is bit {@code n-1-i}, so the most
   * significant dimension is the highest bit and comparing masks as integers is comparing
   * precedence lexicographically.
   */
  static int mask(@Nullable String[] values) {
    int n = values.length;
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (values[i] != null) {
        m |= 1 << (n - 1 - i);
      }
    }
    return m;
  }

  /** Spreads a combined hash over a power-of-two table. */
  static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
