package io.toggles;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link TogglesListener} events on one notifier thread of its own, started with the first
 * listener: never on the sync thread, so a slow listener cannot delay a sync, and never on a
 * checking thread. The same thread watches health, so that a transition to STALE or ERROR is heard
 * while a sync hangs. Without listeners it costs nothing: no thread, no event built.
 */
final class Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Toggles.class);
  static final int MAX_QUEUED = 10_000;

  private final List<TogglesListener> listeners = new CopyOnWriteArrayList<>();
  private final Supplier<Health> health;
  private final long watchNanos;
  private final AtomicInteger queued = new AtomicInteger();
  private final Warnings warnings;
  private @Nullable ScheduledThreadPoolExecutor thread;
  private Health.@Nullable Status lastStatus; // notifier thread only
  private boolean closed;

  Notifier(Supplier<Health> health, Duration watchEvery, Warnings warnings) {
    this.health = health;
    this.watchNanos = watchEvery.toNanos();
    this.warnings = warnings;
  }

  TogglesListener.Subscription subscribe(TogglesListener listener) {
    if (listener == null) {
      throw new NullPointerException("listener");
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("toggles are closed");
      }
      if (thread == null) {
        thread = new ScheduledThreadPoolExecutor(1, Threads.daemon("toggles-notify"));
        thread.setRemoveOnCancelPolicy(true);
        Health now = health.get();
        thread.execute(() -> lastStatus = now.status());
        thread.scheduleWithFixedDelay(
            this::watchHealth, watchNanos, watchNanos, TimeUnit.NANOSECONDS);
      }
      listeners.add(listener);
    }
    return () -> listeners.remove(listener);
  }

  boolean hasListeners() {
    return !listeners.isEmpty();
  }

  /** Calls every listener with {@code event} on the notifier thread. */
  void post(Consumer<TogglesListener> event) {
    if (listeners.isEmpty()) {
      return;
    }
    run(
        () -> {
          for (TogglesListener l : listeners) {
            try {
              event.accept(l);
            } catch (RuntimeException | Error e) {
              LOG.warn("toggles: listener {} threw; ignoring it for this event", l, e);
            }
          }
        });
  }

  /** Compares the health with the last heard status, on the notifier thread. */
  void healthMayHaveChanged() {
    if (!listeners.isEmpty()) {
      run(this::watchHealth);
    }
  }

  private void watchHealth() {
    Health h = health.get();
    Health.Status previous = lastStatus;
    if (previous != null && previous != h.status()) {
      TogglesListener.HealthChanged e = new TogglesListener.HealthChanged(previous, h);
      for (TogglesListener l : listeners) {
        try {
          l.onHealth(e);
        } catch (RuntimeException | Error ex) {
          LOG.warn("toggles: listener {} threw; ignoring it for this event", l, ex);
        }
      }
    }
    lastStatus = h.status();
  }

  private void run(Runnable task) {
    ScheduledThreadPoolExecutor t;
    synchronized (this) {
      t = thread;
    }
    if (t == null) {
      return;
    }
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      if (warnings.first("listeners", "slow")) {
        LOG.warn(
            "toggles: listeners are {} events behind; dropping events until they catch up",
            MAX_QUEUED);
      }
      return;
    }
    try {
      t.execute(
          () -> {
            queued.decrementAndGet();
            task.run();
          });
    } catch (RejectedExecutionException e) {
      queued.decrementAndGet(); // closed
    }
  }

  /** Removes every listener and stops the thread. */
  void close() {
    ScheduledThreadPoolExecutor t;
    synchronized (this) {
      closed = true;
      listeners.clear();
      t = thread;
    }
    if (t != null) {
      t.shutdownNow();
    }
  }
}
