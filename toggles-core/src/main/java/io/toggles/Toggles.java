package io.toggles;

import io.toggles.spi.ToggleStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers toggle checks from an in-memory copy of the store, and keeps the copy current by
 * following the store's change log.
 *
 * <p>Two styles of lookup:
 *
 * <ul>
 *   <li>{@code isEnabled} and {@code get...(feature, context, default)} never throw: on any problem
 *       (unknown feature, wrong type, store down and nothing loaded) they return the caller's
 *       default and log the problem once. Use them on hot paths.
 *   <li>{@code require...} throw {@link SettingNotFoundException} when no row matches and the
 *       feature declares no default, {@link UnknownFeatureException} for a feature the store does
 *       not declare, and {@link WrongTypeException} for the wrong type.
 * </ul>
 *
 * <p>Resolution order: the kill switch, then the most specific matching row, then the feature's
 * declared default, then (lenient style) the caller's default. A check on a loaded feature takes no
 * lock, does no I/O and allocates nothing; a name the store does not declare costs no store call
 * either, once the node has heard from the store.
 *
 * <p>The node holds one whole state of the store at a time and replaces it with one write, so a
 * check never sees part of a write, across features too. If the store's history changes under it (a
 * restore, a failover, another store) it reloads everything; {@link #health()} says so. Listen with
 * {@link #subscribe(TogglesListener)}; wait for a revision with {@link #awaitRevision}.
 * Thread-safe; close it to stop background work.
 */
public final class Toggles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Toggles.class);

  private final Hierarchy hierarchy;
  private final Lookup lookup;
  private final FeatureIds ids = new FeatureIds();
  private final ConcurrentHashMap<String, Feature> handles = new ConcurrentHashMap<>();
  private final Warnings warnings = new Warnings(LOG);
  private final HealthTracker healthTracker;
  private final Tallies tallies;
  private final MissLoads misses;
  private final Notifier notifier;
  private final SyncEngine engine;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsExecutor;
  private static final long MAX_RETRY_MILLIS = 5_000;
  private final AtomicBoolean syncRequested = new AtomicBoolean();
  private final AtomicLong retryMillis = new AtomicLong();
  private final @Nullable ScheduledFuture<?> syncTask;
  private final ToggleStore.Subscription subscription;

  private Toggles(Builder b) {
    ToggleStore store = b.store;
    this.hierarchy = store.hierarchy();
    Duration interval = b.syncInterval;
    Duration staleAfter =
        b.staleAfter != null ? b.staleAfter : max(interval.multipliedBy(3), Duration.ofSeconds(5));
    Duration errorAfter =
        b.errorAfter != null
            ? b.errorAfter
            : max(staleAfter.multipliedBy(4), Duration.ofMinutes(1));
    if (errorAfter.compareTo(staleAfter) <= 0) {
      throw new IllegalStateException(
          "error threshold " + errorAfter + " must be longer than stale threshold " + staleAfter);
    }
    this.healthTracker = new HealthTracker(b.ticker, b.clock, staleAfter, errorAfter);
    this.tallies = Tallies.of(b.trackUsage, b.countEvaluations);
    this.misses =
        new MissLoads(b.missWait.toNanos(), this::requestSync, healthTracker::failing, warnings);
    this.lookup = new Lookup(hierarchy, warnings, misses, b.maxExcluded);
    this.notifier = new Notifier(this::health, watchPeriod(staleAfter), warnings);
    this.engine =
        new SyncEngine(
            store,
            lookup,
            ids,
            misses,
            healthTracker,
            notifier,
            warnings,
            tallies,
            b.preload,
            b.pageSize,
            b.snapshotFile);
    this.ownsExecutor = b.executor == null;
    this.scheduler =
        b.executor != null
            ? b.executor
            : Executors.newSingleThreadScheduledExecutor(Threads.daemon("toggles-sync"));
    if (b.preload) {
      start(b.startWait); // without preload the first sync or check reads the catalog
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

  /** How often listeners' health is compared: often enough to hear STALE soon after it starts. */
  private static Duration watchPeriod(Duration staleAfter) {
    Duration quarter = staleAfter.dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(1)) > 0
        ? Duration.ofSeconds(1)
        : max(quarter, Duration.ofMillis(10));
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
    FeatureIndex idx = lookup.byName(feature);
    return lookup.bool(feature, idx, lookup.resolve(feature, idx, context), false);
  }

  /** {@link #isEnabled(String, Context)} for a one-dimension hierarchy's value. Never throws. */
  public boolean isEnabled(String feature, @Nullable String value0) {
    FeatureIndex idx = lookup.byName(feature);
    return lookup.bool(feature, idx, lookup.resolve(feature, idx, 1, value0, null, null), false);
  }

  /** {@link #isEnabled(String, Context)} for a two-dimension hierarchy's values. Never throws. */
  public boolean isEnabled(String feature, @Nullable String value0, @Nullable String value1) {
    FeatureIndex idx = lookup.byName(feature);
    return lookup.bool(feature, idx, lookup.resolve(feature, idx, 2, value0, value1, null), false);
  }

  /**
   * {@link #isEnabled(String, Context)} for a three-dimension hierarchy's values in hierarchy order
   * (by default product, merchant, country), {@code null} for absent. Allocates nothing. Never
   * throws.
   */
  public boolean isEnabled(
      String feature, @Nullable String value0, @Nullable String value1, @Nullable String value2) {
    FeatureIndex idx = lookup.byName(feature);
    return lookup.bool(
        feature, idx, lookup.resolve(feature, idx, 3, value0, value1, value2), false);
  }

  /** A boolean setting, or {@code defaultValue} when nothing matches or on any problem. */
  public boolean getBoolean(String feature, Context context, boolean defaultValue) {
    FeatureIndex idx = lookup.byName(feature);
    return lookup.bool(feature, idx, lookup.resolve(feature, idx, context), defaultValue);
  }

  /** A string setting, or {@code defaultValue} when nothing matches or on any problem. */
  public String getString(String feature, Context context, String defaultValue) {
    FeatureIndex idx = lookup.byName(feature);
    return lookup.string(feature, idx, lookup.resolve(feature, idx, context), defaultValue);
  }

  /** A long setting, or {@code defaultValue} when nothing matches or on any problem. */
  public long getLong(String feature, Context context, long defaultValue) {
    FeatureIndex idx = lookup.byName(feature);
    return lookup.longValue(feature, idx, lookup.resolve(feature, idx, context), defaultValue);
  }

  /** A decimal setting, or {@code defaultValue} when nothing matches or on any problem. */
  public BigDecimal getDecimal(String feature, Context context, BigDecimal defaultValue) {
    FeatureIndex idx = lookup.byName(feature);
    return lookup.decimal(feature, idx, lookup.resolve(feature, idx, context), defaultValue);
  }

  /** A JSON setting's text, or {@code defaultValue} when nothing matches or on any problem. */
  public String getJson(String feature, Context context, String defaultValue) {
    FeatureIndex idx = lookup.byName(feature);
    return lookup.json(feature, idx, lookup.resolve(feature, idx, context), defaultValue);
  }

  /** The resolved value of any type, empty when nothing matches or on any problem. */
  public Optional<SettingValue> find(String feature, Context context) {
    FeatureIndex idx = lookup.byName(feature);
    return Optional.ofNullable(lookup.any(idx, lookup.resolve(feature, idx, context)));
  }

  /**
   * A handle on one feature: checks through it skip the lookup by name. Keep it in a field; it
   * follows every change. Asks for the feature to be loaded if it is declared and not loaded,
   * without waiting.
   *
   * @throws IllegalArgumentException if the key is malformed
   */
  public Feature feature(String key) {
    FeatureDefinition.requireValidKey(key);
    Feature f = handles.get(key);
    if (f == null) {
      f = handles.computeIfAbsent(key, k -> new Feature(lookup, k, ids.of(k)));
    }
    Generation.Known known = lookup.current().known(key);
    if (known == Generation.Known.DECLARED || known == Generation.Known.UNKNOWN) {
      misses.request(key);
    }
    return f;
  }

  // ---------------------------------------------------------------- strict

  /**
   * The resolved value of any type.
   *
   * @throws SettingNotFoundException if no row matches and the feature declares no default (or is
   *     killed with no kill value)
   * @throws UnknownFeatureException if the store does not declare the feature (the message names
   *     the revision the node is at)
   * @throws StoreException if the feature is not loaded and the store cannot be read in time:
   *     before the store first answered, or on a node without preload loading it; never for a
   *     declared feature while {@link #health()} is {@code READY} on a node with preload
   * @throws IllegalArgumentException if the key is malformed or the context of another hierarchy
   */
  public SettingValue require(String feature, Context context) {
    return lookup.require(feature, context);
  }

  /**
   * A boolean setting.
   *
   * @throws WrongTypeException if the feature is not boolean
   * @throws SettingNotFoundException as {@link #require}, and its other exceptions
   */
  public boolean requireBoolean(String feature, Context context) {
    return ((SettingValue.BooleanValue) lookup.require(feature, context, SettingType.BOOLEAN))
        .value();
  }

  /**
   * A string setting.
   *
   * @throws WrongTypeException if the feature is not a string
   * @throws SettingNotFoundException as {@link #require}, and its other exceptions
   */
  public String requireString(String feature, Context context) {
    return ((SettingValue.StringValue) lookup.require(feature, context, SettingType.STRING))
        .value();
  }

  /**
   * A long setting.
   *
   * @throws WrongTypeException if the feature is not a long
   * @throws SettingNotFoundException as {@link #require}, and its other exceptions
   */
  public long requireLong(String feature, Context context) {
    return ((SettingValue.LongValue) lookup.require(feature, context, SettingType.LONG)).value();
  }

  /**
   * A decimal setting.
   *
   * @throws WrongTypeException if the feature is not a decimal
   * @throws SettingNotFoundException as {@link #require}, and its other exceptions
   */
  public BigDecimal requireDecimal(String feature, Context context) {
    return ((SettingValue.DecimalValue) lookup.require(feature, context, SettingType.DECIMAL))
        .value();
  }

  /**
   * A JSON setting's text.
   *
   * @throws WrongTypeException if the feature is not JSON
   * @throws SettingNotFoundException as {@link #require}, and its other exceptions
   */
  public String requireJson(String feature, Context context) {
    return ((SettingValue.JsonValue) lookup.require(feature, context, SettingType.JSON)).json();
  }

  /**
   * Why the feature resolves as it does for the context.
   *
   * @throws UnknownFeatureException if the store does not declare the feature
   * @throws StoreException if the feature is not loaded and the store cannot be read in time
   * @throws IllegalArgumentException if the key is malformed or the context of another hierarchy
   */
  public Explanation explain(String feature, Context context) {
    return lookup.explain(feature, context);
  }

  /** The loaded state of a feature, if it is loaded; never touches the store. */
  public Optional<FeatureState> cached(String feature) {
    FeatureIndex idx = lookup.byName(feature);
    return idx == null ? Optional.empty() : Optional.of(idx.state(hierarchy));
  }

  /**
   * How many features this node holds in memory (with preload, every feature of the store; without,
   * those loaded so far). One field read: for gauges.
   */
  public int cachedFeatureCount() {
    return lookup.current().size;
  }

  // ---------------------------------------------------------------- evaluations and usage

  /**
   * How many checks of each feature this node answered, by outcome, since it started: one entry per
   * feature and outcome counted at least once, ordered by feature then outcome. Checks count when
   * they find the feature loaded (lenient and strict ones, by name and through handles; a name the
   * store does not declare never counts; {@code explain} does not count). Counts are kept only with
   * {@link Builder#countEvaluations(boolean)}; empty otherwise. Under heavy contention an increment
   * may be lost, never added; a count never decreases. Reads every feature's counts: for metrics,
   * not for the check path.
   */
  public List<EvaluationCount> evaluationCounts() {
    return tallies.counts();
  }

  /**
   * One feature's count of one outcome, as in {@link #evaluationCounts()}; 0 if none or if counts
   * are off. Cheap (a map read and a sum over a few stripes): for a pull-model counter.
   */
  public long evaluationCount(String feature, EvaluationCount.Outcome outcome) {
    return tallies.count(feature, outcome);
  }

  /**
   * The features this node checked since the last call (or since it started), and starts over: for
   * recording which features are in use. Counted as in {@link #evaluationCounts()}. A check that
   * runs while this drains is reported by this call or the next.
   *
   * @throws IllegalStateException unless {@link Builder#trackUsage(boolean)} or {@link
   *     Builder#countEvaluations(boolean)} is on
   */
  public Set<String> drainEvaluatedFeatures() {
    if (!tallies.on()) {
      throw new IllegalStateException(
          "usage is not tracked: build the toggles with trackUsage(true)");
    }
    return tallies.drain();
  }

  /** The store revision this node has applied; -1 before the store first answered. */
  public long revision() {
    return lookup.revision();
  }

  /**
   * Waits until this node has applied {@code revision} of the store (for example the {@link
   * Change#revision()} a write returned), asking for a sync at once rather than at the next poll.
   * Returns at once if it has. For tests and tools that must see a write before they go on.
   *
   * @return whether the node is at {@code revision} or later; false if the timeout passed, the
   *     thread was interrupted (its flag set again) or the toggles were closed
   * @throws IllegalArgumentException if the timeout is negative
   */
  public boolean awaitRevision(long revision, Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout is negative: " + timeout);
    }
    if (lookup.revision() >= revision) {
      return true;
    }
    requestSync();
    return lookup.awaitRevision(revision, timeout.toNanos());
  }

  // ---------------------------------------------------------------- health and events

  /** How current the values are, and why not if they are not. Cheap; never touches the store. */
  public Health health() {
    return healthTracker.health(lookup.current());
  }

  /**
   * Registers a listener: from now on it hears what syncs apply, how health moves, and every sync's
   * outcome, on this instance's notifier thread (see {@link TogglesListener}). Read {@link
   * #health()} first for the state it starts from.
   *
   * @return what stops it; {@link #close()} stops every listener
   * @throws IllegalStateException if the toggles are closed
   */
  public TogglesListener.Subscription subscribe(TogglesListener listener) {
    return notifier.subscribe(listener);
  }

  /**
   * Catches up with the store now: one read of its head and, if it moved, the changes since,
   * applied to a copy of the node's state and published at once (a full reload if the store's
   * history is not the one the node followed, or the change log no longer reaches back). Background
   * sync calls this on its interval and on store notifications; tests and tools may call it
   * directly.
   *
   * @throws StoreException if the store cannot be read; the node keeps serving its values
   */
  public void sync() {
    engine.sync();
  }

  /**
   * Asks for a sync on the sync thread soon (a store notification, a miss, a wait for a revision);
   * requests made before it starts are one sync. If it fails, it is asked for again after a backoff
   * (0.1 s doubling to 5 s) until one succeeds: a notification promised a change, and a store that
   * comes back often hands out a connection or two broken by the outage first.
   */
  private void requestSync() {
    if (syncRequested.compareAndSet(false, true)) {
      try {
        scheduler.execute(
            () -> {
              syncRequested.set(false);
              if (syncQuietly()) {
                retryMillis.set(0);
              } else {
                retryLater();
              }
            });
      } catch (RejectedExecutionException e) {
        syncRequested.set(false); // closed
      }
    }
  }

  private void retryLater() {
    long delay = retryMillis.updateAndGet(m -> Math.min(MAX_RETRY_MILLIS, Math.max(100, m * 2)));
    try {
      scheduler.schedule(this::requestSync, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private boolean syncQuietly() {
    try {
      engine.sync();
      return true;
    } catch (RuntimeException e) {
      return false; // logged once by the engine; health reports it
    }
  }

  private void start(Duration startWait) {
    CompletableFuture<Void> first = new CompletableFuture<>();
    try {
      scheduler.execute(
          () -> {
            try {
              syncQuietly();
            } finally {
              first.complete(null);
            }
          });
      first.get(startWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      LOG.warn(
          "toggles: store did not answer within {}; going on, loading in the background",
          startWait);
    } catch (ExecutionException | RejectedExecutionException e) {
      LOG.warn("toggles: could not start the first sync: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lookup.current().source != Generation.Source.STORE) {
      engine.startFromSnapshot();
    }
  }

  /**
   * Stops background sync, store notifications and listeners (every subscription ends) and, if the
   * toggles own them, their threads. Checks keep answering the last values. Does not close the
   * store.
   */
  @Override
  public void close() {
    subscription.close();
    if (syncTask != null) {
      syncTask.cancel(false);
    }
    notifier.close();
    misses.close();
    lookup.close();
    if (ownsExecutor) {
      scheduler.shutdownNow();
    }
  }

  // For tests of what the node holds.
  Generation generation() {
    return lookup.current();
  }

  Warnings warnings() {
    return warnings;
  }

  MissLoads misses() {
    return misses;
  }

  /** Configures {@link Toggles}. Not thread-safe. */
  public static final class Builder {
    private final ToggleStore store;
    private boolean preload = true;
    private Duration syncInterval = Duration.ofSeconds(1);
    private Duration missWait = Duration.ofMillis(25);
    private Duration startWait = Duration.ofSeconds(3);
    private @Nullable Duration staleAfter;
    private @Nullable Duration errorAfter;
    private int maxExcluded = 50;
    private int pageSize = SyncEngine.DEFAULT_PAGE_SIZE;
    private @Nullable ScheduledExecutorService executor;
    private @Nullable Path snapshotFile;
    private InstantSource clock = InstantSource.system();
    private Ticker ticker = Ticker.system();
    private boolean trackUsage;
    private boolean countEvaluations;

    private Builder(ToggleStore store) {
      if (store == null) {
        throw new NullPointerException("store");
      }
      this.store = store;
    }

    /**
     * Whether to load every feature when built and every feature declared later as soon as a sync
     * sees it (default), or, without preload, nothing when built: the first sync (or the first
     * check, whichever comes first) reads the catalog of declared features, and each feature loads
     * on its first check. A failed preload does not fail {@link #build()}.
     */
    public Builder preload(boolean preload) {
      this.preload = preload;
      return this;
    }

    /**
     * How often to poll the store's head; default 1 second. Each poll is one cheap read; only a
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
     * How long a check of a feature that is not loaded waits for its load before answering the
     * default; default 25 ms. The load goes on in the background. While the store is failing, such
     * checks do not wait at all. Names the store does not declare never wait.
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
     * After how long without a successful sync {@link Toggles#health()} says STALE (at once after a
     * failed sync); default three sync intervals, at least 5 seconds.
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
     * After how long without a successful sync {@link Toggles#health()} says ERROR, whether syncs
     * fail or hang; default four stale thresholds, at least 1 minute. {@link #build()} throws
     * {@link IllegalStateException} if it is not longer than the stale threshold.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder errorAfter(Duration errorAfter) {
      if (errorAfter.isNegative() || errorAfter.isZero()) {
        throw new IllegalArgumentException("error threshold must be positive: " + errorAfter);
      }
      this.errorAfter = errorAfter;
      return this;
    }

    /**
     * Keeps a last-known-good snapshot in this file: written atomically after each sync that
     * changed something, read when the store is unavailable at start (unless it was written for a
     * store of another {@link ToggleStore#locator()}). Off by default.
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

    /** How many change-log entries one read asks for; tests make it small. */
    Builder changePageSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("change page size must be positive: " + size);
      }
      this.pageSize = size;
      return this;
    }

    /**
     * Runs background sync (and the loads it makes) on this executor instead of a thread of its
     * own; the toggles do not shut it down. Listeners still run on a notifier thread of their own.
     */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = executor;
      return this;
    }

    /**
     * The wall clock that stamps what is reported: the last sync in health, when a sync started and
     * when its changes were published (the end of {@link TogglesListener.Synced#lag()}); the system
     * clock by default. It measures no elapsed time: staleness is measured on the {@link
     * #ticker(Ticker)}, so a clock stepped back never makes old values look fresh.
     */
    public Builder clock(InstantSource clock) {
      if (clock == null) {
        throw new NullPointerException("clock");
      }
      this.clock = clock;
      return this;
    }

    /**
     * The monotonic time source health measures staleness on, and listeners sync durations; {@link
     * Ticker#system()} by default.
     */
    public Builder ticker(Ticker ticker) {
      if (ticker == null) {
        throw new NullPointerException("ticker");
      }
      this.ticker = ticker;
      return this;
    }

    /**
     * Whether to record which features this node checks, for {@link
     * Toggles#drainEvaluatedFeatures()}; off by default. A check then reads one plain field more
     * (the feature's mark) and writes it only when it flips, once per feature between two drains.
     */
    public Builder trackUsage(boolean track) {
      this.trackUsage = track;
      return this;
    }

    /**
     * Whether to count checks per feature and outcome, for {@link Toggles#evaluationCounts()} (and
     * meters built on it); off by default. A check then also increments a counter of its thread's
     * stripe of the feature (a plain increment: no lock, no atomic instruction, no allocation).
     * Memory: a few hundred bytes per feature on a machine of a few cores, at most about 4 KiB.
     * Implies {@link #trackUsage(boolean)}.
     */
    public Builder countEvaluations(boolean count) {
      this.countEvaluations = count;
      return this;
    }

    /**
     * The toggles. Waits at most the start wait for the first load; never throws because the store
     * is down.
     *
     * @throws IllegalStateException if the error threshold is not longer than the stale threshold
     */
    public Toggles build() {
      return new Toggles(this);
    }
  }
}
