package io.toggles.spring.boot.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.toggles.EvaluationCount;
import io.toggles.Health;
import io.toggles.Toggles;
import io.toggles.TogglesListener;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The toggles' meters, all from the public API of {@link Toggles}; none on the check path.
 *
 * <p>Read when a registry is scraped:
 *
 * <ul>
 *   <li>{@code toggles.revision}: the store revision this node has caught up with (-1 before);
 *   <li>{@code toggles.staleness} (seconds): time since the last successful sync;
 *   <li>{@code toggles.state} with tag {@code state} = {@code ready|stale|error}: 1 for the current
 *       health state, 0 for the others;
 *   <li>{@code toggles.snapshot.serving}: 1 while the values come from the snapshot file;
 *   <li>{@code toggles.features.cached}: how many features this node holds in memory ({@link
 *       Toggles#cachedFeatureCount()});
 *   <li>{@code toggles.evaluations} (function counters, tags {@code feature} and {@code outcome} =
 *       {@code true|false|value|caller-default}): checks per feature by what they answered ({@link
 *       Toggles#evaluationCount}), when the toggles count them ({@code
 *       toggles.metrics.evaluations}, {@link Toggles.Builder#countEvaluations(boolean)}); a pair is
 *       registered at the first sync after its first check, so that only features this application
 *       checks have series.
 * </ul>
 *
 * <p>Recorded from each sync's outcome ({@link Toggles#subscribe}, on the toggles' notifier
 * thread): {@code toggles.sync.duration} (timer, tag {@code outcome} = {@code success|failure}),
 * {@code toggles.sync.failures} (counter) and {@code toggles.change.lag} (timer: from the commit of
 * the oldest change a sync applied, by the store's clock, to its publication on this node).
 */
public final class TogglesMetrics implements MeterBinder, DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(TogglesMetrics.class);

  private final Toggles toggles;
  private final Set<TogglesListener.Subscription> subscriptions = ConcurrentHashMap.newKeySet();

  /** Meters of {@code toggles}. */
  public TogglesMetrics(Toggles toggles) {
    this.toggles = toggles;
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
    Gauge.builder("toggles.features.cached", toggles, Toggles::cachedFeatureCount)
        .description("Features this node holds in memory")
        .register(registry);
    Evaluations evaluations = new Evaluations(registry);
    evaluations.registerNew();
    subscribe(new SyncMeters(registry, evaluations));
  }

  private void subscribe(TogglesListener listener) {
    try {
      subscriptions.add(toggles.subscribe(listener));
    } catch (IllegalStateException e) {
      LOG.warn("toggles: cannot record the sync meters: {}", e.getMessage());
    }
  }

  /** The sync meters of one registry, fed by every sync's outcome. */
  private static final class SyncMeters implements TogglesListener {
    private final Timer succeeded;
    private final Timer failed;
    private final Counter failures;
    private final Timer lag;
    private final Evaluations evaluations;

    SyncMeters(MeterRegistry registry, Evaluations evaluations) {
      this.succeeded = duration(registry, "success");
      this.failed = duration(registry, "failure");
      this.failures =
          Counter.builder("toggles.sync.failures")
              .description("Syncs that failed (store unreachable or refusing)")
              .register(registry);
      this.lag =
          Timer.builder("toggles.change.lag")
              .description(
                  "From the commit of a sync's oldest change (store clock) to its publication on"
                      + " this node")
              .register(registry);
      this.evaluations = evaluations;
    }

    private static Timer duration(MeterRegistry registry, String outcome) {
      return Timer.builder("toggles.sync.duration")
          .tag("outcome", outcome)
          .description("How long a sync with the store took")
          .register(registry);
    }

    @Override
    public void onSync(Synced event) {
      if (event.succeeded()) {
        succeeded.record(event.duration());
      } else {
        failed.record(event.duration());
        failures.increment();
      }
      event.lag().ifPresent(lag::record);
      evaluations.registerNew();
    }
  }

  /** The {@code toggles.evaluations} counters of one registry, one per pair seen so far. */
  private final class Evaluations {
    private final MeterRegistry registry;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    Evaluations(MeterRegistry registry) {
      this.registry = registry;
    }

    /** Registers a function counter for each (feature, outcome) counted and not registered yet. */
    void registerNew() {
      for (EvaluationCount c : toggles.evaluationCounts()) {
        String feature = c.feature();
        EvaluationCount.Outcome outcome = c.outcome();
        if (registered.add(feature + '\u0000' + outcome)) {
          FunctionCounter.builder(
                  "toggles.evaluations", toggles, t -> t.evaluationCount(feature, outcome))
              .tag("feature", feature)
              .tag("outcome", outcome.tag())
              .description("Checks of a feature on this node by what they answered")
              .register(registry);
        }
      }
    }
  }

  /** Stops recording the sync meters. */
  @Override
  public void destroy() {
    for (TogglesListener.Subscription s : subscriptions) {
      s.close();
    }
    subscriptions.clear();
  }
}
