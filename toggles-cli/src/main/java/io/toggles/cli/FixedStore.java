package io.toggles.cli;

import io.toggles.Change;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;

/**
 * A read-only store holding one feature's state as read once: lets the core resolver answer for
 * exactly the state the CLI read (with its real row versions), without touching the database again.
 */
final class FixedStore implements ToggleStore {
  private final Hierarchy hierarchy;
  private final FeatureState state;

  FixedStore(Hierarchy hierarchy, FeatureState state) {
    this.hierarchy = hierarchy;
    this.state = state;
  }

  @Override
  public Hierarchy hierarchy() {
    return hierarchy;
  }

  @Override
  public long revision() {
    return state.revision();
  }

  @Override
  public FeatureState load(String feature) {
    return feature.equals(state.key()) ? state : FeatureState.absent(feature, state.revision());
  }

  @Override
  public List<FeatureState> loadAll() {
    return List.of(state);
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    return Optional.of(List.of());
  }
}
