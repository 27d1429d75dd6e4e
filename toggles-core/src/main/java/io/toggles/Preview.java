package io.toggles;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Write} would do if it were applied now: the changes it would append and the state
 * of every feature it touches before and after. Made by {@link ToggleAdmin#preview(Write, Audit)},
 * which runs the write with every rule and expectation and then rolls it back; nothing was written.
 *
 * <p>The revisions and ids of {@link #changes()} are those the write would have had if it had
 * committed at that moment; another write committed in between takes them.
 *
 * @param changes the changes the write would append, empty if it would change nothing
 * @param features every feature the write names, in the order it names them, before and after
 */
public record Preview(List<Change> changes, List<FeatureChange> features) {

  /** Copies the lists. */
  public Preview {
    changes = List.copyOf(changes);
    features = List.copyOf(features);
  }

  /** Whether the write would change nothing. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * One feature as the store holds it before the write and as it would hold it after, each as
   * {@link io.toggles.spi.ToggleStore#load(String)} would return it.
   *
   * @param before the state before, at the store's revision then
   * @param after the state after, at the revision of the write's last change
   */
  public record FeatureChange(FeatureState before, FeatureState after) {

    /**
     * Checks that both are of one feature.
     *
     * @throws IllegalArgumentException if the keys differ
     */
    public FeatureChange {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      if (!before.key().equals(after.key())) {
        throw new IllegalArgumentException(
            "before is of '" + before.key() + "' but after of '" + after.key() + "'");
      }
    }

    /** The feature key. */
    public String feature() {
      return before.key();
    }
  }
}
