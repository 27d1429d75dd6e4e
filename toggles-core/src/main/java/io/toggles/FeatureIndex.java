package io.toggles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, pre-indexed snapshot of one feature. Rows are grouped by the mask of the dimensions
 * they name, groups in descending precedence; each group stores only the values it names,
 * column-wise, with an open-addressing hash table over them. Resolution probes the groups in order
 * and stops at the first hit: at most one probe per distinct mask, no lock, no allocation.
 *
 * <p>A table slot holds the row number and 8 bits of the row's hash, so a probe that meets another
 * row's slot usually moves on without reading that row. Large features also keep, per dimension, a
 * one-bit-per-hash filter of the values their rows name: a context value that no row names rules
 * out every group naming that dimension before any table is touched.
 *
 * <p>A change from the log is applied as a copy of the one group it touches ({@link #apply}), so a
 * flip of one row in a feature of 100,000 rows copies one group's arrays instead of re-indexing.
 */
final class FeatureIndex {
  /** Slot layout: the top 8 bits are a hash tag, the low 24 bits the row number plus one. */
  static final int ROW_BITS = 24;

  static final int ROW_MASK = (1 << ROW_BITS) - 1;

  /** The most rows one precedence group of a feature may have, bounded by the slot layout. */
  static final int MAX_GROUP_ROWS = ROW_MASK - 1;

  /** From this many rows on, tables outgrow the CPU caches and value filters pay for themselves. */
  static final int FILTER_MIN_ROWS = 1 << 14;

  final String feature;
  final int dims;
  final long revision;
  final Optional<FeatureDefinition> definition;
  final boolean killed;
  final @Nullable SettingValue killValue;
  final @Nullable SettingValue declaredDefault;
  private final Group[] groups;

  // Per dimension, bit (spread(hash of v) & bits - 1) is set for every value v that rows name
  // there; null below FILTER_MIN_ROWS rows. Never a false negative.
  private final long @Nullable [][] filters;

  private FeatureIndex(
      String feature,
      int dims,
      long revision,
      Optional<FeatureDefinition> definition,
      boolean killed,
      Group[] groups,
      long @Nullable [][] filters) {
    this.feature = feature;
    this.dims = dims;
    this.revision = revision;
    this.definition = definition;
    this.killed = killed;
    this.declaredDefault = definition.flatMap(FeatureDefinition::defaultValue).orElse(null);
    this.killValue =
        killed
            ? definition.map(d -> d.killValue().orElse(null)).orElse(SettingValue.of(false))
            : null;
    this.groups = groups;
    this.filters = filters;
  }

  /**
   * Indexes a feature's state.
   *
   * @throws IllegalArgumentException if two rows share a scope or a row has another hierarchy
   */
  static FeatureIndex of(FeatureState state, int dims) {
    Map<Object, Object> local = new HashMap<>();
    return of(state, dims, v -> local.computeIfAbsent(v, k -> k));
  }

  /**
   * Indexes a feature's state, sharing equal scope values and setting values through {@code
   * canonical} (an interner shared by every feature of a {@link Toggles}, so that an id named by
   * the rows of many features is held once).
   *
   * @throws IllegalArgumentException if two rows share a scope or a row has another hierarchy
   */
  static FeatureIndex of(FeatureState state, int dims, UnaryOperator<Object> canonical) {
    List<Setting> rows = new ArrayList<>(state.rows());
    rows.sort(Comparator.comparingInt((Setting s) -> -s.scope().rank()));
    List<Group> groups = new ArrayList<>();
    int start = 0;
    for (int r = 1; r <= rows.size(); r++) {
      if (r == rows.size() || rows.get(r).scope().rank() != rows.get(start).scope().rank()) {
        groups.add(Group.of(state.key(), dims, rows.subList(start, r), canonical));
        start = r;
      }
    }
    Group[] gs = groups.toArray(new Group[0]);
    return new FeatureIndex(
        state.key(),
        dims,
        state.revision(),
        state.definition(),
        state.killed(),
        gs,
        rows.size() >= FILTER_MIN_ROWS ? filters(gs, dims) : null);
  }

  private static long[][] filters(Group[] groups, int dims) {
    List<Set<String>> distinct = new ArrayList<>();
    for (int i = 0; i < dims; i++) {
      distinct.add(new HashSet<>());
    }
    for (Group g : groups) {
      int w = g.dims.length;
      for (int r = 0; r < g.count; r++) {
        for (int j = 0; j < w; j++) {
          distinct.get(g.dims[j]).add(g.scope[r * w + j]);
        }
      }
    }
    long[][] f = new long[dims][];
    for (int i = 0; i < dims; i++) {
      // At least 8 bits per distinct value (at most 1 in 8 unknown values passes), a power of two.
      int n = Math.min(distinct.get(i).size(), 1 << 24);
      int bits = Integer.highestOneBit(Math.max(64, n * 8) - 1) << 1;
      f[i] = new long[bits >>> 6];
      for (String v : distinct.get(i)) {
        mark(f[i], v.hashCode());
      }
    }
    return f;
  }

  private static void mark(long[] words, int hash) {
    int b = Index.spread(hash);
    words[(b >>> 6) & (words.length - 1)] |= 1L << b;
  }

  private static boolean mayName(long[] words, int hash) {
    int b = Index.spread(hash);
    return (words[(b >>> 6) & (words.length - 1)] & (1L << b)) != 0;
  }

  int size() {
    int n = 0;
    for (Group g : groups) {
      n += g.count;
    }
    return n;
  }

  /**
   * The value for a context: the kill value while killed, else the winning row's, else the declared
   * default, else {@code null}.
   */
  @Nullable SettingValue resolve(Context ctx) {
    if (killed) {
      return killValue;
    }
    final @Nullable String[] cv = ctx.values;
    final int[] ch = ctx.hashes;
    final int[] mh = ctx.maskHashes;
    int present = ctx.presentMask;
    final long[][] f = filters;
    if (f != null) {
      for (int i = 0, bit = 1 << (dims - 1); i < dims; i++, bit >>>= 1) {
        if ((present & bit) != 0 && !mayName(f[i], ch[i])) {
          present &= ~bit;
        }
      }
    }
    for (Group g : groups) {
      if ((g.mask & ~present) != 0) {
        continue;
      }
      int h;
      if (mh != null) {
        h = mh[g.mask];
      } else {
        final int[] gd = g.dims;
        h = 0;
        for (int j = 0; j < gd.length; j++) {
          h = h * 31 + ch[gd[j]];
        }
      }
      int r = g.find(h, cv);
      if (r >= 0) {
        return g.values[r];
      }
    }
    return declaredDefault;
  }

  /** As {@link #resolve(Context)} for up to three raw values in hierarchy order. */
  @Nullable SettingValue resolve(@Nullable String a, @Nullable String b, @Nullable String c) {
    if (killed) {
      return killValue;
    }
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
    final long[][] f = filters;
    if (f != null) {
      if (a != null && !mayName(f[0], a.hashCode())) {
        present &= ~(1 << (d - 1));
      }
      if (d > 1 && b != null && !mayName(f[1], b.hashCode())) {
        present &= ~(1 << (d - 2));
      }
      if (d > 2 && c != null && !mayName(f[2], c.hashCode())) {
        present &= ~1;
      }
    }
    for (Group g : groups) {
      if ((g.mask & ~present) != 0) {
        continue;
      }
      final int[] gd = g.dims;
      int h = 0;
      for (int j = 0; j < gd.length; j++) {
        h = h * 31 + pick(gd[j], a, b, c).hashCode();
      }
      int r = g.find3(h, a, b, c);
      if (r >= 0) {
        return g.values[r];
      }
    }
    return declaredDefault;
  }

  // Callers only pick values whose bit is present, which are never null.
  static String pick(int i, @Nullable String a, @Nullable String b, @Nullable String c) {
    return i == 0 ? a : i == 1 ? b : c;
  }

  // ------------------------------------------------------------------------- deltas

  /**
   * This index with changes from the log applied, oldest first; changes at or below this index's
   * revision are skipped (versions only move forward). Returns {@code null} when a change cannot be
   * applied as a delta (a re-declaration): the caller reloads the feature. The result is consistent
   * with revision {@code upTo}, the last revision of the batch the changes came from.
   */
  @Nullable FeatureIndex apply(List<Change> changes, Hierarchy hierarchy, long upTo) {
    FeatureIndex idx = this;
    for (Change c : changes) {
      if (!c.feature().equals(feature) || c.revision() <= idx.revision) {
        continue;
      }
      if (!c.scope().map(s -> s.hierarchy().equals(hierarchy)).orElse(true)) {
        return null;
      }
      switch (c.kind()) {
        case SET:
          if (c.scope().isEmpty() || c.newValue().isEmpty() || c.newVersion().isEmpty()) {
            return null; // an entry without the new row: reload instead
          }
          idx =
              idx.withRow(
                  c.revision(), c.scope().get(), c.newValue().get(), c.newVersion().getAsLong());
          break;
        case UNSET:
          if (c.scope().isEmpty()) {
            return null;
          }
          idx = idx.withoutRow(c.revision(), c.scope().get());
          break;
        case KILL:
        case UNKILL:
          idx =
              new FeatureIndex(
                  feature,
                  dims,
                  c.revision(),
                  definition,
                  c.kind() == ChangeKind.KILL,
                  idx.groups,
                  idx.filters);
          break;
        case DEFINE:
          return null;
      }
    }
    return upTo > idx.revision
        ? new FeatureIndex(feature, dims, upTo, definition, idx.killed, idx.groups, idx.filters)
        : idx;
  }

  private FeatureIndex withRow(long rev, Scope scope, SettingValue value, long version) {
    int mask = scope.rank();
    Group[] gs = groups.clone();
    int gi = groupIndex(mask);
    if (gi >= 0) {
      gs[gi] = gs[gi].with(scope.values, value, version);
    } else {
      int at = -gi - 1;
      Group g = Group.of(feature, dims, List.of(new Setting(feature, scope, value, version)), null);
      gs = new Group[groups.length + 1];
      System.arraycopy(groups, 0, gs, 0, at);
      gs[at] = g;
      System.arraycopy(groups, at, gs, at + 1, groups.length - at);
    }
    long[][] f = filters;
    if (f != null) {
      // Copy only the filters of the dimensions the new row names, and mark its values.
      f = f.clone();
      for (int i = 0; i < dims; i++) {
        String v = scope.values[i];
        if (v != null && !mayName(f[i], v.hashCode())) {
          f[i] = f[i].clone();
          mark(f[i], v.hashCode());
        }
      }
    }
    return new FeatureIndex(feature, dims, rev, definition, killed, gs, f);
  }

  private FeatureIndex withoutRow(long rev, Scope scope) {
    int gi = groupIndex(scope.rank());
    Group[] gs = groups;
    if (gi >= 0) {
      Group g = groups[gi].without(scope.values);
      if (g == null) {
        gs = new Group[groups.length - 1];
        System.arraycopy(groups, 0, gs, 0, gi);
        System.arraycopy(groups, gi + 1, gs, gi, groups.length - gi - 1);
      } else {
        gs = groups.clone();
        gs[gi] = g;
      }
    }
    // A removed row's bits stay set: the filter may only err towards probing.
    return new FeatureIndex(feature, dims, rev, definition, killed, gs, filters);
  }

  /** The group of {@code mask}, or {@code -(insertion point) - 1}. Groups descend by mask. */
  private int groupIndex(int mask) {
    for (int i = 0; i < groups.length; i++) {
      if (groups[i].mask == mask) {
        return i;
      }
      if (groups[i].mask < mask) {
        return -i - 1;
      }
    }
    return -groups.length - 1;
  }

  // ------------------------------------------------------------------------- views

  /** All rows, most specific first. */
  List<Setting> rows(Hierarchy hierarchy) {
    List<Setting> out = new ArrayList<>(size());
    for (Group g : groups) {
      for (int r = 0; r < g.count; r++) {
        out.add(g.row(feature, r, hierarchy));
      }
    }
    return out;
  }

  /** The state this index holds, rows most specific first. */
  FeatureState state(Hierarchy hierarchy) {
    return new FeatureState(feature, definition, killed, rows(hierarchy), revision);
  }

  /** Explains the resolution for a context, listing at most {@code maxExcluded} excluded rows. */
  Explanation explain(Context ctx, Hierarchy hierarchy, int maxExcluded) {
    Setting winner = null;
    int winnerMask = 0;
    List<Explanation.Outranked> outranked = new ArrayList<>();
    List<Explanation.Excluded> excluded = new ArrayList<>();
    int excludedTotal = 0;
    for (Group g : groups) {
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
                  g.row(feature, r, hierarchy), lostOn(winnerMask, g.mask, hierarchy)));
        }
      }
    }
    Explanation.Outcome outcome;
    SettingValue value;
    if (killed) {
      outcome = Explanation.Outcome.KILLED;
      value = killValue;
    } else if (winner != null) {
      outcome = Explanation.Outcome.ROW;
      value = winner.value();
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
        Optional.ofNullable(winner),
        outranked,
        excluded,
        excludedTotal,
        definition,
        revision);
  }

  /** The most significant dimension the winner's mask names and the loser's does not. */
  private String lostOn(int winnerMask, int loserMask, Hierarchy hierarchy) {
    int diff = winnerMask & ~loserMask;
    return hierarchy.dimension(dims - 1 - (31 - Integer.numberOfLeadingZeros(diff)));
  }

  /** The rows naming one set of dimensions: column-wise values and a hash table over them. */
  static final class Group {
    final int mask;
    final int[] dims; // the dimensions this group names, in hierarchy order
    final int count;
    final String[] scope; // scope[r * dims.length + j] = row r's value of dimension dims[j]
    final SettingValue[] values;
    final long[] versions;
    final int[] hashes;
    final int[] table; // slot -> tag << 24 | row + 1; 0 = empty

    private Group(
        int mask,
        int[] dims,
        int count,
        String[] scope,
        SettingValue[] values,
        long[] versions,
        int[] hashes,
        int[] table) {
      this.mask = mask;
      this.dims = dims;
      this.count = count;
      this.scope = scope;
      this.values = values;
      this.versions = versions;
      this.hashes = hashes;
      this.table = table;
    }

    static Group of(
        String feature, int d, List<Setting> rows, @Nullable UnaryOperator<Object> canonical) {
      int mask = rows.get(0).scope().rank();
      int[] gd = dimsOf(mask, d);
      int n = rows.size();
      if (n > MAX_GROUP_ROWS) {
        throw new IllegalArgumentException(
            "feature '"
                + feature
                + "' has "
                + n
                + " rows naming the same dimensions; at most "
                + MAX_GROUP_ROWS
                + " are supported");
      }
      int w = gd.length;
      String[] scope = new String[n * w];
      SettingValue[] values = new SettingValue[n];
      long[] versions = new long[n];
      int[] hashes = new int[n];
      for (int r = 0; r < n; r++) {
        Setting s = rows.get(r);
        if (s.scope().hierarchy().size() != d) {
          throw new IllegalArgumentException(
              "row of '" + feature + "' has " + s.scope().hierarchy() + " but the store has " + d);
        }
        int h = 0;
        for (int j = 0; j < w; j++) {
          String v = s.scope().values[gd[j]];
          if (canonical != null) {
            v = (String) canonical.apply(v);
          }
          scope[r * w + j] = v;
          h = h * 31 + v.hashCode();
        }
        values[r] = canonical == null ? s.value() : (SettingValue) canonical.apply(s.value());
        versions[r] = s.version();
        hashes[r] = h;
      }
      int[] table = new int[tableSize(n)];
      for (int r = 0; r < n; r++) {
        if (insert(table, hashes, scope, w, r) >= 0) {
          throw new IllegalArgumentException(
              "feature '" + feature + "' has two rows for scope " + rows.get(r).scope());
        }
      }
      return new Group(mask, gd, n, scope, values, versions, hashes, table);
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

    /** Inserts row r; returns -1, or the row it duplicates (and then inserts nothing). */
    private static int insert(int[] table, int[] hashes, String[] scope, int w, int r) {
      int tm = table.length - 1;
      int sh = Index.spread(hashes[r]);
      int tag = sh >>> ROW_BITS;
      int s = sh & tm;
      while (table[s] != 0) {
        int o = (table[s] & ROW_MASK) - 1;
        if (hashes[o] == hashes[r]
            && Arrays.equals(scope, o * w, o * w + w, scope, r * w, r * w + w)) {
          return o;
        }
        s = (s + 1) & tm;
      }
      table[s] = tag << ROW_BITS | (r + 1);
      return -1;
    }

    int find(int h, @Nullable String[] cv) {
      final int[] t = table;
      final int tm = t.length - 1;
      final int w = dims.length;
      final int sh = Index.spread(h);
      final int tag = sh >>> ROW_BITS;
      for (int s = sh & tm; ; s = (s + 1) & tm) {
        int e = t[s];
        if (e == 0) {
          return -1;
        }
        if (e >>> ROW_BITS == tag) {
          int r = (e & ROW_MASK) - 1;
          if (hashes[r] == h) {
            int base = r * w;
            int j = 0;
            while (j < w && scope[base + j].equals(cv[dims[j]])) {
              j++;
            }
            if (j == w) {
              return r;
            }
          }
        }
      }
    }

    int find3(int h, @Nullable String a, @Nullable String b, @Nullable String c) {
      final int[] t = table;
      final int tm = t.length - 1;
      final int w = dims.length;
      final int sh = Index.spread(h);
      final int tag = sh >>> ROW_BITS;
      for (int s = sh & tm; ; s = (s + 1) & tm) {
        int e = t[s];
        if (e == 0) {
          return -1;
        }
        if (e >>> ROW_BITS == tag) {
          int r = (e & ROW_MASK) - 1;
          if (hashes[r] == h) {
            int base = r * w;
            int j = 0;
            while (j < w && scope[base + j].equals(pick(dims[j], a, b, c))) {
              j++;
            }
            if (j == w) {
              return r;
            }
          }
        }
      }
    }

    private int rowOf(@Nullable String[] fullScope) {
      int h = 0;
      for (int j = 0; j < dims.length; j++) {
        h = h * 31 + fullScope[dims[j]].hashCode();
      }
      return find(h, fullScope);
    }

    /** A copy with the row at this scope set (replaced in place, or appended). */
    Group with(@Nullable String[] fullScope, SettingValue value, long version) {
      int r = rowOf(fullScope);
      if (r >= 0) {
        SettingValue[] vs = values.clone();
        long[] vv = versions.clone();
        vs[r] = value;
        vv[r] = version;
        return new Group(mask, dims, count, scope, vs, vv, hashes, table);
      }
      int w = dims.length;
      int n = count + 1;
      if (n > MAX_GROUP_ROWS) {
        throw new IllegalArgumentException(
            "at most " + MAX_GROUP_ROWS + " rows may name the same dimensions of one feature");
      }
      String[] sc = Arrays.copyOf(scope, n * w);
      int h = 0;
      for (int j = 0; j < w; j++) {
        sc[count * w + j] = fullScope[dims[j]];
        h = h * 31 + fullScope[dims[j]].hashCode();
      }
      SettingValue[] vs = Arrays.copyOf(values, n);
      vs[count] = value;
      long[] vv = Arrays.copyOf(versions, n);
      vv[count] = version;
      int[] hs = Arrays.copyOf(hashes, n);
      hs[count] = h;
      int[] t;
      if (tableSize(n) == table.length) {
        t = table.clone();
        insert(t, hs, sc, w, count);
      } else {
        t = new int[tableSize(n)];
        for (int i = 0; i < n; i++) {
          insert(t, hs, sc, w, i);
        }
      }
      return new Group(mask, dims, n, sc, vs, vv, hs, t);
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
      // Move the last row into the hole, then re-insert every row's cached hash.
      String[] sc = Arrays.copyOf(scope, n * w);
      SettingValue[] vs = Arrays.copyOf(values, n);
      long[] vv = Arrays.copyOf(versions, n);
      int[] hs = Arrays.copyOf(hashes, n);
      if (r != n) {
        System.arraycopy(scope, n * w, sc, r * w, w);
        vs[r] = values[n];
        vv[r] = versions[n];
        hs[r] = hashes[n];
      }
      int[] t = new int[tableSize(n)];
      for (int i = 0; i < n; i++) {
        insert(t, hs, sc, w, i);
      }
      return new Group(mask, dims, n, sc, vs, vv, hs, t);
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
      int w = dims.length;
      for (int j = 0; j < w; j++) {
        full[dims[j]] = scope[r * w + j];
      }
      return new Setting(feature, new Scope(hierarchy, full), values[r], versions[r]);
    }
  }
}
