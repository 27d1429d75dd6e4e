package io.toggles;

import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;

/** Delegates to a store, or throws {@link StoreException} on every read while {@link #down}. */
final class FlakyStore implements ToggleStore {
  private final ToggleStore delegate;
  volatile boolean down;

  FlakyStore(ToggleStore delegate) {
    this.delegate = delegate;
  }

  private void check() {
    if (down) {
      throw new StoreException("database is down");
    }
  }

  @Override
  public Hierarchy hierarchy() {
    return delegate.hierarchy();
  }

  @Override
  public long revision() {
    check();
    return delegate.revision();
  }

  @Override
  public FeatureState load(String feature) {
    check();
    return delegate.load(feature);
  }

  @Override
  public List<FeatureState> loadAll() {
    check();
    return delegate.loadAll();
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    check();
    return delegate.changesSince(revision, limit);
  }
}
