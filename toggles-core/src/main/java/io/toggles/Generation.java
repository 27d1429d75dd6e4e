package io.toggles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One whole state of a node, immutable: which store and which point of its history it reflects
 * (store id, revision, id of the change at that revision) and the index of every feature it holds.
 * A node publishes a generation with one volatile write ({@link Lookup#publish}), so a check sees
 * one generation or the next, never part of a write, across features too.
 *
 * <p>Features are found by name in an open-addressing table of indexes (a power of two, at most
 * half full, keys compared by reference first: they are interned, as literals are), and by handle
 * in an array by {@link FeatureIds} number. Not a Caffeine cache or a concurrent map: those are
 * updated entry by entry, and a generation must replace every feature at once. Caffeine keeps the
 * value interner ({@link Index#canonical}).
 */
final class Generation {
  /** Where a generation's values come from. */
  enum Source {
    /** Nothing yet: the store has not answered since the start and there is no snapshot. */
    NONE,
    /** The snapshot file read at the start; the store has not answered since. */
    SNAPSHOT,
    /** The store. */
    STORE
  }

  /** What a generation knows about a feature key. */
  enum Known {
    /** Its index is here. */
    LOADED,
    /** Declared in the store but not loaded (a node without preload loads it on first use). */
    DECLARED,
    /** Not declared: the node knows every declared feature and this is none of them. */
    UNDECLARED,
    /** Cannot tell: the store has not answered yet. */
    UNKNOWN
  }

  static final Generation EMPTY =
      new Generation(
          Source.NONE,
          "",
          -1,
          Optional.empty(),
          null,
          false,
          new FeatureIndex[2],
          new FeatureIndex[0],
          0);

  final Source source;
  final String storeId;
  final long revision;
  final Optional<String> changeId;
  // The declared features when the node does not hold them all (preload off); null otherwise.
  private final @Nullable Set<String> declared;
  // Every feature the store declares (or has rows for) is in the table.
  final boolean complete;
  private final FeatureIndex[] table;
  private final FeatureIndex[] slots;
  final int size;

  private Generation(
      Source source,
      String storeId,
      long revision,
      Optional<String> changeId,
      @Nullable Set<String> declared,
      boolean complete,
      FeatureIndex[] table,
      FeatureIndex[] slots,
      int size) {
    this.source = source;
    this.storeId = storeId;
    this.revision = revision;
    this.changeId = changeId;
    this.declared = declared;
    this.complete = complete;
    this.table = table;
    this.slots = slots;
    this.size = size;
  }

  /** The index of a feature, or null: a few array reads, no lock, no allocation. */
  @Nullable FeatureIndex get(String key) {
    final FeatureIndex[] t = table;
    final int m = t.length - 1;
    for (int i = Index.spread(key.hashCode()) & m; ; i = (i + 1) & m) {
      FeatureIndex idx = t[i];
      if (idx == null || idx.feature == key || idx.feature.equals(key)) {
        return idx;
      }
    }
  }

  /** The index of the feature numbered {@code id} by {@link FeatureIds}, or null. */
  @Nullable FeatureIndex slot(int id) {
    final FeatureIndex[] s = slots;
    return id < s.length ? s[id] : null;
  }

  Known known(String key) {
    if (get(key) != null) {
      return Known.LOADED;
    }
    if (source != Source.STORE) {
      return Known.UNKNOWN;
    }
    if (complete) {
      return Known.UNDECLARED;
    }
    return declared != null && declared.contains(key) ? Known.DECLARED : Known.UNDECLARED;
  }

  /** Every index held. */
  List<FeatureIndex> features() {
    List<FeatureIndex> out = new ArrayList<>(size);
    for (FeatureIndex idx : table) {
      if (idx != null) {
        out.add(idx);
      }
    }
    return out;
  }

  /** The keys of every feature held. */
  Set<String> keys() {
    Set<String> out = new HashSet<>();
    for (FeatureIndex idx : table) {
      if (idx != null) {
        out.add(idx.feature);
      }
    }
    return out;
  }

  /** A generation of the snapshot file's features, at its revision. */
  static Generation ofSnapshot(
      String storeId,
      long revision,
      Optional<String> changeId,
      Collection<FeatureIndex> features,
      FeatureIds ids) {
    Builder b = Builder.fresh(storeId, revision, changeId, null);
    features.forEach(b::put);
    return b.build(Source.SNAPSHOT, ids);
  }

  /**
   * The next generation, built by the sync thread only: starts as a copy of one generation (or
   * empty, for a full reload) and becomes a new immutable one with {@link #build}.
   */
  static final class Builder {
    String storeId;
    long revision;
    Optional<String> changeId;
    private final Map<String, FeatureIndex> features;
    private @Nullable Set<String> declared;
    private boolean declaredCopied;

    private Builder(
        String storeId,
        long revision,
        Optional<String> changeId,
        Map<String, FeatureIndex> features,
        @Nullable Set<String> declared) {
      this.storeId = storeId;
      this.revision = revision;
      this.changeId = changeId;
      this.features = features;
      this.declared = declared;
    }

    /** A copy of {@code g} to change. */
    static Builder from(Generation g) {
      Map<String, FeatureIndex> features = new HashMap<>(Math.max(16, g.size * 2));
      for (FeatureIndex idx : g.table) {
        if (idx != null) {
          features.put(idx.feature, idx);
        }
      }
      return new Builder(g.storeId, g.revision, g.changeId, features, g.declared);
    }

    /**
     * An empty generation at a point of a store's history. {@code declared} is null when the node
     * is to hold every feature, else the store's declared features.
     */
    static Builder fresh(
        String storeId, long revision, Optional<String> changeId, @Nullable Set<String> declared) {
      return new Builder(
          storeId,
          revision,
          changeId,
          new HashMap<>(),
          declared == null ? null : Set.copyOf(declared));
    }

    @Nullable FeatureIndex get(String key) {
      return features.get(key);
    }

    void put(FeatureIndex idx) {
      features.put(idx.feature, idx);
    }

    void remove(String key) {
      features.remove(key);
    }

    /** Whether the node holds every feature (preload) rather than a catalog and some. */
    boolean complete() {
      return declared == null;
    }

    boolean isDeclared(String key) {
      return declared == null || declared.contains(key);
    }

    /** Records a feature declared after the catalog was read (a node without preload). */
    void declare(String key) {
      if (declared == null || declared.contains(key)) {
        return;
      }
      if (!declaredCopied) {
        declared = new HashSet<>(declared);
        declaredCopied = true;
      }
      declared.add(key);
    }

    Set<String> keys() {
      return features.keySet();
    }

    Generation build(Source source, FeatureIds ids) {
      int n = features.size();
      FeatureIndex[] table = new FeatureIndex[Integer.highestOneBit(Math.max(1, n) * 2 - 1) << 1];
      int m = table.length - 1;
      int maxId = -1;
      int[] idOf = new int[n];
      int k = 0;
      for (FeatureIndex idx : features.values()) {
        int i = Index.spread(idx.feature.hashCode()) & m;
        while (table[i] != null) {
          i = (i + 1) & m;
        }
        table[i] = idx;
        idOf[k] = ids.of(idx.feature);
        maxId = Math.max(maxId, idOf[k++]);
      }
      FeatureIndex[] slots = new FeatureIndex[maxId + 1];
      k = 0;
      for (FeatureIndex idx : features.values()) {
        slots[idOf[k++]] = idx;
      }
      Set<String> catalog =
          declared == null ? null : declaredCopied ? Set.copyOf(declared) : declared;
      return new Generation(
          source, storeId, revision, changeId, catalog, declared == null, table, slots, n);
    }
  }
}
