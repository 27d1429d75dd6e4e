package io.toggles.spring.boot.autoconfigure;

import io.toggles.Change;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A store whose every read hangs until released: a database that stopped answering. */
final class HangingStore implements ToggleStore {
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger loadAll = new AtomicInteger();

  void release() {
    released.countDown();
  }

  int loadAllCalls() {
    return loadAll.get();
  }

  private void hang() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new io.toggles.StoreException("released");
  }

  @Override
  public Hierarchy hierarchy() {
    return Hierarchy.DEFAULT;
  }

  @Override
  public long revision() {
    hang();
    return 0;
  }

  @Override
  public FeatureState load(String feature) {
    hang();
    return FeatureState.absent(feature, 0);
  }

  @Override
  public List<FeatureState> loadAll() {
    loadAll.incrementAndGet();
    hang();
    return List.of();
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    hang();
    return Optional.empty();
  }
}
