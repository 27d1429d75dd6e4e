package io.toggles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, pre-indexed snapshot of one feature. Rows are grouped by the mask of the dimensions
 * they name, groups in descending precedence; each group stores the values its rows name row after
 * row, their setting values beside them, and an open-addressing hash table over them. Resolution
 * probes the groups in order and stops at the first hit: at most one probe per distinct mask, no
 * lock, no allocation. A hit that finds a context value equal but not identical to the row's puts
 * the row's instance into the context, so that the next check compares references.
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
  final Group[] groups;
  // Usage mark and evaluation counts of this feature, shared by its indexes; null when neither is
  // kept (the default).
  final @Nullable Tally tally;

  // The groups' probe data side by side, so that a check reaches a table in two loads from here
  // instead of four: masks[g], tables[g], scopes[g], values[g] and groupDims[g] are groups[g]'s.
  private final int[] masks;
  // For up to 8 groups of masks below 128 (every feature of up to 3 dimensions), the masks 8 bits
  // each, group 0 lowest, so that the probe loop reads them without another load; -1 otherwise.
  private final long packedMasks;
  // Neither killed nor filtered, at least one group, and masks packed: the probe loops below need
  // nothing else.
  private final boolean direct;
  // Group 0 (the most specific), which every check probes first, one load nearer.
  private final int @Nullable [] table0;
  private final String @Nullable [] scope0;
  private final SettingValue @Nullable [] values0;
  private final int @Nullable [] dims0;
  private final int[][] tables;
  private final String[][] scopes;
  private final SettingValue[][] values;
  private final int[][] groupDims;

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
      long @Nullable [][] filters,
      @Nullable Tally tally) {
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
    this.tally = tally;
    int n = groups.length;
    this.masks = new int[n];
    this.tables = new int[n][];
    this.scopes = new String[n][];
    this.values = new SettingValue[n][];
    this.groupDims = new int[n][];
    for (int g = 0; g < n; g++) {
      masks[g] = groups[g].mask;
      tables[g] = groups[g].table;
      scopes[g] = groups[g].scope;
      values[g] = groups[g].values;
      groupDims[g] = groups[g].dims;
    }
    long packed = 0;
    for (int g = n - 1; g >= 0 && packed >= 0; g--) {
      packed = n <= 8 && masks[g] < 128 ? packed << 8 | masks[g] : -1;
    }
    this.packedMasks = packed;
    this.direct = !killed && filters == null && packed >= 0 && n > 0;
    this.table0 = n > 0 ? tables[0] : null;
    this.scope0 = n > 0 ? scopes[0] : null;
    this.values0 = n > 0 ? values[0] : null;
    this.dims0 = n > 0 ? groupDims[0] : null;
  }

  /**
   * Indexes a feature's state. Scope values and setting values are shared through {@link
   * Index#canonical}, so that an id named by the rows of many features is held once and a context
   * that met it once compares it by reference.
   *
   * @throws IllegalArgumentException if two rows share a scope or a row has another hierarchy
   */
  static FeatureIndex of(FeatureState state, int dims) {
    return of(state, dims, null);
  }

  /** As {@link #of(FeatureState, int)}, carrying the feature's {@link Tally}. */
  static FeatureIndex of(FeatureState state, int dims, @Nullable Tally tally) {
    List<Setting> rows = new ArrayList<>(state.rows());
    rows.sort(Comparator.comparingInt((Setting s) -> -s.scope().rank()));
    List<Group> groups = new ArrayList<>();
    int start = 0;
    for (int r = 1; r <= rows.size(); r++) {
      if (r == rows.size() || rows.get(r).scope().rank() != rows.get(start).scope().rank()) {
        groups.add(Group.of(state.key(), dims, rows.subList(start, r)));
        start = r;
      }
    }
    Group[] gs = groups.toArray(new Group[0]);
    return new FeatureIndex(
        state.key().intern(), // the cache's key: found by reference for a literal
        dims,
        state.revision(),
        state.definition(),
        state.killed(),
        gs,
        rows.size() >= FILTER_MIN_ROWS ? filters(gs, dims) : null,
        tally);
  }

  private static long[][] filters(Group[] groups, int dims) {
    List<Set<String>> distinct = new ArrayList<>();
    for (int i = 0; i < dims; i++) {
      distinct.add(new HashSet<>());
    }
    for (Group g : groups) {
      for (int r = 0; r < g.count; r++) {
        for (int j = 0; j < g.dims.length; j++) {
          distinct.get(g.dims[j]).add(g.scopeValue(r, j));
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
    final int[] mp = ctx.maskProbes;
    if (!direct || mp == null) {
      return resolveGeneral(ctx);
    }
    // The common case kept small, so that the JIT inlines it into the check.
    final @Nullable String[] cv = ctx.values;
    final int present = ctx.presentMask;
    final long pm = packedMasks;
    final int m0 = (int) pm & 0xFF;
    if ((m0 & ~present) == 0) {
      int r = Group.find(table0, scope0, dims0, mp[m0], cv);
      if (r >= 0) {
        return values0[r];
      }
    }
    for (int g = 1, n = masks.length; g < n; g++) {
      final int m = (int) (pm >>> (g << 3)) & 0xFF;
      if ((m & ~present) == 0) {
        int r = Group.find(tables[g], scopes[g], groupDims[g], mp[m], cv);
        if (r >= 0) {
          return values[g][r];
        }
      }
    }
    return declaredDefault;
  }

  private @Nullable SettingValue resolveGeneral(Context ctx) {
    if (killed) {
      return killValue;
    }
    final @Nullable String[] cv = ctx.values;
    final int[] ch = ctx.hashes;
    final int[] mp = ctx.maskProbes;
    int present = ctx.presentMask;
    final long[][] f = filters;
    if (f != null) {
      for (int i = 0, bit = 1 << (dims - 1); i < dims; i++, bit >>>= 1) {
        if ((present & bit) != 0 && !mayName(f[i], ch[i])) {
          present &= ~bit;
        }
      }
    }
    final int[] ms = masks;
    for (int g = 0; g < ms.length; g++) {
      final int m = ms[g];
      if ((m & ~present) != 0) {
        continue;
      }
      final int[] gd = groupDims[g];
      int sh;
      if (mp != null) {
        sh = mp[m];
      } else {
        int h = 0;
        for (int j = 0; j < gd.length; j++) {
          h = h * 31 + ch[gd[j]];
        }
        sh = Index.spread(h);
      }
      int r = Group.find(tables[g], scopes[g], gd, sh, cv);
      if (r >= 0) {
        return values[g][r];
      }
    }
    return declaredDefault;
  }

  /** As {@link #resolve(Context)} for up to three raw values in hierarchy order. */
  @Nullable SettingValue resolve(@Nullable String a, @Nullable String b, @Nullable String c) {
    if (!direct || dims != 3) {
      return resolveGeneral(a, b, c);
    }
    final int present = (a != null ? 4 : 0) | (b != null ? 2 : 0) | (c != null ? 1 : 0);
    final int ha = a != null ? a.hashCode() : 0;
    final int hb = b != null ? b.hashCode() : 0;
    final int hc = c != null ? c.hashCode() : 0;
    final long pm = packedMasks;
    for (int g = 0, n = masks.length; g < n; g++) {
      final int m = (int) (pm >>> (g << 3)) & 0xFF;
      if ((m & ~present) == 0) {
        // The combined hash of the values mask m names, as Context.maskProbes computes it.
        int h = (m & 4) != 0 ? ha : 0;
        if ((m & 2) != 0) {
          h = h * 31 + hb;
        }
        if ((m & 1) != 0) {
          h = h * 31 + hc;
        }
        final int[] t = g == 0 ? table0 : tables[g];
        final String[] sc = g == 0 ? scope0 : scopes[g];
        int r = Group.find3(t, sc, g == 0 ? dims0 : groupDims[g], Index.spread(h), a, b, c);
        if (r >= 0) {
          return g == 0 ? values0[r] : values[g][r];
        }
      }
    }
    return declaredDefault;
  }

  private @Nullable SettingValue resolveGeneral(
      @Nullable String a, @Nullable String b, @Nullable String c) {
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
    final int[] ms = masks;
    for (int g = 0; g < ms.length; g++) {
      final int m = ms[g];
      if ((m & ~present) != 0) {
        continue;
      }
      final int[] gd = groupDims[g];
      int h = 0;
      for (int j = 0; j < gd.length; j++) {
        h = h * 31 + pick(gd[j], a, b, c).hashCode();
      }
      int r = Group.find3(tables[g], scopes[g], gd, Index.spread(h), a, b, c);
      if (r >= 0) {
        return values[g][r];
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
                  idx.filters,
                  tally);
          break;
        case DEFINE:
          return null;
      }
    }
    return upTo > idx.revision
        ? new FeatureIndex(
            feature, dims, upTo, definition, idx.killed, idx.groups, idx.filters, tally)
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
      Group g = Group.of(feature, dims, List.of(new Setting(feature, scope, value, version)));
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
    return new FeatureIndex(feature, dims, rev, definition, killed, gs, f, tally);
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
    return new FeatureIndex(feature, dims, rev, definition, killed, gs, filters, tally);
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
}
