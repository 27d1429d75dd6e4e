package io.toggles;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How current the toggles' values are. Checks never fail because of what this reports: they serve
 * the last known values; this says how old those are, which store they come from, and why they may
 * be behind.
 *
 * <p>Ages are measured on the instance's monotonic {@link Ticker}, so a step of the wall clock
 * changes neither the staleness nor the status; the wall clock only stamps {@code lastSync}.
 *
 * @param status ready, stale or error
 * @param revision the store revision the node has applied, -1 if it never synced with the store
 * @param lastSync when the last sync succeeded, by the node's clock
 * @param staleness how long since the last successful sync (since the start if none succeeded)
 * @param lastError the last sync failure, cleared by a successful sync
 * @param fromSnapshot whether the values come from the snapshot file (the store has not answered
 *     since the start)
 * @param storeId the identity of the store the values come from; empty if unknown or if the store
 *     records none
 * @param lastReload the last full reload, with its reason (a restore, a failover, another store)
 * @param cause why the status is not {@code READY}: the failure, a sync that waits for a store that
 *     does not answer, or a start without the store; empty when ready
 */
public record Health(
    Status status,
    long revision,
    Optional<Instant> lastSync,
    Duration staleness,
    Optional<String> lastError,
    boolean fromSnapshot,
    Optional<String> storeId,
    Optional<Reload> lastReload,
    Optional<String> cause) {

  /**
   * Checks the parts.
   *
   * @throws NullPointerException if a part is null
   */
  public Health {
    if (status == null
        || lastSync == null
        || staleness == null
        || lastError == null
        || storeId == null
        || lastReload == null
        || cause == null) {
      throw new NullPointerException("health parts must not be null");
    }
  }

  /**
   * The health of the previous release's shape: no store identity, reload or cause.
   *
   * @deprecated use the canonical constructor
   */
  @Deprecated
  public Health(
      Status status,
      long revision,
      Optional<Instant> lastSync,
      Duration staleness,
      Optional<String> lastError,
      boolean fromSnapshot) {
    this(
        status,
        revision,
        lastSync,
        staleness,
        lastError,
        fromSnapshot,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The overall state. */
  public enum Status {
    /** Synced with the store within the stale threshold, and the last sync succeeded. */
    READY,
    /**
     * Serving values that may be behind: the last sync failed, or none succeeded within the stale
     * threshold (the store fails or does not answer), or the values come from the snapshot file.
     */
    STALE,
    /**
     * No sync succeeded within the error threshold, or the node never loaded from the store and has
     * no snapshot (features answer their defaults).
     */
    ERROR
  }
}
