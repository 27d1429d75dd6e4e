package io.toggles.spring.boot.autoconfigure;

import io.toggles.Change;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.StoreException;
import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates to a store, counting its open change subscriptions, failing every read while told to (a
 * database that went away), and running a hook before each read.
 */
final class RecordingStore implements ToggleStore {
  private final ToggleStore delegate;
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean failing;
  private volatile Runnable beforeRead = () -> {};

  RecordingStore(ToggleStore delegate) {
    this.delegate = delegate;
  }

  int openSubscriptions() {
    return open.get();
  }

  void fail(boolean failing) {
    this.failing = failing;
  }

  /** Runs {@code hook} before every read (to move a test's clock or ticker during a sync). */
  void beforeRead(Runnable hook) {
    this.beforeRead = hook;
  }

  private ToggleStore reachable() {
    beforeRead.run();
    if (failing) {
      throw new StoreException("store down (test)");
    }
    return delegate;
  }

  @Override
  public Hierarchy hierarchy() {
    return delegate.hierarchy();
  }

  @Override
  public long revision() {
    return reachable().revision();
  }

  @Override
  public FeatureState load(String feature) {
    return reachable().load(feature);
  }

  @Override
  public List<FeatureState> loadAll() {
    return reachable().loadAll();
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    return reachable().changesSince(revision, limit);
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
