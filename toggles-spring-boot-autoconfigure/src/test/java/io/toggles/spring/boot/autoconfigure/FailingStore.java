package io.toggles.spring.boot.autoconfigure;

import io.toggles.Change;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.StoreException;
import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;

/** A store that fails every read while told to, as a database that went away. */
final class FailingStore implements ToggleStore {
  private final ToggleStore delegate;
  private volatile boolean failing;

  FailingStore(ToggleStore delegate) {
    this.delegate = delegate;
  }

  void fail(boolean failing) {
    this.failing = failing;
  }

  private void check() {
    if (failing) {
      throw new StoreException("store down (test)");
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
