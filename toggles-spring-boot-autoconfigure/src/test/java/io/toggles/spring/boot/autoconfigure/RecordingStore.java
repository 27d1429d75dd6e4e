package io.toggles.spring.boot.autoconfigure;

import io.toggles.Change;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that counts its open change subscriptions, delegating everything else. */
final class RecordingStore implements ToggleStore {
  private final ToggleStore delegate;
  private final AtomicInteger open = new AtomicInteger();

  RecordingStore(ToggleStore delegate) {
    this.delegate = delegate;
  }

  int openSubscriptions() {
    return open.get();
  }

  @Override
  public Hierarchy hierarchy() {
    return delegate.hierarchy();
  }

  @Override
  public long revision() {
    return delegate.revision();
  }

  @Override
  public FeatureState load(String feature) {
    return delegate.load(feature);
  }

  @Override
  public List<FeatureState> loadAll() {
    return delegate.loadAll();
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    return delegate.changesSince(revision, limit);
  }

  @Override
  public Subscription subscribe(Runnable onChange) {
    open.incrementAndGet();
    Subscription s = delegate.subscribe(onChange);
    return () -> {
      open.decrementAndGet();
      s.close();
    };
  }
}
