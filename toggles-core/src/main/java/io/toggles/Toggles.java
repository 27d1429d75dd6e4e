package io.toggles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.toggles.spi.ToggleStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
  // Keys are FeatureIndex.feature, which is String.intern()ed, so a check naming a feature by a
  // string literal (which the JVM interns too) finds it by reference without comparing characters.
  private final Cache<String, FeatureIndex> cache = Caffeine.newBuilder().build();
  // Feature key to its current index. Read by checks through the map view, one hop shorter than
  // the Cache facade; written only by install().
  private final ConcurrentMap<String, FeatureIndex> indexes = cache.asMap();
  // Handles given out by feature(key); install() keeps each one's index up to date.
  private final ConcurrentHashMap<String, Feature> handles = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<FeatureIndex>> loading =
      new ConcurrentHashMap<>();
  private final Set<String> reloadFeatures = ConcurrentHashMap.newKeySet();
  private final Set<String> slowLoads = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService loader;
  private final boolean ownsExecutors;
  private final long missWaitNanos;
  private final int maxExcluded;
  private final boolean preload;
  private final Duration staleAfter;
  private final InstantSource clock;
  private final @Nullable Path snapshotFile;
  private final Warnings warnings = new Warnings(LOG);
  private final Object syncLock = new Object();
  private final AtomicBoolean syncRequested = new AtomicBoolean();
  private final @Nullable ScheduledFuture<?> syncTask;
  private final ToggleStore.Subscription subscription;
  private volatile long revision = -1;
  private volatile @Nullable Instant lastSync;
  private volatile @Nullable String lastError;
  private volatile boolean fromSnapshot;

  private Toggles(Builder b) {
    this.store = b.store;
    this.hierarchy = store.hierarchy();
    this.missWaitNanos = b.missWait.toNanos();
    this.maxExcluded = b.maxExcluded;
    this.preload = b.preload;
    this.clock = b.clock;
    this.snapshotFile = b.snapshotFile;
    Duration interval = b.syncInterval;
    this.staleAfter =
        b.staleAfter != null ? b.staleAfter : max(interval.multipliedBy(3), Duration.ofSeconds(5));
    this.ownsExecutors = b.executor == null;
    this.scheduler = b.executor != null ? b.executor : newScheduler();
    this.loader = b.executor != null ? b.executor : newLoader();
    if (b.preload) {
      start(b.startWait);
    }
    this.syncTask =
        interval.isZero()
            ? null
            : scheduler.scheduleWithFixedDelay(
                this::syncQuietly, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    this.subscription = store.subscribe(this::requestSync);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static ScheduledExecutorService newScheduler() {
    return Executors.newSingleThreadScheduledExecutor(daemon("toggles-sync"));
  }

  private static ExecutorService newLoader() {
    return Executors.newFixedThreadPool(2, daemon("toggles-load"));
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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
    return bool(feature, lookup(feature, cachedIndex(feature), context), false);
  }

  /** {@link #isEnabled(String, Context)} for a one-dimension hierarchy's value. Never throws. */
  public boolean isEnabled(String feature, @Nullable String value0) {
    return bool(feature, raw(feature, cachedIndex(feature), 1, value0, null, null), false);
  }

  /** {@link #isEnabled(String, Context)} for a two-dimension hierarchy's values. Never throws. */
  public boolean isEnabled(String feature, @Nullable String value0, @Nullable String value1) {
    return bool(feature, raw(feature, cachedIndex(feature), 2, value0, value1, null), false);
  }

  /**
   * {@link #isEnabled(String, Context)} for a three-dimension hierarchy's values in hierarchy order
   * (by default product, merchant, country), {@code null} for absent. Allocates nothing. Never
   * throws.
   */
  public boolean isEnabled(
      String feature, @Nullable String value0, @Nullable String value1, @Nullable String value2) {
    return bool(feature, raw(feature, cachedIndex(feature), 3, value0, value1, value2), false);
  }

  /** A boolean setting, or {@code defaultValue} when nothing matches or on any problem. */
  public boolean getBoolean(String feature, Context context, boolean defaultValue) {
    return bool(feature, lookup(feature, cachedIndex(feature), context), defaultValue);
  }

  /** A string setting, or {@code defaultValue} when nothing matches or on any problem. */
  public String getString(String feature, Context context, String defaultValue) {
    return string(feature, lookup(feature, cachedIndex(feature), context), defaultValue);
  }

  /** A long setting, or {@code defaultValue} when nothing matches or on any problem. */
  public long getLong(String feature, Context context, long defaultValue) {
    return longValue(feature, lookup(feature, cachedIndex(feature), context), defaultValue);
  }

  /** A decimal setting, or {@code defaultValue} when nothing matches or on any problem. */
  public BigDecimal getDecimal(String feature, Context context, BigDecimal defaultValue) {
    return decimal(feature, lookup(feature, cachedIndex(feature), context), defaultValue);
  }

  /** A JSON setting's text, or {@code defaultValue} when nothing matches or on any problem. */
  public String getJson(String feature, Context context, String defaultValue) {
    return json(feature, lookup(feature, cachedIndex(feature), context), defaultValue);
  }

  /** The resolved value of any type, empty when nothing matches or on any problem. */
  public Optional<SettingValue> find(String feature, Context context) {
    return Optional.ofNullable(lookup(feature, cachedIndex(feature), context));
  }

  /**
   * A handle on one feature: checks through it skip the lookup by name. Keep it in a field; it
   * follows every change. Starts loading the feature if it is not loaded, without waiting.
   *
   * @throws IllegalArgumentException if the key is malformed
   */
  public Feature feature(String key) {
    FeatureDefinition.requireValidKey(key);
    Feature f = handles.computeIfAbsent(key, k -> new Feature(this, k));
    // Registered before reading the cache, so that an install racing with this either sees the
    // handle or installed what is read here.
    FeatureIndex idx = indexes.get(key);
    if (idx != null) {
      f.offer(idx);
    } else {
      startLoad(key);
    }
    return f;
  }

  boolean bool(String feature, @Nullable SettingValue v, boolean defaultValue) {
    // BooleanValue is an enum: comparing references decides without reading the value.
    if (v == SettingValue.BooleanValue.TRUE) {
      return true;
    }
    if (v == SettingValue.BooleanValue.FALSE) {
      return false;
    }
    return notBoolean(feature, v, defaultValue);
  }

  private boolean notBoolean(String feature, @Nullable SettingValue v, boolean defaultValue) {
    wrongType(feature, v, SettingType.BOOLEAN);
    return defaultValue;
  }

  String string(String feature, @Nullable SettingValue v, String defaultValue) {
    if (v instanceof SettingValue.StringValue s) {
      return s.value();
    }
    wrongType(feature, v, SettingType.STRING);
    return defaultValue;
  }

  long longValue(String feature, @Nullable SettingValue v, long defaultValue) {
    if (v instanceof SettingValue.LongValue l) {
      return l.value();
    }
    wrongType(feature, v, SettingType.LONG);
    return defaultValue;
  }

  BigDecimal decimal(String feature, @Nullable SettingValue v, BigDecimal defaultValue) {
    if (v instanceof SettingValue.DecimalValue d) {
      return d.value();
    }
    wrongType(feature, v, SettingType.DECIMAL);
    return defaultValue;
  }

  String json(String feature, @Nullable SettingValue v, String defaultValue) {
    if (v instanceof SettingValue.JsonValue j) {
      return j.json();
    }
    wrongType(feature, v, SettingType.JSON);
    return defaultValue;
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

  /** The cached index of a feature, or null; a plain map read. */
  private @Nullable FeatureIndex cachedIndex(@Nullable String feature) {
    if (feature == null) {
      return null;
    }
    return indexes.get(feature);
  }

  @Nullable SettingValue lookup(
      @Nullable String feature, @Nullable FeatureIndex idx, @Nullable Context context) {
    if (idx != null && context != null && context.hierarchy == hierarchy) {
      return idx.resolve(context);
    }
    return lookupSlow(feature, idx, context);
  }

  private @Nullable SettingValue lookupSlow(
      @Nullable String feature, @Nullable FeatureIndex idx, @Nullable Context context) {
    if (feature == null || context == null) {
      warnings.once(
          "null", "toggles: a check passed a null feature or context; answering defaults");
      return null;
    }
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

  @Nullable SettingValue raw(
      @Nullable String feature,
      @Nullable FeatureIndex idx,
      int count,
      @Nullable String a,
      @Nullable String b,
      @Nullable String c) {
    if (idx != null && count == idx.dims) {
      return idx.resolve(a, b, c);
    }
    return rawSlow(feature, idx, count, a, b, c);
  }

  private @Nullable SettingValue rawSlow(
      @Nullable String feature,
      @Nullable FeatureIndex idx,
      int count,
      @Nullable String a,
      @Nullable String b,
      @Nullable String c) {
    if (feature == null) {
      warnings.once(
          "null", "toggles: a check passed a null feature or context; answering defaults");
      return null;
    }
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
    SettingValue v = strictIndex(feature, context).resolve(context);
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
    return Explainer.explain(strictIndex(feature, context), context, hierarchy, maxExcluded);
  }

  /** The strict API's way to the index: bad input and an unreadable store throw. */
  private FeatureIndex strictIndex(String feature, Context context) {
    FeatureDefinition.requireValidKey(feature);
    if (!context.hierarchy.equals(hierarchy)) {
      throw new IllegalArgumentException(
          "context has dimensions "
              + context.hierarchy.dimensions()
              + " but the store has "
              + hierarchy.dimensions());
    }
    FeatureIndex idx = cachedIndex(feature);
    if (idx == null) {
      idx = loadOnMiss(feature);
      if (idx == null) {
        throw new StoreException(
            "feature '" + feature + "' is not loaded and the store did not answer in time");
      }
    }
    return idx;
  }

  /** The cached state of a feature, if it is cached; never touches the store. */
  public Optional<FeatureState> cached(String feature) {
    FeatureIndex idx = cachedIndex(feature);
    return idx == null ? Optional.empty() : Optional.of(idx.state(hierarchy));
  }

  /** The store revision the cache has caught up with; -1 before the first successful sync. */
  public long revision() {
    return revision;
  }

  // ---------------------------------------------------------------- health

  /** How current the cached values are. Cheap; never touches the store. */
  public Health health() {
    Instant last = lastSync;
    String error = lastError;
    Duration staleness = last == null ? Duration.ZERO : Duration.between(last, clock.instant());
    if (staleness.isNegative()) {
      staleness = Duration.ZERO;
    }
    Health.Status status;
    if (last == null) {
      status = fromSnapshot ? Health.Status.STALE : Health.Status.ERROR;
    } else if (error != null || staleness.compareTo(staleAfter) > 0) {
      status = Health.Status.STALE;
    } else {
      status = Health.Status.READY;
    }
    return new Health(
        status,
        revision,
        Optional.ofNullable(last),
        staleness,
        Optional.ofNullable(error),
        fromSnapshot && last == null);
  }

  // ---------------------------------------------------------------- loading and sync

  private @Nullable FeatureIndex loadOnMiss(String feature) {
    try {
      FeatureDefinition.requireValidKey(feature);
    } catch (IllegalArgumentException e) {
      warnings.once("key:" + feature, "toggles: {}; answering defaults", e.getMessage());
      return null;
    }
    CompletableFuture<FeatureIndex> f = startLoad(feature);
    // While the store is failing, do not make callers wait on it: answer now, load behind.
    // Nor on a load another caller already found slow: only the first waits, the rest answer now.
    long wait = lastError == null && !slowLoads.contains(feature) ? missWaitNanos : 0;
    try {
      return wait == 0 ? f.getNow(null) : f.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      slowLoads.add(feature);
      warnings.once(
          "slow:" + feature,
          "toggles: loading '{}' takes longer than the miss wait; answering defaults meanwhile",
          feature);
      return null;
    } catch (ExecutionException | CompletionException e) {
      warnings.once(
          "load:" + feature,
          "toggles: cannot load '{}', answering defaults: {}",
          feature,
          String.valueOf(e.getCause()));
      return null;
    } catch (CancellationException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The load of a feature in flight, started if there is none. */
  private CompletableFuture<FeatureIndex> startLoad(String feature) {
    CompletableFuture<FeatureIndex> f = loading.get(feature);
    if (f == null) {
      // Not computeIfAbsent: a load that completes at once (or on the calling thread) must still
      // be able to remove its own entry, or a failed load would stick until the feature changes.
      CompletableFuture<FeatureIndex> mine = new CompletableFuture<>();
      f = loading.putIfAbsent(feature, mine);
      if (f == null) {
        f = mine;
        try {
          loader.execute(() -> load(feature, mine));
        } catch (RejectedExecutionException e) { // closed: answer defaults, never throw
          loading.remove(feature, mine);
          mine.completeExceptionally(e);
        }
      }
    }
    return f;
  }

  private void load(String feature, CompletableFuture<FeatureIndex> future) {
    try {
      FeatureIndex idx = installLoaded(index(store.load(feature)));
      loading.remove(feature, future);
      slowLoads.remove(feature);
      future.complete(idx);
    } catch (Throwable e) {
      loading.remove(feature, future);
      slowLoads.remove(feature);
      future.completeExceptionally(e);
    }
  }

  private FeatureIndex index(FeatureState state) {
    if (state.definition().isEmpty() && !state.rows().isEmpty()) {
      warnings.once(
          "undeclared:" + state.key(),
          "toggles: feature '{}' has {} rows but is not declared; declare it (define) so that"
              + " tools can check its values",
          state.key(),
          state.rows().size());
    }
    return FeatureIndex.of(state, hierarchy.size());
  }

  /**
   * Caches an index unless a newer one is cached, and hands the kept one to the feature's handle:
   * versions only move forward. The only way entries enter the cache.
   */
  private FeatureIndex install(FeatureIndex idx) {
    FeatureIndex kept = indexes.merge(idx.feature, idx, Toggles::newer);
    Feature f = handles.get(idx.feature);
    if (f != null) {
      f.offer(kept);
    }
    return kept;
  }

  private static FeatureIndex newer(FeatureIndex cached, FeatureIndex next) {
    return cached.revision > next.revision ? cached : next;
  }

  /** Every feature cached or asked for through a handle. */
  private Set<String> knownFeatures() {
    Set<String> keys = new HashSet<>(indexes.keySet());
    keys.addAll(handles.keySet());
    return keys;
  }

  /** Installs a load made outside sync, which a concurrent sync may have overtaken. */
  private FeatureIndex installLoaded(FeatureIndex idx) {
    FeatureIndex kept = install(idx);
    if (kept == idx && idx.revision < revision) {
      // Sync may have skipped a change to this feature while it was loading: load it again.
      reloadFeatures.add(idx.feature);
      requestSync();
    }
    return kept;
  }

  /**
   * Catches up with the store now: one read of its revision and, if it moved, one read of the
   * changes since, applied to the cached features they touch (a full reload if the change log no
   * longer reaches back). Background sync calls this on its interval and on store notifications;
   * tests and tools may call it directly.
   *
   * @throws StoreException if the store cannot be read; the cache keeps its values
   */
  public void sync() {
    synchronized (syncLock) {
      try {
        boolean changed = doSync();
        lastSync = clock.instant();
        if (lastError != null) {
          LOG.info("toggles: store reachable again, caught up to revision {}", revision);
        }
        lastError = null;
        if (changed) {
          writeSnapshot();
        }
      } catch (RuntimeException e) {
        if (lastError == null) {
          LOG.warn(
              "toggles: cannot sync with the store, serving the last known values: {}",
              e.toString());
        }
        lastError = e.toString();
        throw e;
      }
    }
  }

  private boolean doSync() {
    if (revision < 0) {
      if (preload) {
        reloadAll();
      } else {
        long now = store.revision();
        for (String k : knownFeatures()) {
          install(index(store.load(k)));
        }
        revision = now;
      }
      return true;
    }
    boolean changed = false;
    for (String f : drain(reloadFeatures)) {
      install(index(store.load(f)));
      changed = true;
    }
    long seen = revision;
    long now = store.revision();
    while (now > seen) {
      Optional<List<Change>> batch = store.changesSince(seen, CHANGE_BATCH);
      if (batch.isEmpty() || batch.get().isEmpty() || batch.get().get(0).revision() != seen + 1) {
        LOG.info("toggles: change log does not continue from revision {}, reloading all", seen);
        reloadAll();
        return true;
      }
      Map<String, List<Change>> byFeature = new LinkedHashMap<>();
      for (Change c : batch.get()) {
        byFeature.computeIfAbsent(c.feature(), k -> new ArrayList<>()).add(c);
      }
      long before = revision;
      seen = batch.get().get(batch.get().size() - 1).revision();
      // Publish the revision first: a load racing with this batch then sees it is behind.
      revision = seen;
      try {
        for (Map.Entry<String, List<Change>> e : byFeature.entrySet()) {
          FeatureIndex idx = cachedIndex(e.getKey());
          if (idx == null) {
            continue; // not cached: the next check loads it fresh
          }
          FeatureIndex next = idx.apply(e.getValue(), hierarchy, seen);
          install(next != null ? next : index(store.load(e.getKey())));
        }
      } catch (RuntimeException e) {
        revision = before; // retry the batch next time; applying twice is harmless
        throw e;
      }
      changed = true;
    }
    return changed;
  }

  private static Set<String> drain(Set<String> set) {
    Set<String> out = new HashSet<>();
    for (String s : set) {
      if (set.remove(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private void reloadAll() {
    long now = store.revision();
    Set<String> present = new HashSet<>();
    for (FeatureState s : store.loadAll()) {
      install(index(s));
      present.add(s.key());
    }
    for (String k : knownFeatures()) {
      if (!present.contains(k)) {
        install(index(store.load(k)));
      }
    }
    revision = now;
    fromSnapshot = false;
  }

  private void writeSnapshot() {
    if (snapshotFile == null) {
      return;
    }
    List<FeatureState> states = new ArrayList<>();
    for (FeatureIndex idx : indexes.values()) {
      states.add(idx.state(hierarchy));
    }
    try {
      SnapshotFile.write(snapshotFile, hierarchy, revision, states);
    } catch (IOException | RuntimeException e) {
      warnings.once(
          "snapshot-write", "toggles: cannot write snapshot {}: {}", snapshotFile, e.toString());
    }
  }

  private void readSnapshot() {
    if (snapshotFile == null || !Files.exists(snapshotFile)) {
      return;
    }
    try {
      SnapshotFile.Contents c = SnapshotFile.read(snapshotFile, hierarchy);
      for (FeatureState s : c.features()) {
        install(index(s));
      }
      fromSnapshot = true;
      LOG.warn(
          "toggles: store unavailable at start, serving {} features from snapshot {} (revision {})",
          c.features().size(),
          snapshotFile,
          c.revision());
    } catch (IOException | RuntimeException e) {
      LOG.error("toggles: ignoring unreadable snapshot {}: {}", snapshotFile, e.toString());
    }
  }

  private void requestSync() {
    if (syncRequested.compareAndSet(false, true)) {
      try {
        scheduler.execute(
            () -> {
              syncRequested.set(false);
              syncQuietly();
            });
      } catch (RejectedExecutionException e) {
        syncRequested.set(false); // closed
      }
    }
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      // logged once by sync(); health reports it
    }
  }

  private void start(Duration startWait) {
    CompletableFuture<Void> first = CompletableFuture.runAsync(this::syncQuietly, loader);
    try {
      first.get(startWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      LOG.warn(
          "toggles: store did not answer within {}; going on, loading in the background",
          startWait);
    } catch (ExecutionException e) {
      // syncQuietly does not throw
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lastSync == null) {
      readSnapshot();
    }
  }

  /**
   * Stops background sync and notifications and, if the toggles own them, their threads. Does not
   * close the store.
   */
  @Override
  public void close() {
    subscription.close();
    if (syncTask != null) {
      syncTask.cancel(false);
    }
    if (ownsExecutors) {
      scheduler.shutdownNow();
      loader.shutdownNow();
    }
  }

  /** Configures {@link Toggles}. Not thread-safe. */
  public static final class Builder {
    private final ToggleStore store;
    private boolean preload = true;
    private Duration syncInterval = Duration.ofSeconds(1);
    private Duration missWait = Duration.ofMillis(25);
    private Duration startWait = Duration.ofSeconds(3);
    private @Nullable Duration staleAfter;
    private int maxExcluded = 50;
    private @Nullable ScheduledExecutorService executor;
    private @Nullable Path snapshotFile;
    private InstantSource clock = InstantSource.system();

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
     * How often to poll the store's revision; default 1 second. Each poll is one cheap read; only a
     * moved revision reads the changes. {@link Duration#ZERO} turns background sync off (then call
     * {@link Toggles#sync()}).
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
     * default; default 25 ms. The load goes on in the background. While the store is failing, such
     * checks do not wait at all.
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
     * The longest {@link #build()} waits for the first load; default 3 seconds. If the store has
     * not answered by then, build returns anyway (serving the snapshot file, if any, else defaults)
     * and keeps loading in the background.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder startWait(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("start wait is negative: " + wait);
      }
      this.startWait = wait;
      return this;
    }

    /**
     * After how long without a successful sync {@link Toggles#health()} says STALE; default three
     * sync intervals, at least 5 seconds.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder staleAfter(Duration staleAfter) {
      if (staleAfter.isNegative() || staleAfter.isZero()) {
        throw new IllegalArgumentException("stale threshold must be positive: " + staleAfter);
      }
      this.staleAfter = staleAfter;
      return this;
    }

    /**
     * Keeps a last-known-good snapshot in this file: written atomically after each sync that
     * changed something, read when the store is unavailable at start. Off by default.
     */
    public Builder snapshotFile(Path file) {
      this.snapshotFile = file;
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
     * Runs background sync and loads on this executor instead of threads of their own; the toggles
     * do not shut it down.
     */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = executor;
      return this;
    }

    /** The clock for health (staleness, last sync); the system clock by default. */
    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /**
     * The toggles. Waits at most the start wait for the first load; never throws because the store
     * is down.
     */
    public Toggles build() {
      return new Toggles(this);
    }
  }
}
