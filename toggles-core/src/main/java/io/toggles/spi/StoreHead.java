package io.toggles.spi;

import java.util.Optional;

/**
 * Where a store's history stands, read in one cheap query: which store it is, its latest revision,
 * and the id of the change at a revision the caller asked about. A node compares it with what it
 * followed to tell a store that moved forward from one whose history is no longer the one it
 * followed (restored from a backup, failed over to a lagging replica, replaced by another store).
 *
 * @param storeId the store's identity, created once when its schema is created; empty if the store
 *     records none (a schema of an older release not yet upgraded)
 * @param revision the revision of the latest change, 0 for a store never written
 * @param changeIdAt the id of the change at the revision asked about; empty if there is no change
 *     there (revision 0, or beyond {@code revision}) or the change has no id
 */
public record StoreHead(String storeId, long revision, Optional<String> changeIdAt) {

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException if the revision is negative
   */
  public StoreHead {
    if (storeId == null) {
      throw new NullPointerException("storeId");
    }
    if (revision < 0) {
      throw new IllegalArgumentException("revision is negative: " + revision);
    }
    if (changeIdAt == null) {
      throw new NullPointerException("changeIdAt");
    }
  }
}
