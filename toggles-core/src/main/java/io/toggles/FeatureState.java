package io.toggles;

import java.util.List;
import java.util.Optional;

/**
 * Everything a store knows about one feature at one revision: its declaration, its kill switch and
 * its rows. This is what a {@link io.toggles.spi.ToggleStore} loads and what {@link Toggles}
 * indexes.
 *
 * @param key the feature key
 * @param definition the declaration, empty for an undeclared feature
 * @param killed whether the kill switch is on
 * @param rows the feature's rows, in any order, at most one per scope
 * @param revision the store revision this state is consistent with
 */
public record FeatureState(
    String key,
    Optional<FeatureDefinition> definition,
    boolean killed,
    List<Setting> rows,
    long revision) {

  /** Copies the rows and checks that the definition's key is this key. */
  public FeatureState {
    FeatureDefinition.requireValidKey(key);
    if (definition.isPresent() && !definition.get().key().equals(key)) {
      throw new IllegalArgumentException(
          "definition of '" + definition.get().key() + "' given for feature '" + key + "'");
    }
    rows = List.copyOf(rows);
  }

  /** The state of a feature the store has never heard of. */
  public static FeatureState absent(String key, long revision) {
    return new FeatureState(key, Optional.empty(), false, List.of(), revision);
  }
}
