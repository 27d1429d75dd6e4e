package io.toggles.spring.boot.autoconfigure;

import io.toggles.Toggles;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code toggles} health: READY is UP; STALE (serving the last known values) is UP or
 * OUT_OF_SERVICE as {@code toggles.health.stale-status} says; ERROR (nothing loaded, defaults
 * answered) is DOWN. Details: the toggles' own {@code state} (READY, STALE, ERROR), revision, last
 * sync, staleness in milliseconds, last error and whether the values come from the snapshot file.
 * Cheap: never touches the store.
 *
 * <p>Checks keep answering while the store is down, so leave this indicator out of a liveness
 * probe: a restart would only lose the cached values.
 */
public final class TogglesHealthIndicator implements HealthIndicator {
  private final Toggles toggles;
  private final Status stale;

  /**
   * An indicator of {@code toggles}.
   *
   * @param staleStatus what a STALE node reports
   */
  public TogglesHealthIndicator(Toggles toggles, TogglesProperties.StaleStatus staleStatus) {
    this.toggles = toggles;
    this.stale =
        staleStatus == TogglesProperties.StaleStatus.OUT_OF_SERVICE
            ? Status.OUT_OF_SERVICE
            : Status.UP;
  }

  @Override
  public Health health() {
    io.toggles.Health h = toggles.health();
    Status status =
        switch (h.status()) {
          case READY -> Status.UP;
          case STALE -> stale;
          case ERROR -> Status.DOWN;
        };
    Health.Builder b =
        Health.status(status)
            .withDetail("state", h.status().name())
            .withDetail("revision", h.revision())
            .withDetail("stalenessMillis", h.staleness().toMillis())
            .withDetail("fromSnapshot", h.fromSnapshot());
    h.lastSync().map(Instant::toString).ifPresent(t -> b.withDetail("lastSync", t));
    h.lastError().ifPresent(e -> b.withDetail("lastError", e));
    return b.build();
  }
}
