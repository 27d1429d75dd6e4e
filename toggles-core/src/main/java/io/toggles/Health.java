package io.toggles;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How current the toggles' snapshot is. Checks never fail because of what this reports: they serve
 * the last known values; this says how old those are.
 *
 * @param status ready, stale or error
 * @param revision the store revision the cache has caught up with, -1 if never synced
 * @param lastSync when the last sync succeeded
 * @param staleness how long since the last successful sync (zero if never synced: see status)
 * @param lastError the last sync failure, cleared by a successful sync
 * @param fromSnapshot whether the values come from the last-known-good snapshot file
 */
public record Health(
    Status status,
    long revision,
    Optional<Instant> lastSync,
    Duration staleness,
    Optional<String> lastError,
    boolean fromSnapshot) {

  /** The overall state. */
  public enum Status {
    /** Synced within the stale threshold. */
    READY,
    /** Serving values older than the stale threshold (store unreachable, or from a snapshot). */
    STALE,
    /** Never loaded from the store and no snapshot: features answer their defaults. */
    ERROR
  }
}
