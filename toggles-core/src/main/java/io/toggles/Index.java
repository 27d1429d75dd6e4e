package io.toggles;

import com.github.benmanes.caffeine.cache.Interner;
import org.jspecify.annotations.Nullable;

/** Bit layout, hashing and value sharing used by scopes, contexts and the index. */
final class Index {
  // One per JVM, not per Toggles: every index holds the same instance of an equal value, so a
  // context used with several instances (or several features) converges on one reference.
  private static final Interner<Object> CANONICAL = Interner.newWeakInterner();

  private Index() {}

  /**
   * The instance of {@code value} that every index shares (a scope value or a setting value). Weak:
   * a value no index holds any more can be collected.
   */
  @SuppressWarnings("unchecked")
  static <T> T canonical(T value) {
    return (T) CANONICAL.intern(value);
  }

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
