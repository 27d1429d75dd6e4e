package io.toggles;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The node's health, computed when asked from the last successful sync (not from the end of the
 * current one, so that a sync stuck on a store that does not answer still ages the values) on the
 * instance's monotonic ticker; the wall clock only stamps what is reported. The sync engine records
 * what happens; any thread reads.
 */
final class HealthTracker {
  private final Ticker ticker;
  private final InstantSource clock;
  private final long staleAfterNanos;
  private final long errorAfterNanos;
  private final long startNanos;
  private volatile boolean succeeded;
  private volatile long lastSuccessNanos;
  private volatile @Nullable Instant lastSuccessAt;
  private volatile @Nullable String lastError;
  private volatile boolean inFlight;
  private volatile long syncStartNanos;
  private volatile @Nullable Reload lastReload;

  HealthTracker(Ticker ticker, InstantSource clock, Duration staleAfter, Duration errorAfter) {
    this.ticker = ticker;
    this.clock = clock;
    this.staleAfterNanos = staleAfter.toNanos();
    this.errorAfterNanos = errorAfter.toNanos();
    this.startNanos = ticker.read();
  }

  long now() {
    return ticker.read();
  }

  Instant wallClock() {
    return clock.instant();
  }

  void syncStarted(long nanos) {
    syncStartNanos = nanos;
    inFlight = true;
  }

  /** Records a success; returns whether the store had been failing before. */
  boolean succeeded(long nanos) {
    boolean recovered = lastError != null;
    lastSuccessNanos = nanos;
    lastSuccessAt = clock.instant();
    succeeded = true;
    lastError = null;
    inFlight = false;
    return recovered;
  }

  /** Records a failure; returns whether it is the first of a run of failures. */
  boolean failed(String error) {
    boolean first = lastError == null;
    lastError = error;
    inFlight = false;
    return first;
  }

  void reloaded(Reload reload) {
    lastReload = reload;
  }

  /** Whether the last sync failed: checks then do not wait for loads. */
  boolean failing() {
    return lastError != null;
  }

  Health health(Generation g) {
    long now = ticker.read();
    boolean ok = succeeded;
    long age = Math.max(0, now - (ok ? lastSuccessNanos : startNanos));
    String error = lastError;
    boolean fromSnapshot = g.source == Generation.Source.SNAPSHOT;
    Health.Status status;
    String cause = null;
    if (!ok && !fromSnapshot) {
      status = Health.Status.ERROR;
      cause =
          error != null
              ? "never loaded from the store: " + error
              : "not loaded from the store yet (waiting " + Duration.ofNanos(age) + ")";
    } else if (age > errorAfterNanos) {
      status = Health.Status.ERROR;
    } else if (error != null || age > staleAfterNanos || fromSnapshot) {
      status = Health.Status.STALE;
    } else {
      status = Health.Status.READY;
    }
    if (status != Health.Status.READY && cause == null) {
      cause = cause(now, age, error, fromSnapshot);
    }
    Reload reload = lastReload;
    return new Health(
        status,
        g.source == Generation.Source.STORE ? g.revision : -1,
        Optional.ofNullable(lastSuccessAt),
        Duration.ofNanos(age),
        Optional.ofNullable(error),
        fromSnapshot,
        g.storeId.isEmpty() ? Optional.empty() : Optional.of(g.storeId),
        Optional.ofNullable(reload),
        Optional.ofNullable(cause));
  }

  private String cause(long now, long age, @Nullable String error, boolean fromSnapshot) {
    StringBuilder b = new StringBuilder();
    if (fromSnapshot) {
      b.append("serving the snapshot file; the store has not answered since the start");
    } else {
      b.append("no successful sync for ").append(Duration.ofNanos(age));
    }
    if (inFlight && now - syncStartNanos > staleAfterNanos) {
      b.append("; a sync has waited ")
          .append(Duration.ofNanos(now - syncStartNanos))
          .append(" for the store, which does not answer");
    }
    if (error != null) {
      b.append("; last error: ").append(error);
    }
    return b.toString();
  }
}
