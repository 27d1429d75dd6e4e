package io.toggles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, pre-indexed snapshot of one feature. Rows are stored column-wise and grouped by the
 * mask of the dimensions they name, groups in descending precedence; each group has an
 * open-addressing hash table over the values it names. Resolution probes the groups in order and
 * stops at the first hit, so a check costs at most one probe per distinct mask, takes no lock and
 * allocates nothing.
 *
 * <p>A table slot holds the row number and 8 bits of the row's hash, so a probe that meets another
 * row's slot usually moves on without reading that row. Large indexes also keep, per dimension, a
 * one-bit-per-hash filter of the values rows name: a context value that no row names rules out
 * every group naming its dimension before any table is touched, which keeps a check of mostly
 * unknown ids from paying a cache miss per group.
 */
final class FeatureIndex {
  private static final int[] NO_INTS = {};

  /** Slot layout: the top 8 bits are a hash tag, the low 24 bits the row number plus one. */
  private static final int ROW_BITS = 24;

  private static final int ROW_MASK = (1 << ROW_BITS) - 1;

  /** The most rows one feature may have, bounded by the slot layout. */
  static final int MAX_ROWS = ROW_MASK - 1;

  /** From this many rows on, tables outgrow the CPU caches and value filters pay for themselves. */
  static final int FILTER_MIN_ROWS = 1 << 14;

  final String feature;
  final int dims;
  final long revision;
  final Optional<FeatureDefinition> definition;
  final boolean killed;
  final @Nullable SettingValue killValue;
  final @Nullable SettingValue declaredDefault;

  // Rows, sorted by mask descending. scope[r * dims + i] is row r's value of dimension i.
  private final @Nullable String[] scope;
  private final SettingValue[] values;
  private final long[] versions;
  private final int[] rowHash;

  // Groups of rows naming the same dimensions, in descending precedence.
  private final int[] groupMask;
  private final int[][] tables; // slot -> tag << 24 | row + 1, 0 = empty

  // Per dimension, bit (spread(hash of v) & bits-1) is set for every value v that rows name there;
  // null for small indexes.
  private final long @Nullable [][] filters;

  private FeatureIndex(FeatureState state, int dims) {
    this.feature = state.key();
    this.dims = dims;
    this.revision = state.revision();
    this.definition = state.definition();
    this.killed = state.killed();
    this.declaredDefault = state.definition().flatMap(FeatureDefinition::defaultValue).orElse(null);
    this.killValue =
        state.killed()
            ? state.definition().map(d -> d.killValue().orElse(null)).orElse(SettingValue.of(false))
            : null;

    List<Setting> rows = new ArrayList<>(state.rows());
    rows.sort(Comparator.comparingInt((Setting s) -> -s.scope().rank()));
    int n = rows.size();
    if (n > MAX_ROWS) {
      throw new IllegalArgumentException(
          "feature '" + feature + "' has " + n + " rows; at most " + MAX_ROWS + " are supported");
    }
    this.scope = new String[n * dims];
    this.values = new SettingValue[n];
    this.versions = new long[n];
    this.rowHash = new int[n];
    Map<Object, Object> canonical = new HashMap<>();
    int groups = 0;
    int lastMask = -1;
    for (int r = 0; r < n; r++) {
      Setting s = rows.get(r);
      if (s.scope().hierarchy().size() != dims) {
        throw new IllegalArgumentException(
            "row of '" + feature + "' has " + s.scope().hierarchy() + " but the store has " + dims);
      }
      int h = 0;
      for (int i = 0; i < dims; i++) {
        String v = s.scope().values[i];
        if (v != null) {
          v = (String) canonical.computeIfAbsent(v, k -> k);
          h = h * 31 + v.hashCode();
        }
        scope[r * dims + i] = v;
      }
      values[r] = (SettingValue) canonical.computeIfAbsent(s.value(), k -> k);
      versions[r] = s.version();
      rowHash[r] = h;
      int m = s.scope().rank();
      if (m != lastMask) {
        groups++;
        lastMask = m;
      }
    }
    this.groupMask = new int[groups];
    this.tables = new int[groups][];
    int g = -1;
    int start = 0;
    for (int r = 0; r <= n; r++) {
      int m = r < n ? rows.get(r).scope().rank() : -1;
      if (g >= 0 && (r == n || m != groupMask[g])) {
        tables[g] = table(start, r, groupMask[g]);
        start = r;
      }
      if (r < n && (g < 0 || m != groupMask[g])) {
        groupMask[++g] = m;
      }
    }
    this.filters = n >= FILTER_MIN_ROWS ? filters(canonical.size()) : null;
  }

  private long[][] filters(int distinctValues) {
    // At least 8 bits per distinct value (at most 1 in 8 unknown values passes), a power of two.
    int bits = Integer.highestOneBit(Math.max(64, Math.min(distinctValues, 1 << 24) * 8) - 1) << 1;
    int words = bits >>> 6;
    long[][] f = new long[dims][words];
    for (int r = 0; r < values.length; r++) {
      for (int i = 0; i < dims; i++) {
        String v = scope[r * dims + i];
        if (v != null) {
          int b = Index.spread(v.hashCode());
          f[i][(b >>> 6) & (words - 1)] |= 1L << b;
        }
      }
    }
    return f;
  }

  /** Whether some row may name {@code hash}'s value on dimension {@code i}; no false negatives. */
  private boolean mayName(long[][] f, int i, int hash) {
    long[] words = f[i];
    int b = Index.spread(hash);
    return (words[(b >>> 6) & (words.length - 1)] & (1L << b)) != 0;
  }

  /** {@code present} without the dimensions whose context value no row names. */
  private int known(int present, int[] hashes) {
    long[][] f = filters;
    if (f == null) {
      return present;
    }
    int known = present;
    for (int i = 0, bit = 1 << (dims - 1); i < dims; i++, bit >>>= 1) {
      if ((present & bit) != 0 && !mayName(f, i, hashes[i])) {
        known &= ~bit;
      }
    }
    return known;
  }

  private int known3(int present, @Nullable String a, @Nullable String b, @Nullable String c) {
    long[][] f = filters;
    if (f == null) {
      return present;
    }
    int known = present;
    final int d = dims;
    if (a != null && !mayName(f, 0, a.hashCode())) {
      known &= ~(1 << (d - 1));
    }
    if (d > 1 && b != null && !mayName(f, 1, b.hashCode())) {
      known &= ~(1 << (d - 2));
    }
    if (d > 2 && c != null && !mayName(f, 2, c.hashCode())) {
      known &= ~1;
    }
    return known;
  }

  static FeatureIndex of(FeatureState state, int dims) {
    return new FeatureIndex(state, dims);
  }

  private int[] table(int from, int to, int mask) {
    int count = to - from;
    if (count == 0) {
      return NO_INTS;
    }
    int size = Integer.highestOneBit(Math.max(2, count * 2 - 1)) << 1;
    int[] t = new int[size];
    int tm = size - 1;
    for (int r = from; r < to; r++) {
      int sh = Index.spread(rowHash[r]);
      int i = sh & tm;
      while (t[i] != 0) {
        int other = (t[i] & ROW_MASK) - 1;
        if (rowHash[other] == rowHash[r] && sameScope(other, r)) {
          throw new IllegalArgumentException(
              "feature '" + feature + "' has two rows for scope " + describe(r));
        }
        i = (i + 1) & tm;
      }
      t[i] = (sh >>> ROW_BITS) << ROW_BITS | (r + 1);
    }
    return t;
  }

  private boolean sameScope(int a, int b) {
    for (int i = 0; i < dims; i++) {
      if (!Objects.equals(scope[a * dims + i], scope[b * dims + i])) {
        return false;
      }
    }
    return true;
  }

  private String describe(int r) {
    return Arrays.toString(Arrays.copyOfRange(scope, r * dims, r * dims + dims));
  }

  int size() {
    return values.length;
  }

  /**
   * The value for a context: the kill value while killed, else the winning row's, else the declared
   * default, else {@code null}.
   */
  @Nullable SettingValue resolve(Context ctx) {
    if (killed) {
      return killValue;
    }
    int r = find(ctx);
    return r >= 0 ? values[r] : declaredDefault;
  }

  /** As {@link #resolve(Context)} for up to three raw values in hierarchy order. */
  @Nullable SettingValue resolve(@Nullable String a, @Nullable String b, @Nullable String c) {
    if (killed) {
      return killValue;
    }
    int r = find3(a, b, c);
    return r >= 0 ? values[r] : declaredDefault;
  }

  /** The winning row for a context, or -1. */
  int find(Context ctx) {
    final @Nullable String[] cv = ctx.values;
    final int[] ch = ctx.hashes;
    final int present = known(ctx.presentMask, ch);
    final int d = dims;
    for (int g = 0; g < groupMask.length; g++) {
      int m = groupMask[g];
      if ((m & ~present) != 0) {
        continue;
      }
      int h = 0;
      for (int i = 0, bit = 1 << (d - 1); i < d; i++, bit >>>= 1) {
        if ((m & bit) != 0) {
          h = h * 31 + ch[i];
        }
      }
      int[] t = tables[g];
      int tm = t.length - 1;
      int sh = Index.spread(h);
      int tag = sh >>> ROW_BITS;
      for (int s = sh & tm; ; s = (s + 1) & tm) {
        int e = t[s];
        if (e == 0) {
          break;
        }
        if (e >>> ROW_BITS == tag) {
          int r = (e & ROW_MASK) - 1;
          if (rowHash[r] == h && matches(r, m, cv)) {
            return r;
          }
        }
      }
    }
    return -1;
  }

  private boolean matches(int r, int m, @Nullable String[] cv) {
    final int d = dims;
    final int base = r * d;
    for (int i = 0, bit = 1 << (d - 1); i < d; i++, bit >>>= 1) {
      if ((m & bit) != 0 && !scope[base + i].equals(cv[i])) {
        return false;
      }
    }
    return true;
  }

  /** {@link #find(Context)} for hierarchies of at most three dimensions, without a context. */
  int find3(@Nullable String a, @Nullable String b, @Nullable String c) {
    final int d = dims;
    int present = 0;
    if (a != null) {
      present |= 1 << (d - 1);
    }
    if (d > 1 && b != null) {
      present |= 1 << (d - 2);
    }
    if (d > 2 && c != null) {
      present |= 1;
    }
    present = known3(present, a, b, c);
    for (int g = 0; g < groupMask.length; g++) {
      int m = groupMask[g];
      if ((m & ~present) != 0) {
        continue;
      }
      int h = 0;
      for (int i = 0, bit = 1 << (d - 1); i < d; i++, bit >>>= 1) {
        if ((m & bit) != 0) {
          h = h * 31 + pick(i, a, b, c).hashCode();
        }
      }
      int[] t = tables[g];
      int tm = t.length - 1;
      int sh = Index.spread(h);
      int tag = sh >>> ROW_BITS;
      for (int s = sh & tm; ; s = (s + 1) & tm) {
        int e = t[s];
        if (e == 0) {
          break;
        }
        if (e >>> ROW_BITS == tag) {
          int r = (e & ROW_MASK) - 1;
          if (rowHash[r] == h && matches3(r, m, a, b, c)) {
            return r;
          }
        }
      }
    }
    return -1;
  }

  private boolean matches3(
      int r, int m, @Nullable String a, @Nullable String b, @Nullable String c) {
    final int d = dims;
    final int base = r * d;
    for (int i = 0, bit = 1 << (d - 1); i < d; i++, bit >>>= 1) {
      if ((m & bit) != 0 && !scope[base + i].equals(pick(i, a, b, c))) {
        return false;
      }
    }
    return true;
  }

  // Callers only pick values whose bit is present, which are never null.
  private static String pick(int i, @Nullable String a, @Nullable String b, @Nullable String c) {
    return i == 0 ? a : i == 1 ? b : c;
  }

  /** Row {@code r} as a public value. */
  Setting row(int r, Hierarchy hierarchy) {
    return new Setting(
        feature,
        new Scope(hierarchy, Arrays.copyOfRange(scope, r * dims, r * dims + dims)),
        values[r],
        versions[r]);
  }

  /** All rows, most specific first. */
  List<Setting> rows(Hierarchy hierarchy) {
    List<Setting> out = new ArrayList<>(values.length);
    for (int r = 0; r < values.length; r++) {
      out.add(row(r, hierarchy));
    }
    return out;
  }

  /** The state this index was built from, rows most specific first. */
  FeatureState state(Hierarchy hierarchy) {
    return new FeatureState(feature, definition, killed, rows(hierarchy), revision);
  }

  /** Explains the resolution for a context, listing at most {@code maxExcluded} excluded rows. */
  Explanation explain(Context ctx, Hierarchy hierarchy, int maxExcluded) {
    int winner = find(ctx);
    List<Explanation.Outranked> outranked = new ArrayList<>();
    List<Explanation.Excluded> excluded = new ArrayList<>();
    int excludedTotal = 0;
    for (int r = 0; r < values.length; r++) {
      if (r == winner) {
        continue;
      }
      int firstMismatch = -1;
      for (int i = 0; i < dims; i++) {
        String v = scope[r * dims + i];
        if (v != null && !v.equals(ctx.values[i])) {
          firstMismatch = i;
          break;
        }
      }
      if (firstMismatch >= 0) {
        excludedTotal++;
        if (excluded.size() < maxExcluded) {
          excluded.add(
              new Explanation.Excluded(
                  row(r, hierarchy), hierarchy.dimension(firstMismatch), ctx.value(firstMismatch)));
        }
      } else {
        outranked.add(new Explanation.Outranked(row(r, hierarchy), lostOn(winner, r, hierarchy)));
      }
    }
    Explanation.Outcome outcome;
    SettingValue value;
    if (killed) {
      outcome = Explanation.Outcome.KILLED;
      value = killValue;
    } else if (winner >= 0) {
      outcome = Explanation.Outcome.ROW;
      value = values[winner];
    } else if (declaredDefault != null) {
      outcome = Explanation.Outcome.DEFAULT;
      value = declaredDefault;
    } else {
      outcome = Explanation.Outcome.NOT_FOUND;
      value = null;
    }
    return new Explanation(
        feature,
        ctx,
        outcome,
        Optional.ofNullable(value),
        winner >= 0 ? Optional.of(row(winner, hierarchy)) : Optional.empty(),
        outranked,
        excluded,
        excludedTotal,
        definition,
        revision);
  }

  /** The most significant dimension the winner names and the loser does not. */
  private String lostOn(int winner, int loser, Hierarchy hierarchy) {
    for (int i = 0; i < dims; i++) {
      boolean w = scope[winner * dims + i] != null;
      boolean l = scope[loser * dims + i] != null;
      if (w && !l) {
        return hierarchy.dimension(i);
      }
    }
    throw new IllegalStateException("row does not lose to the winner");
  }
}
