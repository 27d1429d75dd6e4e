package io.toggles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.toggles.spi.ToggleStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers toggle checks from an in-memory snapshot of the store, and keeps the snapshot current by
 * following the store's change log.
 *
 * <p>Two styles of lookup:
 *
 * <ul>
 *   <li>{@code isEnabled} and {@code get...(feature, context, default)} never throw: on any problem
 *       (unknown feature, wrong type, store down and nothing cached) they return the caller's
 *       default and log the problem once. Use them on hot paths.
 *   <li>{@code require...} throw {@link SettingNotFoundException} when no row matches and the
 *       feature declares no default, and {@link WrongTypeException} for the wrong type.
 * </ul>
 *
 * <p>Resolution order: the kill switch, then the most specific matching row, then the feature's
 * declared default, then (lenient style) the caller's default. A check on a cached feature takes no
 * lock, does no I/O and allocates nothing. Thread-safe; close it to stop background work.
 */
public final class Toggles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Toggles.class);
  private static final int CHANGE_BATCH = 1000;

  private final ToggleStore store;
  private final Hierarchy hierarchy;
  private final Cache<String, FeatureIndex> cache = Caffeine.newBuilder().build();
  private final ConcurrentHashMap<String, CompletableFuture<FeatureIndex>> loading =
      new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final long missWaitNanos;
  private final int maxExcluded;
  private final Warnings warnings = new Warnings(LOG);
  private final Object syncLock = new Object();
  private final @Nullable ScheduledFuture<?> syncTask;
  private volatile long revision = -1;

  private Toggles(Builder b) {
    this.store = b.store;
    this.hierarchy = store.hierarchy();
    this.missWaitNanos = b.missWait.toNanos();
    this.maxExcluded = b.maxExcluded;
    this.ownsExecutor = b.executor == null;
    this.executor = b.executor != null ? b.executor : newExecutor();
    if (b.preload) {
      try {
        reloadAll();
      } catch (RuntimeException e) {
        LOG.warn("toggles: first load failed, features load on first use: {}", e.toString());
      }
    }
    this.syncTask =
        b.syncInterval.isZero()
            ? null
            : executor.scheduleWithFixedDelay(
                this::syncQuietly,
                b.syncInterval.toNanos(),
                b.syncInterval.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  private static ScheduledExecutorService newExecutor() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newScheduledThreadPool(
        2,
        r -> {
          Thread t = new Thread(r, "toggles-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * A builder for toggles reading from {@code store}.
   *
   * @throws NullPointerException if {@code store} is null
   */
  public static Builder builder(ToggleStore store) {
    return new Builder(store);
  }

  /** The scope hierarchy of the store. */
  public Hierarchy hierarchy() {
    return hierarchy;
  }

  /** A context of this hierarchy from values in hierarchy order, {@code null} for absent. */
  public Context context(@Nullable String... values) {
    return Context.of(hierarchy, values);
  }

  // ---------------------------------------------------------------- lenient, never throws

  /**
   * Whether a boolean feature is on for a context; {@code false} when nothing says so. Never
   * throws.
   */
  public boolean isEnabled(String feature, Context context) {
    return getBoolean(feature, context, false);
  }

  /** {@link #isEnabled(String, Context)} for a one-dimension hierarchy's value. Never throws. */
  public boolean isEnabled(String feature, @Nullable String value0) {
    return bool(feature, raw(feature, 1, value0, null, null), false);
  }

  /** {@link #isEnabled(String, Context)} for a two-dimension hierarchy's values. Never throws. */
  public boolean isEnabled(String feature, @Nullable String value0, @Nullable String value1) {
    return bool(feature, raw(feature, 2, value0, value1, null), false);
  }

  /**
   * {@link #isEnabled(String, Context)} for a three-dimension hierarchy's values in hierarchy order
   * (by default product, merchant, country), {@code null} for absent. Allocates nothing. Never
   * throws.
   */
  public boolean isEnabled(
      String feature, @Nullable String value0, @Nullable String value1, @Nullable String value2) {
    return bool(feature, raw(feature, 3, value0, value1, value2), false);
  }

  /** A boolean setting, or {@code defaultValue} when nothing matches or on any problem. */
  public boolean getBoolean(String feature, Context context, boolean defaultValue) {
    return bool(feature, lookup(feature, context), defaultValue);
  }

  /** A string setting, or {@code defaultValue} when nothing matches or on any problem. */
  public String getString(String feature, Context context, String defaultValue) {
    SettingValue v = lookup(feature, context);
    if (v instanceof SettingValue.StringValue s) {
      return s.value();
    }
    return fallback(feature, v, SettingType.STRING, defaultValue);
  }

  /** A long setting, or {@code defaultValue} when nothing matches or on any problem. */
  public long getLong(String feature, Context context, long defaultValue) {
    SettingValue v = lookup(feature, context);
    if (v instanceof SettingValue.LongValue l) {
      return l.value();
    }
    wrongType(feature, v, SettingType.LONG);
    return defaultValue;
  }

  /** A decimal setting, or {@code defaultValue} when nothing matches or on any problem. */
  public BigDecimal getDecimal(String feature, Context context, BigDecimal defaultValue) {
    SettingValue v = lookup(feature, context);
    if (v instanceof SettingValue.DecimalValue d) {
      return d.value();
    }
    return fallback(feature, v, SettingType.DECIMAL, defaultValue);
  }

  /** A JSON setting's text, or {@code defaultValue} when nothing matches or on any problem. */
  public String getJson(String feature, Context context, String defaultValue) {
    SettingValue v = lookup(feature, context);
    if (v instanceof SettingValue.JsonValue j) {
      return j.json();
    }
    return fallback(feature, v, SettingType.JSON, defaultValue);
  }

  /** The resolved value of any type, empty when nothing matches or on any problem. */
  public Optional<SettingValue> find(String feature, Context context) {
    return Optional.ofNullable(lookup(feature, context));
  }

  private boolean bool(String feature, @Nullable SettingValue v, boolean defaultValue) {
    if (v instanceof SettingValue.BooleanValue b) {
      return b.value();
    }
    wrongType(feature, v, SettingType.BOOLEAN);
    return defaultValue;
  }

  private <T> T fallback(String feature, @Nullable SettingValue v, SettingType asked, T dflt) {
    wrongType(feature, v, asked);
    return dflt;
  }

  private void wrongType(String feature, @Nullable SettingValue v, SettingType asked) {
    if (v != null) {
      warnings.once(
          "type:" + feature + ":" + asked,
          "toggles: feature '{}' is {} but was asked for as {}; answering the caller's default",
          feature,
          v.type(),
          asked);
    }
  }

  private @Nullable SettingValue lookup(@Nullable String feature, @Nullable Context context) {
    if (feature == null || context == null) {
      warnings.once(
          "null", "toggles: a check passed a null feature or context; answering defaults");
      return null;
    }
    FeatureIndex idx = cache.getIfPresent(feature);
    if (idx == null) {
      idx = loadOnMiss(feature);
      if (idx == null) {
        return null;
      }
    }
    if (context.hierarchy != hierarchy && !context.hierarchy.equals(hierarchy)) {
      warnings.once(
          "hierarchy:" + context.hierarchy,
          "toggles: a context of {} was used with a store of {}; answering defaults",
          context.hierarchy.dimensions(),
          hierarchy.dimensions());
      return null;
    }
    return idx.resolve(context);
  }

  private @Nullable SettingValue raw(
      @Nullable String feature,
      int count,
      @Nullable String a,
      @Nullable String b,
      @Nullable String c) {
    if (feature == null) {
      warnings.once(
          "null", "toggles: a check passed a null feature or context; answering defaults");
      return null;
    }
    FeatureIndex idx = cache.getIfPresent(feature);
    if (idx == null) {
      idx = loadOnMiss(feature);
      if (idx == null) {
        return null;
      }
    }
    if (count != idx.dims) {
      warnings.once(
          "arity:" + count,
          "toggles: a check passed {} scope values but the hierarchy {} has {}; answering defaults",
          count,
          hierarchy.dimensions(),
          idx.dims);
      return null;
    }
    return idx.resolve(a, b, c);
  }

  // ---------------------------------------------------------------- strict

  /**
   * The resolved value of any type.
   *
   * @throws SettingNotFoundException if no row matches and the feature declares no default (or is
   *     killed with no kill value)
   * @throws StoreException if the feature is not cached and the store cannot be read in time
   * @throws IllegalArgumentException if the key is malformed or the context of another hierarchy
   */
  public SettingValue require(String feature, Context context) {
    FeatureDefinition.requireValidKey(feature);
    if (!context.hierarchy.equals(hierarchy)) {
      throw new IllegalArgumentException(
          "context has dimensions "
              + context.hierarchy.dimensions()
              + " but the store has "
              + hierarchy.dimensions());
    }
    FeatureIndex idx = cache.getIfPresent(feature);
    if (idx == null) {
      idx = loadOnMiss(feature);
      if (idx == null) {
        throw new StoreException(
            "feature '" + feature + "' is not loaded and the store did not answer in time");
      }
    }
    SettingValue v = idx.resolve(context);
    if (v == null) {
      throw new SettingNotFoundException(feature, context.toString());
    }
    return v;
  }

  /**
   * A boolean setting.
   *
   * @throws WrongTypeException if the feature is not boolean
   * @throws SettingNotFoundException as {@link #require}
   */
  public boolean requireBoolean(String feature, Context context) {
    return ((SettingValue.BooleanValue) require(feature, context, SettingType.BOOLEAN)).value();
  }

  /**
   * A string setting.
   *
   * @throws WrongTypeException if the feature is not a string
   * @throws SettingNotFoundException as {@link #require}
   */
  public String requireString(String feature, Context context) {
    return ((SettingValue.StringValue) require(feature, context, SettingType.STRING)).value();
  }

  /**
   * A long setting.
   *
   * @throws WrongTypeException if the feature is not a long
   * @throws SettingNotFoundException as {@link #require}
   */
  public long requireLong(String feature, Context context) {
    return ((SettingValue.LongValue) require(feature, context, SettingType.LONG)).value();
  }

  /**
   * A decimal setting.
   *
   * @throws WrongTypeException if the feature is not a decimal
   * @throws SettingNotFoundException as {@link #require}
   */
  public BigDecimal requireDecimal(String feature, Context context) {
    return ((SettingValue.DecimalValue) require(feature, context, SettingType.DECIMAL)).value();
  }

  /**
   * A JSON setting's text.
   *
   * @throws WrongTypeException if the feature is not JSON
   * @throws SettingNotFoundException as {@link #require}
   */
  public String requireJson(String feature, Context context) {
    return ((SettingValue.JsonValue) require(feature, context, SettingType.JSON)).json();
  }

  private SettingValue require(String feature, Context context, SettingType type) {
    SettingValue v = require(feature, context);
    if (v.type() != type) {
      throw new WrongTypeException(feature, type, v.type());
    }
    return v;
  }

  /**
   * Why the feature resolves as it does for the context.
   *
   * @throws StoreException if the feature is not cached and the store cannot be read in time
   * @throws IllegalArgumentException if the key is malformed or the context of another hierarchy
   */
  public Explanation explain(String feature, Context context) {
    FeatureDefinition.requireValidKey(feature);
    if (!context.hierarchy.equals(hierarchy)) {
      throw new IllegalArgumentException(
          "context has dimensions "
              + context.hierarchy.dimensions()
              + " but the store has "
              + hierarchy.dimensions());
    }
    FeatureIndex idx = cache.getIfPresent(feature);
    if (idx == null) {
      idx = loadOnMiss(feature);
      if (idx == null) {
        throw new StoreException(
            "feature '" + feature + "' is not loaded and the store did not answer in time");
      }
    }
    return idx.explain(context, hierarchy, maxExcluded);
  }

  /** The cached state of a feature, if it is cached; never touches the store. */
  public Optional<FeatureState> cached(String feature) {
    FeatureIndex idx = cache.getIfPresent(feature);
    return idx == null ? Optional.empty() : Optional.of(idx.state(hierarchy));
  }

  /** The store revision the cache has caught up with; -1 before the first successful sync. */
  public long revision() {
    return revision;
  }

  // ---------------------------------------------------------------- loading and sync

  private @Nullable FeatureIndex loadOnMiss(String feature) {
    try {
      FeatureDefinition.requireValidKey(feature);
    } catch (IllegalArgumentException e) {
      warnings.once("key:" + feature, "toggles: {}; answering defaults", e.getMessage());
      return null;
    }
    CompletableFuture<FeatureIndex> f = loading.get(feature);
    if (f == null) {
      // Not computeIfAbsent: a load that completes at once (or on the calling thread) must still
      // be able to remove its own entry, or a failed load would stick until the feature changes.
      CompletableFuture<FeatureIndex> mine = new CompletableFuture<>();
      f = loading.putIfAbsent(feature, mine);
      if (f == null) {
        f = mine;
        try {
          executor.execute(() -> load(feature, mine));
        } catch (RejectedExecutionException e) { // closed: answer defaults, never throw
          loading.remove(feature, mine);
          mine.completeExceptionally(e);
        }
      }
    }
    try {
      return f.get(missWaitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      warnings.once(
          "slow:" + feature,
          "toggles: loading '{}' takes longer than the miss wait; answering defaults meanwhile",
          feature);
      return null;
    } catch (ExecutionException e) {
      warnings.once(
          "load:" + feature,
          "toggles: cannot load '{}', answering defaults: {}",
          feature,
          String.valueOf(e.getCause()));
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void load(String feature, CompletableFuture<FeatureIndex> future) {
    try {
      FeatureIndex idx = install(index(store.load(feature)));
      loading.remove(feature, future);
      future.complete(idx);
    } catch (Throwable e) {
      loading.remove(feature, future);
      future.completeExceptionally(e);
    }
  }

  private FeatureIndex index(FeatureState state) {
    return FeatureIndex.of(state, hierarchy.size());
  }

  /** Caches an index unless a newer one is cached: versions only move forward. */
  private FeatureIndex install(FeatureIndex idx) {
    FeatureIndex kept =
        cache
            .asMap()
            .merge(idx.feature, idx, (old, neu) -> neu.revision >= old.revision ? neu : old);
    warnings.forget("load:" + idx.feature);
    if (kept == idx && idx.revision < revision) {
      // A change to this feature may have been synced while this load was running: load again.
      executor.execute(() -> reloadQuietly(idx.feature));
    }
    return kept;
  }

  private void reloadQuietly(String feature) {
    try {
      install(index(store.load(feature)));
    } catch (RuntimeException e) {
      warnings.once("load:" + feature, "toggles: cannot reload '{}': {}", feature, e.toString());
    }
  }

  /**
   * Catches up with the store now: reads its revision and, if it moved, reloads the features that
   * changed (all of them if the change log no longer reaches back). Background sync calls this on
   * its interval; tests and tools may call it directly.
   *
   * @throws StoreException if the store cannot be read; the cache keeps its values
   */
  public void sync() {
    synchronized (syncLock) {
      long seen = revision;
      long now = store.revision();
      if (seen < 0) {
        reloadAll();
        return;
      }
      while (now > seen) {
        Optional<List<Change>> batch = store.changesSince(seen, CHANGE_BATCH);
        if (batch.isEmpty() || batch.get().isEmpty() || batch.get().get(0).revision() != seen + 1) {
          LOG.info("toggles: change log does not reach back to revision {}, reloading all", seen);
          reloadAll();
          return;
        }
        Set<String> changed = new HashSet<>();
        for (Change c : batch.get()) {
          changed.add(c.feature());
          seen = c.revision();
        }
        for (String feature : changed) {
          if (cache.getIfPresent(feature) != null || loading.containsKey(feature)) {
            install(index(store.load(feature)));
          }
        }
        revision = seen;
      }
    }
  }

  private void reloadAll() {
    synchronized (syncLock) {
      long now = store.revision();
      Set<String> present = new HashSet<>();
      for (FeatureState s : store.loadAll()) {
        install(index(s));
        present.add(s.key());
      }
      for (String k : Set.copyOf(cache.asMap().keySet())) {
        if (!present.contains(k)) {
          install(index(store.load(k)));
        }
      }
      revision = now;
    }
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      warnings.once("sync", "toggles: sync failed, serving cached values: {}", e.toString());
      return;
    }
    warnings.forget("sync");
  }

  /** Stops background sync and, if the toggles own it, their executor. Does not close the store. */
  @Override
  public void close() {
    if (syncTask != null) {
      syncTask.cancel(false);
    }
    if (ownsExecutor) {
      executor.shutdownNow();
    }
  }

  /** Configures {@link Toggles}. Not thread-safe. */
  public static final class Builder {
    private final ToggleStore store;
    private boolean preload = true;
    private Duration syncInterval = Duration.ofSeconds(1);
    private Duration missWait = Duration.ofMillis(50);
    private int maxExcluded = 50;
    private @Nullable ScheduledExecutorService executor;

    private Builder(ToggleStore store) {
      if (store == null) {
        throw new NullPointerException("store");
      }
      this.store = store;
    }

    /**
     * Whether to load every feature when built (default) or each on its first check. A failed
     * preload does not fail {@link #build()}.
     */
    public Builder preload(boolean preload) {
      this.preload = preload;
      return this;
    }

    /**
     * How often to follow the store's change log; default 1 second. {@link Duration#ZERO} turns
     * background sync off (then call {@link Toggles#sync()}).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder syncInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("sync interval is negative: " + interval);
      }
      this.syncInterval = interval;
      return this;
    }

    /**
     * How long a check of a feature that is not cached waits for its load before answering the
     * default; default 50 ms. The load goes on in the background.
     *
     * @throws IllegalArgumentException if negative or over 10 seconds
     */
    public Builder missWait(Duration wait) {
      if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("miss wait must be 0 to 10 seconds: " + wait);
      }
      this.missWait = wait;
      return this;
    }

    /**
     * How many excluded rows an {@link Explanation} lists; default 50.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxExplainedExclusions(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("max explained exclusions is negative: " + max);
      }
      this.maxExcluded = max;
      return this;
    }

    /**
     * Runs background sync and loads on this executor instead of two daemon threads of their own;
     * the toggles do not shut it down. Tests pass a scheduler they drive.
     */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = executor;
      return this;
    }

    /** The toggles. Never throws because the store is down. */
    public Toggles build() {
      return new Toggles(this);
    }
  }
}
