package io.toggles;

import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store in front of an {@link InMemoryStore} that can be taken down, made to hang, and counted.
 */
final class ControllableStore implements ToggleStore {
  enum Mode {
    UP,
    DOWN,
    HANG
  }

  final InMemoryStore delegate;
  private volatile Mode mode = Mode.UP;
  private volatile CountDownLatch release = new CountDownLatch(1);
  private volatile Runnable listener = () -> {};
  final AtomicInteger revisionCalls = new AtomicInteger();
  final AtomicInteger loadCalls = new AtomicInteger();
  final AtomicInteger loadAllCalls = new AtomicInteger();
  final AtomicInteger changesCalls = new AtomicInteger();

  ControllableStore(InMemoryStore delegate) {
    this.delegate = delegate;
  }

  void mode(Mode mode) {
    if (mode == Mode.HANG) {
      release = new CountDownLatch(1);
      this.mode = mode;
    } else {
      this.mode = mode;
      release.countDown();
    }
  }

  void resetCounts() {
    revisionCalls.set(0);
    loadCalls.set(0);
    loadAllCalls.set(0);
    changesCalls.set(0);
  }

  void notifyChange() {
    listener.run();
  }

  private void gate() {
    Mode m = mode;
    if (m == Mode.HANG) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      m = mode;
    }
    if (m != Mode.UP) {
      throw new StoreException("database unreachable (test)");
    }
  }

  @Override
  public Hierarchy hierarchy() {
    return delegate.hierarchy();
  }

  @Override
  public long revision() {
    revisionCalls.incrementAndGet();
    gate();
    return delegate.revision();
  }

  @Override
  public FeatureState load(String feature) {
    loadCalls.incrementAndGet();
    gate();
    return delegate.load(feature);
  }

  @Override
  public List<FeatureState> loadAll() {
    loadAllCalls.incrementAndGet();
    gate();
    return delegate.loadAll();
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    changesCalls.incrementAndGet();
    gate();
    return delegate.changesSince(revision, limit);
  }

  @Override
  public Subscription subscribe(Runnable onChange) {
    this.listener = onChange;
    return () -> this.listener = () -> {};
  }
}
