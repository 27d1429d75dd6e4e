package io.toggles.spring.boot.autoconfigure.hooks;

import java.time.Duration;
import java.time.Instant;

/** Hears what one sync of a node did. Quick, never throws. */
public interface SyncListener {

  /** A sync attempt ended, successfully or not, after {@code took}. */
  void synced(Duration took, boolean succeeded);

  /**
   * A change committed at {@code committedAt} (store clock) became visible to this node's checks at
   * {@code appliedAt} (node clock).
   */
  void applied(Instant committedAt, Instant appliedAt);
}
