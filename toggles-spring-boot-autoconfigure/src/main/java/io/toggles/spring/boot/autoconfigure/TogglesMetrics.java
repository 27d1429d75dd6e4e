package io.toggles.spring.boot.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.toggles.FeatureDefinition;
import io.toggles.Health;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.spring.boot.autoconfigure.hooks.EvaluationCounts;
import io.toggles.spring.boot.autoconfigure.hooks.SyncHooks;
import io.toggles.spring.boot.autoconfigure.hooks.SyncListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The toggles' meters. From the public API, read when a registry is scraped (never on the check
 * path):
 *
 * <ul>
 *   <li>{@code toggles.revision}: the store revision this node has caught up with (-1 before);
 *   <li>{@code toggles.staleness} (seconds): time since the last successful sync;
 *   <li>{@code toggles.state} with tag {@code state} = {@code ready|stale|error}: 1 for the current
 *       health state, 0 for the others;
 *   <li>{@code toggles.snapshot.serving}: 1 while the values come from the snapshot file;
 *   <li>{@code toggles.features.cached}: how many declared features this node holds, recounted when
 *       the revision moves (one read of the declarations), the last count kept while the store is
 *       down.
 * </ul>
 *
 * <p>Fed by {@link SyncHooks} and {@link EvaluationCounts} when such beans exist (core hooks still
 * to come): {@code toggles.sync.duration} (timer, tag {@code outcome} = {@code success|failure}),
 * {@code toggles.sync.failures} (counter), {@code toggles.change.lag} (timer: commit to visible on
 * this node) and {@code toggles.evaluations} (function counters, tags {@code feature}, {@code
 * outcome}).
 */
public final class TogglesMetrics implements MeterBinder, DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(TogglesMetrics.class);

  private final Toggles toggles;
  private final @Nullable ToggleAdmin admin;
  private final @Nullable SyncHooks syncHooks;
  private final @Nullable EvaluationCounts evaluations;
  private final Set<AutoCloseable> subscriptions = ConcurrentHashMap.newKeySet();
  private final Object countLock = new Object();
  private long countedAt = Long.MIN_VALUE;
  private double cached = Double.NaN;

  /**
   * Meters of {@code toggles}.
   *
   * @param admin reads the declarations for {@code toggles.features.cached}; without it that gauge
   *     is not registered
   * @param syncHooks feeds the sync meters; without it they are not registered
   * @param evaluations feeds {@code toggles.evaluations}; without it it is not registered
   */
  public TogglesMetrics(
      Toggles toggles,
      @Nullable ToggleAdmin admin,
      @Nullable SyncHooks syncHooks,
      @Nullable EvaluationCounts evaluations) {
    this.toggles = toggles;
    this.admin = admin;
    this.syncHooks = syncHooks;
    this.evaluations = evaluations;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("toggles.revision", toggles, Toggles::revision)
        .description("The store revision this node has caught up with, -1 before the first sync")
        .register(registry);
    TimeGauge.builder(
            "toggles.staleness",
            toggles,
            TimeUnit.MILLISECONDS,
            t -> t.health().staleness().toMillis())
        .description("Time since this node's last successful sync")
        .register(registry);
    for (Health.Status s : Health.Status.values()) {
      Gauge.builder("toggles.state", toggles, t -> t.health().status() == s ? 1 : 0)
          .tag("state", s.name().toLowerCase(Locale.ROOT))
          .description("1 for this node's current health state, 0 for the others")
          .register(registry);
    }
    Gauge.builder("toggles.snapshot.serving", toggles, t -> t.health().fromSnapshot() ? 1 : 0)
        .description("1 while the values come from the snapshot file (store not reached yet)")
        .register(registry);
    if (admin != null) {
      Gauge.builder("toggles.features.cached", this, TogglesMetrics::cachedFeatures)
          .description("Declared features this node holds in memory")
          .register(registry);
    }
    if (syncHooks != null) {
      bindSync(registry, syncHooks);
    }
  }

  private void bindSync(MeterRegistry registry, SyncHooks hooks) {
    Timer ok =
        Timer.builder("toggles.sync.duration")
            .tag("outcome", "success")
            .description("How long a sync with the store took")
            .register(registry);
    Timer failed =
        Timer.builder("toggles.sync.duration").tag("outcome", "failure").register(registry);
    Counter failures =
        Counter.builder("toggles.sync.failures")
            .description("Syncs that failed (store unreachable or refusing)")
            .register(registry);
    Timer lag =
        Timer.builder("toggles.change.lag")
            .description("From a change's commit (store clock) to visible on this node")
            .register(registry);
    EvaluationCounts counts = evaluations;
    Set<String> known = ConcurrentHashMap.newKeySet();
    if (counts != null) {
      registerEvaluations(registry, counts, known);
    }
    try {
      subscriptions.add(
          hooks.subscribe(
              new SyncListener() {
                @Override
                public void synced(Duration took, boolean succeeded) {
                  (succeeded ? ok : failed).record(took);
                  if (!succeeded) {
                    failures.increment();
                  }
                  if (counts != null) {
                    registerEvaluations(registry, counts, known);
                  }
                }

                @Override
                public void applied(Instant committedAt, Instant appliedAt) {
                  Duration d = Duration.between(committedAt, appliedAt);
                  lag.record(d.isNegative() ? Duration.ZERO : d);
                }
              }));
    } catch (Exception e) {
      LOG.warn("toggles: cannot subscribe the sync meters: {}", e.toString());
    }
  }

  /** Registers a function counter for each (feature, outcome) not registered yet. */
  private static void registerEvaluations(
      MeterRegistry registry, EvaluationCounts counts, Set<String> known) {
    counts.forEach(
        (feature, outcome, count) -> {
          if (known.add(feature + '\u0000' + outcome)) {
            FunctionCounter.builder("toggles.evaluations", counts, c -> c.count(feature, outcome))
                .tag("feature", feature)
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .description("Checks of a feature by where the answer came from")
                .register(registry);
          }
        });
  }

  /** Recounted only when the revision moved; the last count while the store cannot be read. */
  private double cachedFeatures() {
    long revision = toggles.revision();
    synchronized (countLock) {
      if (revision == countedAt) {
        return cached;
      }
      try {
        List<FeatureDefinition> declared = admin == null ? List.of() : admin.features();
        int n = 0;
        for (FeatureDefinition d : declared) {
          if (toggles.cached(d.key()).isPresent()) {
            n++;
          }
        }
        cached = n;
        countedAt = revision;
      } catch (RuntimeException e) {
        LOG.debug("toggles: cannot count cached features now: {}", e.toString());
      }
      return cached;
    }
  }

  /** Stops the sync subscriptions. */
  @Override
  public void destroy() {
    for (AutoCloseable s : subscriptions) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.debug("toggles: closing a meter subscription failed: {}", e.toString());
      }
    }
    subscriptions.clear();
  }
}
