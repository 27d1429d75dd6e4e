package io.toggles;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The scope of a setting row: one optional value per dimension of a {@link Hierarchy}; an absent
 * value is a wildcard. Two rows of one feature never share a scope.
 *
 * <p>Values are 1 to {@value #MAX_VALUE_LENGTH} characters with no control characters and no
 * leading or trailing whitespace. Immutable and thread-safe.
 */
public final class Scope {

  /** The longest scope value, in characters; the JDBC schema sizes its columns to match. */
  public static final int MAX_VALUE_LENGTH = 128;

  final Hierarchy hierarchy;
  final @Nullable String[] values;

  Scope(Hierarchy hierarchy, @Nullable String[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        requireValidValue(hierarchy.dimension(i), values[i]);
      }
    }
    this.hierarchy = hierarchy;
    this.values = values;
  }

  /**
   * A scope with the given values in hierarchy order; {@code null} is a wildcard.
   *
   * @throws IllegalArgumentException if the number of values differs from the hierarchy's size or a
   *     value is malformed
   */
  public static Scope of(Hierarchy hierarchy, @Nullable String... values) {
    if (values.length != hierarchy.size()) {
      throw new IllegalArgumentException(
          "expected "
              + hierarchy.size()
              + " values "
              + hierarchy.dimensions()
              + ", got "
              + values.length);
    }
    return new Scope(hierarchy, values.clone());
  }

  /**
   * A scope from dimension names to values; dimensions not in the map are wildcards.
   *
   * @throws IllegalArgumentException if a name is not a dimension or a value is malformed
   */
  public static Scope of(Hierarchy hierarchy, Map<String, String> values) {
    Builder b = new Builder(hierarchy);
    values.forEach(b::with);
    return b.build();
  }

  /**
   * Checks one scope value.
   *
   * @throws IllegalArgumentException naming the dimension and what is wrong
   */
  public static String requireValidValue(String dimension, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("value of '" + dimension + "' is empty");
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(
          "value of '"
              + dimension
              + "' is "
              + value.length()
              + " characters long; the limit is "
              + MAX_VALUE_LENGTH);
    }
    if (Character.isWhitespace(value.charAt(0))
        || Character.isWhitespace(value.charAt(value.length() - 1))) {
      throw new IllegalArgumentException(
          "value of '" + dimension + "' " + Texts.quote(value) + " has surrounding whitespace");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(
            "value of '" + dimension + "' " + Texts.quote(value) + " has a control character");
      }
    }
    return value;
  }

  /** The hierarchy this scope belongs to. */
  public Hierarchy hierarchy() {
    return hierarchy;
  }

  /** The value of dimension {@code index}; empty for a wildcard. */
  public Optional<String> value(int index) {
    return Optional.ofNullable(values[index]);
  }

  /**
   * The value of a dimension; empty for a wildcard.
   *
   * @throws IllegalArgumentException if the hierarchy has no such dimension
   */
  public Optional<String> value(String dimension) {
    return Optional.ofNullable(values[hierarchy.indexOf(dimension)]);
  }

  /** The named values by dimension, in hierarchy order. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        map.put(hierarchy.dimension(i), values[i]);
      }
    }
    return map;
  }

  /** Whether this is the global scope (no dimension named). */
  public boolean isGlobal() {
    return Index.mask(values) == 0;
  }

  /**
   * The precedence rank of this scope: larger wins. Dimension 0 is the most significant bit, so a
   * scope naming dimension 0 outranks every scope that does not.
   */
  public int rank() {
    return Index.mask(values);
  }

  /** Whether this row scope matches a context: every named value equals the context's. */
  public boolean matches(Context context) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null && !values[i].equals(context.values[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scope other
        && hierarchy.equals(other.hierarchy)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  /** Like {@code {merchant=m1, country=DE}}, or {@code {global}}. */
  @Override
  public String toString() {
    Map<String, String> map = asMap();
    return map.isEmpty() ? "{global}" : map.toString();
  }

  /** Builds a {@link Scope} by dimension name. Not thread-safe. */
  public static final class Builder {
    private final Hierarchy hierarchy;
    private final @Nullable String[] values;

    Builder(Hierarchy hierarchy) {
      this.hierarchy = hierarchy;
      this.values = new String[hierarchy.size()];
    }

    /**
     * Names a dimension's value; {@code null} makes it a wildcard.
     *
     * @throws IllegalArgumentException if the hierarchy has no such dimension
     */
    public Builder with(String dimension, @Nullable String value) {
      values[hierarchy.indexOf(dimension)] = value;
      return this;
    }

    /**
     * The scope.
     *
     * @throws IllegalArgumentException if a value is malformed
     */
    public Scope build() {
      return new Scope(hierarchy, values.clone());
    }
  }
}
