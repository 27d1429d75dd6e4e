package io.toggles;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Hears what a {@link Toggles} instance applied and how its health moves: register one with {@link
 * Toggles#subscribe(TogglesListener)}. Every method has an empty default, so implement only what
 * you need.
 *
 * <p>Listeners are called on one notifier thread per {@code Toggles} (never on the sync thread,
 * never on a checking thread), one event at a time and in order. A listener that throws is logged
 * and disturbs neither syncing nor other listeners; one that blocks delays only the events after
 * it, so keep them short. Checks cost nothing more for having listeners.
 */
public interface TogglesListener {

  /** After a sync applied changes (or reloaded everything): which features changed, and where. */
  default void onChange(Changed event) {}

  /** After the health status moved (READY, STALE, ERROR), whether or not a sync ran. */
  default void onHealth(HealthChanged event) {}

  /** After every sync attempt, successful or not: for metrics. */
  default void onSync(Synced event) {}

  /**
   * Features whose values a sync changed on this node.
   *
   * @param features the keys of the features whose state changed (for a full reload, every feature
   *     held before or after it)
   * @param revision the store revision the node is at now
   * @param previousRevision the revision it was at before, -1 if none
   * @param storeId the identity of the store the node follows, empty if the store records none
   * @param reload the full reload that made these changes, if it was one
   */
  record Changed(
      Set<String> features,
      long revision,
      long previousRevision,
      String storeId,
      Optional<Reload> reload) {

    /** Copies the set. */
    public Changed {
      features = Set.copyOf(features);
      if (storeId == null || reload == null) {
        throw new NullPointerException("storeId and reload must not be null");
      }
    }
  }

  /**
   * The health status moved.
   *
   * @param previous the status before
   * @param health the health now (its status differs from {@code previous})
   */
  record HealthChanged(Health.Status previous, Health health) {

    /** Checks the parts. */
    public HealthChanged {
      if (previous == null || health == null) {
        throw new NullPointerException("previous and health must not be null");
      }
    }
  }

  /**
   * The outcome of one sync attempt.
   *
   * @param at when it started, by the node's clock
   * @param duration how long it took, by the node's ticker
   * @param error why it failed; empty if it succeeded
   * @param revision the revision the node is at after it, -1 if none
   * @param changes how many change-log entries it applied (0 for an idle poll and for a reload)
   * @param lag for a sync that applied changes: from the commit of the oldest change it applied
   *     (the store's clock) to their publication on this node (the node's clock); zero if the
   *     clocks disagree so that it would be negative
   * @param reload the full reload it made, if any
   */
  record Synced(
      Instant at,
      Duration duration,
      Optional<String> error,
      long revision,
      int changes,
      Optional<Duration> lag,
      Optional<Reload> reload) {

    /** Checks the parts. */
    public Synced {
      if (at == null || duration == null || error == null || lag == null || reload == null) {
        throw new NullPointerException("sync outcome parts must not be null");
      }
    }

    /** Whether the sync succeeded. */
    public boolean succeeded() {
      return error.isEmpty();
    }
  }

  /** Stops the listener's events. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    /** Stops them; idempotent, never throws. Events already running finish. */
    @Override
    void close();
  }
}
