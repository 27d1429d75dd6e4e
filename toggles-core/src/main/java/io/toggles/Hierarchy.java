package io.toggles;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ordered scope dimensions, most significant first. The default is {@code product, merchant,
 * country}: a row naming a product beats every row that names no product, whatever else it names;
 * ties are broken by merchant, then by country; the row naming nothing is the global default.
 *
 * <p>Names are lower-case identifiers ({@code [a-z][a-z0-9_]{0,29}}) because the JDBC store turns
 * each into a column. Immutable and thread-safe.
 *
 * @param dimensions dimension names, most significant first
 */
public record Hierarchy(List<String> dimensions) {

  /** The most dimensions a hierarchy may have. */
  public static final int MAX_DIMENSIONS = 16;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,29}");
  private static final Set<String> RESERVED =
      Set.of("feature", "value", "version", "updated_at", "updated_by", "revision", "kind");

  /** {@code product}, then {@code merchant}, then {@code country}. */
  public static final Hierarchy DEFAULT = of("product", "merchant", "country");

  /**
   * Validates and copies the names.
   *
   * @throws IllegalArgumentException if there are no names, more than {@link #MAX_DIMENSIONS}, a
   *     duplicate, a reserved column name, or a name that is not a lower-case identifier
   */
  public Hierarchy {
    if (dimensions == null || dimensions.isEmpty()) {
      throw new IllegalArgumentException("a hierarchy needs at least one dimension");
    }
    if (dimensions.size() > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "a hierarchy has at most " + MAX_DIMENSIONS + " dimensions, got " + dimensions.size());
    }
    Set<String> seen = new HashSet<>();
    for (String name : dimensions) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "dimension name "
                + Texts.quote(name)
                + " is not a lower-case identifier ([a-z][a-z0-9_]{0,29})");
      }
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            "dimension name '" + name + "' is reserved (it names a column of the settings table)");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("dimension '" + name + "' appears twice");
      }
    }
    dimensions = List.copyOf(dimensions);
  }

  /**
   * A hierarchy of the given dimensions, most significant first.
   *
   * @throws IllegalArgumentException as {@link #Hierarchy(List)}
   */
  public static Hierarchy of(String... dimensions) {
    return new Hierarchy(java.util.Arrays.asList(dimensions));
  }

  /** The number of dimensions. */
  public int size() {
    return dimensions.size();
  }

  /** The name of dimension {@code index}, 0 being the most significant. */
  public String dimension(int index) {
    return dimensions.get(index);
  }

  /**
   * The position of a dimension, 0 being the most significant.
   *
   * @throws IllegalArgumentException if the hierarchy has no such dimension
   */
  public int indexOf(String dimension) {
    int i = dimensions.indexOf(dimension);
    if (i < 0) {
      throw new IllegalArgumentException(
          "unknown scope dimension " + Texts.quote(dimension) + "; the hierarchy is " + dimensions);
    }
    return i;
  }

  /** A builder for a request context of this hierarchy. */
  public Context.Builder context() {
    return new Context.Builder(this);
  }

  /** A builder for a row scope of this hierarchy. */
  public Scope.Builder scope() {
    return new Scope.Builder(this);
  }

  /** The scope that names no dimension: the global row. */
  public Scope global() {
    return new Scope(this, new String[size()]);
  }
}
