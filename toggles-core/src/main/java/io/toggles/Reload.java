package io.toggles;

import java.time.Instant;

/**
 * A full reload: the node found that the store's history is not the one it followed, so it replaced
 * everything it held with what the store holds now, merging nothing.
 *
 * @param reason why
 * @param message what happened, for people (the text of the warning the node logged)
 * @param fromStore the store identity the node followed before, empty if unknown
 * @param fromRevision the revision the node was at before, -1 if it had none
 * @param toStore the store identity the node follows now, empty if the store records none
 * @param toRevision the revision the node reloaded at
 * @param at when the reload was applied, by the node's clock
 */
public record Reload(
    Reason reason,
    String message,
    String fromStore,
    long fromRevision,
    String toStore,
    long toRevision,
    Instant at) {

  /** Why a node reloaded everything. */
  public enum Reason {
    /** The first answer of the store after the node started from its snapshot file. */
    AFTER_SNAPSHOT,
    /** The store has another identity: another database, or one created again. */
    STORE_CHANGED,
    /** The store's revision is below the node's: restored from a backup, or a lagging replica. */
    REVISION_WENT_BACK,
    /**
     * The change at the node's revision is no longer the one the node applied: the store was put
     * back to an earlier state and written again past the node's revision.
     */
    HISTORY_CHANGED,
    /** The change log no longer reaches back to the node's revision (pruned, or with a gap). */
    LOG_INCOMPLETE
  }

  /**
   * Validates the parts.
   *
   * @throws NullPointerException if a part is null
   */
  public Reload {
    if (reason == null || message == null || fromStore == null || toStore == null || at == null) {
      throw new NullPointerException("reload parts must not be null");
    }
  }
}
