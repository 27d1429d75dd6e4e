package io.toggles;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One precedence group of a {@link FeatureIndex}: the rows naming one set of dimensions, their
 * scope values row after row, their setting values in a parallel array (so that a flip copies only
 * that array), and an open-addressing table. Immutable: a change is applied as a copy ({@link
 * #with}, {@link #without}).
 */
final class Group {
  final int mask;
  final int[] dims; // the dimensions this group names, in hierarchy order
  final int count;
  final String[] scope; // scope[r * dims.length + j] = row r's value of dimension dims[j]
  final SettingValue[] values;
  final long[] versions;
  final int[] table; // slot -> tag << 24 | row + 1; 0 = empty

  private Group(
      int mask,
      int[] dims,
      int count,
      String[] scope,
      SettingValue[] values,
      long[] versions,
      int[] table) {
    this.mask = mask;
    this.dims = dims;
    this.count = count;
    this.scope = scope;
    this.values = values;
    this.versions = versions;
    this.table = table;
  }

  static Group of(String feature, int d, List<Setting> settings) {
    int mask = settings.get(0).scope().rank();
    int[] gd = dimsOf(mask, d);
    int n = settings.size();
    if (n > FeatureIndex.MAX_GROUP_ROWS) {
      throw new IllegalArgumentException(
          "feature '"
              + feature
              + "' has "
              + n
              + " rows naming the same dimensions; at most "
              + FeatureIndex.MAX_GROUP_ROWS
              + " are supported");
    }
    int w = gd.length;
    String[] scope = new String[n * w];
    SettingValue[] values = new SettingValue[n];
    long[] versions = new long[n];
    for (int r = 0; r < n; r++) {
      Setting s = settings.get(r);
      if (s.scope().hierarchy().size() != d) {
        throw new IllegalArgumentException(
            "row of '" + feature + "' has " + s.scope().hierarchy() + " but the store has " + d);
      }
      for (int j = 0; j < w; j++) {
        scope[r * w + j] = Index.canonical(s.scope().values[gd[j]]);
      }
      values[r] = Index.canonical(s.value());
      versions[r] = s.version();
    }
    int[] table = new int[tableSize(n)];
    for (int r = 0; r < n; r++) {
      if (insert(table, scope, w, r) >= 0) {
        throw new IllegalArgumentException(
            "feature '" + feature + "' has two rows for scope " + settings.get(r).scope());
      }
    }
    return new Group(mask, gd, n, scope, values, versions, table);
  }

  static int[] dimsOf(int mask, int d) {
    int[] gd = new int[Integer.bitCount(mask)];
    int j = 0;
    for (int i = 0; i < d; i++) {
      if ((mask & (1 << (d - 1 - i))) != 0) {
        gd[j++] = i;
      }
    }
    return gd;
  }

  static int tableSize(int count) {
    return Integer.highestOneBit(Math.max(2, count * 2 - 1)) << 1;
  }

  /** The probe hash of row r: the values it names combined as a context's mask hash is. */
  private static int hashOf(String[] scope, int w, int r) {
    int h = 0;
    for (int k = r * w, end = r * w + w; k < end; k++) {
      h = h * 31 + scope[k].hashCode();
    }
    return h;
  }

  /** Inserts row r; returns -1, or the row it duplicates (and then inserts nothing). */
  private static int insert(int[] table, String[] scope, int w, int r) {
    int tm = table.length - 1;
    int sh = Index.spread(hashOf(scope, w, r));
    int tag = sh >>> FeatureIndex.ROW_BITS;
    int s = sh & tm;
    while (table[s] != 0) {
      int o = (table[s] & FeatureIndex.ROW_MASK) - 1;
      if (table[s] >>> FeatureIndex.ROW_BITS == tag
          && Arrays.equals(scope, o * w, o * w + w, scope, r * w, r * w + w)) {
        return o;
      }
      s = (s + 1) & tm;
    }
    table[s] = tag << FeatureIndex.ROW_BITS | (r + 1);
    return -1;
  }

  /**
   * The row naming the context's values, or -1; {@code sh} is their spread combined hash. A value
   * found equal but not identical to the row's is replaced in {@code cv} by the row's instance: the
   * strings are equal, so readers of {@code cv} in any thread see the same value either way, and
   * later checks with the same context compare references only.
   */
  static int find(int[] t, String[] scope, int[] gd, int sh, @Nullable String[] cv) {
    final int tm = t.length - 1;
    final int tag = sh >>> FeatureIndex.ROW_BITS;
    for (int s = sh & tm; ; s = (s + 1) & tm) {
      int e = t[s];
      if (e == 0) {
        return -1;
      }
      if (e >>> FeatureIndex.ROW_BITS == tag) {
        int r = (e & FeatureIndex.ROW_MASK) - 1;
        if (matches(scope, r * gd.length, gd, cv)) {
          return r;
        }
      }
    }
  }

  private static boolean matches(String[] scope, int base, int[] gd, @Nullable String[] cv) {
    for (int j = 0; j < gd.length; j++) {
      String v = scope[base + j];
      String c = cv[gd[j]];
      if (v != c) {
        if (!v.equals(c)) {
          return false;
        }
        cv[gd[j]] = v;
      }
    }
    return true;
  }

  /** As {@link #find} for up to three raw values in hierarchy order; changes nothing. */
  static int find3(
      int[] t,
      String[] scope,
      int[] gd,
      int sh,
      @Nullable String a,
      @Nullable String b,
      @Nullable String c) {
    final int tm = t.length - 1;
    final int tag = sh >>> FeatureIndex.ROW_BITS;
    for (int s = sh & tm; ; s = (s + 1) & tm) {
      int e = t[s];
      if (e == 0) {
        return -1;
      }
      if (e >>> FeatureIndex.ROW_BITS == tag) {
        int r = (e & FeatureIndex.ROW_MASK) - 1;
        if (matches3(scope, r * gd.length, gd, a, b, c)) {
          return r;
        }
      }
    }
  }

  private static boolean matches3(
      String[] scope,
      int base,
      int[] gd,
      @Nullable String a,
      @Nullable String b,
      @Nullable String c) {
    for (int j = 0; j < gd.length; j++) {
      if (!scope[base + j].equals(FeatureIndex.pick(gd[j], a, b, c))) {
        return false;
      }
    }
    return true;
  }

  String scopeValue(int r, int j) {
    return scope[r * dims.length + j];
  }

  /** The row naming these values (a full scope's), or -1; changes nothing. */
  private int rowOf(@Nullable String[] fullScope) {
    int h = 0;
    for (int j = 0; j < dims.length; j++) {
      h = h * 31 + fullScope[dims[j]].hashCode();
    }
    final int tm = table.length - 1;
    final int sh = Index.spread(h);
    final int tag = sh >>> FeatureIndex.ROW_BITS;
    for (int s = sh & tm; ; s = (s + 1) & tm) {
      int e = table[s];
      if (e == 0) {
        return -1;
      }
      int r = (e & FeatureIndex.ROW_MASK) - 1;
      if (e >>> FeatureIndex.ROW_BITS == tag && firstMismatch(r, fullScope) < 0) {
        return r;
      }
    }
  }

  /** A copy with the row at this scope set (replaced in place, or appended). */
  Group with(@Nullable String[] fullScope, SettingValue value, long version) {
    SettingValue v = Index.canonical(value);
    int r = rowOf(fullScope);
    if (r >= 0) {
      SettingValue[] vs = values.clone();
      long[] vv = versions.clone();
      vs[r] = v;
      vv[r] = version;
      return new Group(mask, dims, count, scope, vs, vv, table);
    }
    int w = dims.length;
    int n = count + 1;
    if (n > FeatureIndex.MAX_GROUP_ROWS) {
      throw new IllegalArgumentException(
          "at most "
              + FeatureIndex.MAX_GROUP_ROWS
              + " rows may name the same dimensions of one feature");
    }
    String[] sc = Arrays.copyOf(scope, n * w);
    for (int j = 0; j < w; j++) {
      sc[count * w + j] = Index.canonical(fullScope[dims[j]]);
    }
    SettingValue[] vs = Arrays.copyOf(values, n);
    vs[count] = v;
    long[] vv = Arrays.copyOf(versions, n);
    vv[count] = version;
    int[] t;
    if (tableSize(n) == table.length) {
      t = table.clone();
      insert(t, sc, w, count);
    } else {
      t = new int[tableSize(n)];
      for (int i = 0; i < n; i++) {
        insert(t, sc, w, i);
      }
    }
    return new Group(mask, dims, n, sc, vs, vv, t);
  }

  /** A copy without the row at this scope; {@code null} if that empties the group. */
  @Nullable Group without(@Nullable String[] fullScope) {
    int r = rowOf(fullScope);
    if (r < 0) {
      return this;
    }
    if (count == 1) {
      return null;
    }
    int w = dims.length;
    int n = count - 1;
    // Move the last row into the hole, then re-insert every row.
    String[] sc = Arrays.copyOf(scope, n * w);
    SettingValue[] vs = Arrays.copyOf(values, n);
    long[] vv = Arrays.copyOf(versions, n);
    if (r != n) {
      System.arraycopy(scope, n * w, sc, r * w, w);
      vs[r] = values[n];
      vv[r] = versions[n];
    }
    int[] t = new int[tableSize(n)];
    for (int i = 0; i < n; i++) {
      insert(t, sc, w, i);
    }
    return new Group(mask, dims, n, sc, vs, vv, t);
  }

  /** The most significant dimension on which row r differs from the context, or -1. */
  int firstMismatch(int r, @Nullable String[] cv) {
    int w = dims.length;
    for (int j = 0; j < w; j++) {
      if (!scope[r * w + j].equals(cv[dims[j]])) {
        return dims[j];
      }
    }
    return -1;
  }

  Setting row(String feature, int r, Hierarchy hierarchy) {
    String[] full = new String[hierarchy.size()];
    for (int j = 0; j < dims.length; j++) {
      full[dims[j]] = scopeValue(r, j);
    }
    return new Setting(feature, new Scope(hierarchy, full), values[r], versions[r]);
  }
}
