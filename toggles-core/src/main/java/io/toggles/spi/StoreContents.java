package io.toggles.spi;

import io.toggles.FeatureState;
import java.util.List;

/**
 * Everything a store holds, read as one consistent snapshot: its head (identity, revision, and the
 * id of the change at that revision) and every feature that is declared or has rows, each at that
 * revision.
 *
 * @param head the store's head at the snapshot; {@code head.changeIdAt()} is the id of the change
 *     at {@code head.revision()}
 * @param features every feature that is declared or has rows
 */
public record StoreContents(StoreHead head, List<FeatureState> features) {

  /** Copies the list. */
  public StoreContents {
    if (head == null) {
      throw new NullPointerException("head");
    }
    features = List.copyOf(features);
  }
}
