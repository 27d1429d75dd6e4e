package io.toggles;

import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A store whose storage is down: every read throws {@link StoreException}. */
final class ThrowingStore implements ToggleStore {
  final AtomicInteger loads = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();
  private final Hierarchy hierarchy;

  ThrowingStore(Hierarchy hierarchy) {
    this.hierarchy = hierarchy;
  }

  @Override
  public Hierarchy hierarchy() {
    return hierarchy;
  }

  @Override
  public long revision() {
    reads.incrementAndGet();
    throw new StoreException("database is down");
  }

  @Override
  public FeatureState load(String feature) {
    loads.incrementAndGet();
    reads.incrementAndGet();
    throw new StoreException("database is down");
  }

  @Override
  public List<FeatureState> loadAll() {
    reads.incrementAndGet();
    throw new StoreException("database is down");
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    reads.incrementAndGet();
    throw new StoreException("database is down");
  }
}
