package io.toggles;

import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way from a check to a value, shared by {@link Toggles} (by name) and {@link Feature} (by
 * handle): reads the published {@link Generation}, resolves, converts to the asked type, and takes
 * the slow paths (misuse, a feature not loaded, an undeclared name) off the common one.
 *
 * <p>It also holds the published generation, so that a check reaches it in one read: {@link
 * #publish} is the only write, made by the sync engine, and {@link #awaitRevision} waits for it.
 * Thread-safe; the check methods take no lock and allocate nothing on a loaded feature.
 */
final class Lookup {
  private static final Logger LOG = LoggerFactory.getLogger(Toggles.class);

  final Hierarchy hierarchy;
  private final Warnings warnings;
  private final MissLoads misses;
  private final int maxExcluded;
  private volatile Generation current = Generation.EMPTY;
  private final Object published = new Object();
  private volatile boolean closed;

  Lookup(Hierarchy hierarchy, Warnings warnings, MissLoads misses, int maxExcluded) {
    this.hierarchy = hierarchy;
    this.warnings = warnings;
    this.misses = misses;
    this.maxExcluded = maxExcluded;
  }

  // ------------------------------------------------------------------ the published generation

  Generation current() {
    return current;
  }

  /** Makes {@code next} the generation every check reads: one volatile write. */
  void publish(Generation next) {
    synchronized (published) {
      current = next;
      published.notifyAll();
    }
  }

  /** Publishes {@code next} only if nothing was published yet (the snapshot file at start). */
  boolean publishIfEmpty(Generation next) {
    synchronized (published) {
      if (current.source != Generation.Source.NONE) {
        return false;
      }
      current = next;
      published.notifyAll();
      return true;
    }
  }

  /** The revision applied from the store, -1 if none. */
  long revision() {
    Generation g = current;
    return g.source == Generation.Source.STORE ? g.revision : -1;
  }

  /** Waits until a generation of at least {@code revision} from the store is published. */
  boolean awaitRevision(long revision, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (published) {
      while (revision() < revision) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(published, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  void close() {
    closed = true;
    synchronized (published) {
      published.notifyAll();
    }
  }

  // ------------------------------------------------------------------ lenient, never throws

  /** The published index of a feature by name, or null. */
  @Nullable FeatureIndex byName(@Nullable String feature) {
    return feature == null ? null : current.get(feature);
  }

  /** The published index of the feature a handle numbers {@code id}, or null. */
  @Nullable FeatureIndex bySlot(int id) {
    return current.slot(id);
  }

  @Nullable SettingValue resolve(
      @Nullable String feature, @Nullable FeatureIndex idx, @Nullable Context context) {
    if (idx != null && context != null && context.hierarchy == hierarchy) {
      return idx.resolve(context);
    }
    return resolveSlow(feature, idx, context);
  }

  private @Nullable SettingValue resolveSlow(
      @Nullable String feature, @Nullable FeatureIndex idx, @Nullable Context context) {
    if (feature == null || context == null) {
      nullArgument();
      return null;
    }
    if (idx == null) {
      idx = miss(feature);
      if (idx == null) {
        return null;
      }
    }
    if (context.hierarchy != hierarchy && !context.hierarchy.equals(hierarchy)) {
      if (warnings.first("hierarchy", context.hierarchy)) {
        LOG.warn(
            "toggles: a context of {} was used with a store of {}; answering defaults",
            context.hierarchy.dimensions(),
            hierarchy.dimensions());
      }
      return null;
    }
    return idx.resolve(context);
  }

  @Nullable SettingValue resolve(
      @Nullable String feature,
      @Nullable FeatureIndex idx,
      int count,
      @Nullable String a,
      @Nullable String b,
      @Nullable String c) {
    if (idx != null && count == idx.dims) {
      return idx.resolve(a, b, c);
    }
    return resolveSlow(feature, idx, count, a, b, c);
  }

  private @Nullable SettingValue resolveSlow(
      @Nullable String feature,
      @Nullable FeatureIndex idx,
      int count,
      @Nullable String a,
      @Nullable String b,
      @Nullable String c) {
    if (feature == null) {
      nullArgument();
      return null;
    }
    if (idx == null) {
      idx = miss(feature);
      if (idx == null) {
        return null;
      }
    }
    if (count != idx.dims) {
      if (warnings.first("arity", count)) {
        LOG.warn(
            "toggles: a check passed {} scope values but the hierarchy {} has {}; answering"
                + " defaults",
            count,
            hierarchy.dimensions(),
            idx.dims);
      }
      return null;
    }
    return idx.resolve(a, b, c);
  }

  private void nullArgument() {
    if (warnings.first("null", "")) {
      LOG.warn("toggles: a check passed a null feature or context; answering defaults");
    }
  }

  /**
   * A feature not in the published generation: a malformed key or an undeclared name answers the
   * default at once (no store call, nothing remembered but a bounded warning); a declared feature
   * not loaded yet, or any name before the store first answered, waits a little for the sync engine
   * to load it.
   */
  private @Nullable FeatureIndex miss(String feature) {
    try {
      FeatureDefinition.requireValidKey(feature);
    } catch (IllegalArgumentException e) {
      if (warnings.first("key", feature)) {
        LOG.warn("toggles: {}; answering defaults", e.getMessage());
      }
      return null;
    }
    Generation g = current;
    switch (g.known(feature)) {
      case LOADED:
        return g.get(feature);
      case UNDECLARED:
        undeclared(feature, g);
        return null;
      default:
        return misses.await(feature) ? current.get(feature) : null;
    }
  }

  private void undeclared(String feature, Generation g) {
    if (warnings.first("undeclared", feature)) {
      LOG.warn(
          "toggles: feature '{}' is not declared in the store (revision {}); answering defaults",
          feature,
          g.revision);
    }
  }

  // The typed answers. Each takes the index the check found (null if none, or if a miss loaded it
  // just now) to tally the outcome on: a check of a feature this node holds counts, a name the
  // store does not declare never does.

  boolean bool(
      String feature, @Nullable FeatureIndex idx, @Nullable SettingValue v, boolean defaultValue) {
    // BooleanValue is an enum: comparing references decides without reading the value.
    if (v == SettingValue.BooleanValue.TRUE) {
      tally(idx, Tally.TRUE);
      return true;
    }
    if (v == SettingValue.BooleanValue.FALSE) {
      tally(idx, Tally.FALSE);
      return false;
    }
    tally(idx, Tally.CALLER_DEFAULT);
    wrongType(feature, v, SettingType.BOOLEAN);
    return defaultValue;
  }

  String string(
      String feature, @Nullable FeatureIndex idx, @Nullable SettingValue v, String defaultValue) {
    if (v instanceof SettingValue.StringValue s) {
      tally(idx, Tally.VALUE);
      return s.value();
    }
    tally(idx, Tally.CALLER_DEFAULT);
    wrongType(feature, v, SettingType.STRING);
    return defaultValue;
  }

  long longValue(
      String feature, @Nullable FeatureIndex idx, @Nullable SettingValue v, long defaultValue) {
    if (v instanceof SettingValue.LongValue l) {
      tally(idx, Tally.VALUE);
      return l.value();
    }
    tally(idx, Tally.CALLER_DEFAULT);
    wrongType(feature, v, SettingType.LONG);
    return defaultValue;
  }

  BigDecimal decimal(
      String feature,
      @Nullable FeatureIndex idx,
      @Nullable SettingValue v,
      BigDecimal defaultValue) {
    if (v instanceof SettingValue.DecimalValue d) {
      tally(idx, Tally.VALUE);
      return d.value();
    }
    tally(idx, Tally.CALLER_DEFAULT);
    wrongType(feature, v, SettingType.DECIMAL);
    return defaultValue;
  }

  String json(
      String feature, @Nullable FeatureIndex idx, @Nullable SettingValue v, String defaultValue) {
    if (v instanceof SettingValue.JsonValue j) {
      tally(idx, Tally.VALUE);
      return j.json();
    }
    tally(idx, Tally.CALLER_DEFAULT);
    wrongType(feature, v, SettingType.JSON);
    return defaultValue;
  }

  /** Any type: {@code v} itself, tallied by what it is. */
  @Nullable SettingValue any(@Nullable FeatureIndex idx, @Nullable SettingValue v) {
    tally(idx, outcomeOf(v));
    return v;
  }

  private static int outcomeOf(@Nullable SettingValue v) {
    return v == SettingValue.BooleanValue.TRUE
        ? Tally.TRUE
        : v == SettingValue.BooleanValue.FALSE
            ? Tally.FALSE
            : v != null ? Tally.VALUE : Tally.CALLER_DEFAULT;
  }

  /** The check path's only addition: one field read when nothing is tallied (the default). */
  private static void tally(@Nullable FeatureIndex idx, int outcome) {
    if (idx != null) {
      Tally t = idx.tally;
      if (t != null) {
        t.record(outcome);
      }
    }
  }

  private void wrongType(String feature, @Nullable SettingValue v, SettingType asked) {
    if (v != null && warnings.first(asked, feature)) {
      LOG.warn(
          "toggles: feature '{}' is {} but was asked for as {}; answering the caller's default",
          feature,
          v.type(),
          asked);
    }
  }

  // ------------------------------------------------------------------ strict

  /** The resolved value, or {@link SettingNotFoundException}. */
  SettingValue require(String feature, Context context) {
    FeatureIndex idx = strictIndex(feature, context);
    SettingValue v = any(idx, idx.resolve(context));
    if (v == null) {
      throw new SettingNotFoundException(feature, context.toString());
    }
    return v;
  }

  /** The resolved value of the asked type, or {@link WrongTypeException}. */
  SettingValue require(String feature, Context context, SettingType type) {
    SettingValue v = require(feature, context);
    if (v.type() != type) {
      throw new WrongTypeException(feature, type, v.type());
    }
    return v;
  }

  Explanation explain(String feature, Context context) {
    return Explainer.explain(strictIndex(feature, context), context, hierarchy, maxExcluded);
  }

  /**
   * The strict API's way to the index: bad input throws, an undeclared name throws {@link
   * UnknownFeatureException} at once, and only a feature the node cannot load in time (the store
   * has not answered, or a node without preload loading it) throws {@link StoreException}.
   */
  private FeatureIndex strictIndex(String feature, Context context) {
    FeatureDefinition.requireValidKey(feature);
    if (!context.hierarchy.equals(hierarchy)) {
      throw new IllegalArgumentException(
          "context has dimensions "
              + context.hierarchy.dimensions()
              + " but the store has "
              + hierarchy.dimensions());
    }
    Generation g = current;
    FeatureIndex idx = g.get(feature);
    if (idx != null) {
      return idx;
    }
    if (g.known(feature) != Generation.Known.UNDECLARED && misses.await(feature)) {
      g = current;
      idx = g.get(feature);
      if (idx != null) {
        return idx;
      }
    }
    if (g.known(feature) == Generation.Known.UNDECLARED) {
      throw new UnknownFeatureException(feature, g.revision);
    }
    throw new StoreException(
        "feature '" + feature + "' is not loaded and the store did not answer in time");
  }
}
