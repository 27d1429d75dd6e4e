package io.toggles;

import io.toggles.spi.StoreContents;
import io.toggles.spi.StoreHead;
import io.toggles.spi.ToggleStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store in front of an {@link InMemoryStore} that can be taken down, made to hang (a call that
 * never returns until released, as on a half-open connection), switched to another store (a restore
 * or a failover: {@link #delegate(InMemoryStore)}), and counted per method.
 */
final class ControllableStore implements ToggleStore {
  enum Mode {
    UP,
    DOWN,
    HANG
  }

  private volatile InMemoryStore delegate;
  private volatile Mode mode = Mode.UP;
  private volatile CountDownLatch release = new CountDownLatch(1);
  private volatile Runnable listener = () -> {};
  private volatile Runnable beforeChanges = () -> {};
  private volatile InMemoryStore loadsFrom;
  final AtomicInteger revisionCalls = new AtomicInteger();
  final AtomicInteger headCalls = new AtomicInteger();
  final AtomicInteger loadCalls = new AtomicInteger();
  final AtomicInteger loadAllCalls = new AtomicInteger();
  final AtomicInteger contentsCalls = new AtomicInteger();
  final AtomicInteger declaredCalls = new AtomicInteger();
  final AtomicInteger changesCalls = new AtomicInteger();

  ControllableStore(InMemoryStore delegate) {
    this.delegate = delegate;
  }

  /** The store behind this one now. */
  InMemoryStore delegate() {
    return delegate;
  }

  /** Puts another store behind this one: a restore from a copy, or a failover. */
  void delegate(InMemoryStore next) {
    this.delegate = next;
  }

  /** Runs {@code hook} at the start of every change-log read (to restore a store mid-sync). */
  void beforeChanges(Runnable hook) {
    this.beforeChanges = hook;
  }

  /**
   * Answers {@link #load} from {@code lagging} (a replica behind the store that answers the head
   * and the change log), or from the store itself again with null.
   */
  void loadsFrom(InMemoryStore lagging) {
    this.loadsFrom = lagging;
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
    headCalls.set(0);
    loadCalls.set(0);
    loadAllCalls.set(0);
    contentsCalls.set(0);
    declaredCalls.set(0);
    changesCalls.set(0);
  }

  /** Every call that reads the store, of any method. */
  int calls() {
    return revisionCalls.get()
        + headCalls.get()
        + loadCalls.get()
        + loadAllCalls.get()
        + contentsCalls.get()
        + declaredCalls.get()
        + changesCalls.get();
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
  public String locator() {
    return delegate.locator();
  }

  @Override
  public long revision() {
    revisionCalls.incrementAndGet();
    gate();
    return delegate.revision();
  }

  @Override
  public StoreHead head(long at) {
    headCalls.incrementAndGet();
    gate();
    return delegate.head(at);
  }

  @Override
  public FeatureState load(String feature) {
    loadCalls.incrementAndGet();
    gate();
    InMemoryStore lagging = loadsFrom;
    return (lagging != null ? lagging : delegate).load(feature);
  }

  @Override
  public List<FeatureState> loadAll() {
    loadAllCalls.incrementAndGet();
    gate();
    return delegate.loadAll();
  }

  @Override
  public StoreContents loadContents() {
    contentsCalls.incrementAndGet();
    gate();
    return delegate.loadContents();
  }

  @Override
  public Set<String> declaredFeatures() {
    declaredCalls.incrementAndGet();
    gate();
    return delegate.declaredFeatures();
  }

  @Override
  public Optional<List<Change>> changesSince(long revision, int limit) {
    changesCalls.incrementAndGet();
    gate();
    beforeChanges.run();
    return delegate.changesSince(revision, limit);
  }

  @Override
  public Subscription subscribe(Runnable onChange) {
    this.listener = onChange;
    return () -> this.listener = () -> {};
  }
}
