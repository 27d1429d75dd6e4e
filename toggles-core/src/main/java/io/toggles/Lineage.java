package io.toggles;

import io.toggles.spi.StoreHead;
import java.util.Optional;

/**
 * Whether the store's history is still the one a node followed. A node at revision {@code r}
 * compares the store's identity, its revision and the id of its change at {@code r} (one {@link
 * io.toggles.spi.ToggleStore#head} read per poll) with what it applied: any difference means the
 * store was replaced, restored or failed over, and the node must reload everything instead of
 * applying changes on top of a state the store no longer holds.
 */
final class Lineage {
  private Lineage() {}

  /** Why a node must reload everything, and what to tell people. */
  record Break(Reload.Reason reason, String message) {}

  /** Compares the generation a node followed with the store's head read at its revision. */
  static Optional<Break> check(Generation followed, StoreHead head) {
    if (!head.storeId().equals(followed.storeId)) {
      return Optional.of(
          new Break(
              Reload.Reason.STORE_CHANGED,
              "the store's identity is "
                  + name(head.storeId())
                  + ", not "
                  + name(followed.storeId)
                  + " which this node followed up to revision "
                  + followed.revision
                  + " (another database, or one created again)"));
    }
    if (head.revision() < followed.revision) {
      return Optional.of(
          new Break(
              Reload.Reason.REVISION_WENT_BACK,
              "the store's revision went back from "
                  + followed.revision
                  + " to "
                  + head.revision()
                  + " (restored from a backup, or failed over to a replica that lags)"));
    }
    if (followed.changeId.isPresent() && !followed.changeId.equals(head.changeIdAt())) {
      return Optional.of(historyChanged(followed.revision, head.changeIdAt()));
    }
    return Optional.empty();
  }

  /** The change at {@code revision} is not the one the node applied there. */
  static Break historyChanged(long revision, Optional<String> nowThere) {
    return new Break(
        Reload.Reason.HISTORY_CHANGED,
        "the change at revision "
            + revision
            + " is "
            + nowThere.map(id -> "'" + id + "'").orElse("gone")
            + ", not the one this node applied there (the store was put back to an earlier state"
            + " and written again)");
  }

  static Break logIncomplete(long revision) {
    return new Break(
        Reload.Reason.LOG_INCOMPLETE,
        "the store's change log does not continue from revision " + revision);
  }

  static Break afterSnapshot(Generation snapshot) {
    return new Break(
        Reload.Reason.AFTER_SNAPSHOT,
        "the store answered for the first time since this node started from its snapshot file"
            + " (revision "
            + snapshot.revision
            + " of store "
            + name(snapshot.storeId)
            + ")");
  }

  private static String name(String storeId) {
    return storeId.isEmpty() ? "(none)" : "'" + storeId + "'";
  }
}
