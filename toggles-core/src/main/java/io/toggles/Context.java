package io.toggles;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The scope values of the current request, one per dimension of a {@link Hierarchy}, any of them
 * absent. A row naming a dimension that the context lacks does not match it.
 *
 * <p>Immutable and thread-safe. Build one per request (or keep one per tenant) and reuse it: a
 * check with a reused context allocates nothing, because the hash of each value is computed once
 * here, and gets faster after its first hits, because a check that finds a value equal to a row's
 * keeps the row's instance in its place (see {@link #values}).
 */
public final class Context {
  final Hierarchy hierarchy;
  // Checks may replace an element with an equal String (the index's shared instance), from any
  // thread and without synchronization: a reader sees one of two equal, immutable strings, so
  // nothing observable changes. Never exposed; never replaced by anything not equal.
  final @Nullable String[] values;
  final int presentMask;
  final int[] hashes;
  // For up to 4 dimensions, per precedence mask, the spread combined hash of the values that mask
  // names: what a group of that mask probes its table with. Null for larger hierarchies.
  final int @Nullable [] maskProbes;

  private Context(Hierarchy hierarchy, @Nullable String[] values) {
    this.hierarchy = hierarchy;
    this.values = values;
    this.presentMask = Index.mask(values);
    this.hashes = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      String v = values[i];
      hashes[i] = v == null ? 0 : v.hashCode();
    }
    this.maskProbes = values.length <= 4 ? maskProbes(hashes) : null;
  }

  private static int[] maskProbes(int[] hashes) {
    int d = hashes.length;
    int[] out = new int[1 << d];
    for (int m = 0; m < out.length; m++) {
      int h = 0;
      for (int i = 0; i < d; i++) {
        if ((m & (1 << (d - 1 - i))) != 0) {
          h = h * 31 + hashes[i];
        }
      }
      out[m] = Index.spread(h);
    }
    return out;
  }

  /**
   * A context with the given values in hierarchy order; {@code null} marks an absent value.
   *
   * @throws IllegalArgumentException if the number of values differs from the hierarchy's size
   */
  public static Context of(Hierarchy hierarchy, @Nullable String... values) {
    if (values.length != hierarchy.size()) {
      throw new IllegalArgumentException(
          "expected "
              + hierarchy.size()
              + " values "
              + hierarchy.dimensions()
              + ", got "
              + values.length);
    }
    return new Context(hierarchy, values.clone());
  }

  /** The context with no value at all: only global rows match it. */
  public static Context empty(Hierarchy hierarchy) {
    return new Context(hierarchy, new String[hierarchy.size()]);
  }

  /** The hierarchy this context belongs to. */
  public Hierarchy hierarchy() {
    return hierarchy;
  }

  /**
   * The value of a dimension.
   *
   * @throws IllegalArgumentException if the hierarchy has no such dimension
   */
  public Optional<String> value(String dimension) {
    return Optional.ofNullable(values[hierarchy.indexOf(dimension)]);
  }

  /** The value of dimension {@code index}, if present. */
  public Optional<String> value(int index) {
    return Optional.ofNullable(values[index]);
  }

  /** The present values by dimension name, in hierarchy order. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        map.put(hierarchy.dimension(i), values[i]);
      }
    }
    return map;
  }

  /** A copy with one dimension set ({@code null} clears it). */
  public Context with(String dimension, @Nullable String value) {
    String[] copy = values.clone();
    copy[hierarchy.indexOf(dimension)] = value;
    return new Context(hierarchy, copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Context other
        && hierarchy.equals(other.hierarchy)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * hierarchy.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Context" + asMap();
  }

  /** Builds a {@link Context} by dimension name. Not thread-safe. */
  public static final class Builder {
    private final Hierarchy hierarchy;
    private final @Nullable String[] values;

    Builder(Hierarchy hierarchy) {
      this.hierarchy = hierarchy;
      this.values = new String[hierarchy.size()];
    }

    /**
     * Sets a dimension's value; {@code null} leaves it absent.
     *
     * @throws IllegalArgumentException if the hierarchy has no such dimension
     */
    public Builder with(String dimension, @Nullable String value) {
      values[hierarchy.indexOf(dimension)] = value;
      return this;
    }

    /** The context. */
    public Context build() {
      return new Context(hierarchy, values.clone());
    }
  }
}
