package io.toggles;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks of features the node has not loaded: each asks the sync engine for the feature and waits
 * at most the miss wait. The engine loads what is asked for on the sync thread, inside a sync, so a
 * load is applied in a whole generation like any change. While the store is failing nobody waits,
 * and of the checks waiting on one load only the first waits: the rest answer at once.
 *
 * <p>Only names that may exist are asked for (declared but not loaded, or any name before the store
 * first answered), and at most {@link #MAX_PENDING} at a time, so names from requests cannot grow
 * this.
 */
final class MissLoads {
  static final int MAX_PENDING = 1_024;
  private static final Logger LOG = LoggerFactory.getLogger(Toggles.class);

  private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
  private final long waitNanos;
  private final Runnable requestSync;
  private final BooleanSupplier storeFailing;
  private final Warnings warnings;
  private volatile boolean closed;

  private static final class Pending {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile boolean slow;
  }

  MissLoads(long waitNanos, Runnable requestSync, BooleanSupplier storeFailing, Warnings warnings) {
    this.waitNanos = waitNanos;
    this.requestSync = requestSync;
    this.storeFailing = storeFailing;
    this.warnings = warnings;
  }

  /** Asks for {@code feature} without waiting (a handle taken before its feature is loaded). */
  void request(String feature) {
    if (!closed
        && pending.size() < MAX_PENDING
        && pending.putIfAbsent(feature, new Pending()) == null) {
      requestSync.run();
    }
  }

  /**
   * Asks for {@code feature} and waits for the sync that handles it, at most the miss wait.
   *
   * @return whether that sync is done (then read the published generation again)
   */
  boolean await(String feature) {
    if (closed) {
      return false;
    }
    Pending p = pending.get(feature);
    if (p == null) {
      if (pending.size() >= MAX_PENDING) {
        requestSync.run();
        return false;
      }
      Pending mine = new Pending();
      p = pending.putIfAbsent(feature, mine);
      if (p == null) {
        p = mine;
        requestSync.run(); // may run the sync right here (an inline executor)
      }
    }
    if (p.done.isDone()) {
      return !p.done.isCompletedExceptionally();
    }
    if (p.slow || storeFailing.getAsBoolean() || waitNanos == 0) {
      return false;
    }
    try {
      p.done.get(waitNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      p.slow = true;
      if (warnings.first("slow", feature)) {
        LOG.warn(
            "toggles: loading '{}' takes longer than the miss wait; answering defaults meanwhile",
            feature);
      }
      return false;
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The features asked for and not yet handled. */
  Set<String> waiting() {
    return pending.isEmpty() ? Set.of() : new HashSet<>(pending.keySet());
  }

  /** A sync handled these: it published a generation with them loaded, or knows they are not. */
  void handled(Set<String> features) {
    for (String f : features) {
      Pending p = pending.remove(f);
      if (p != null) {
        p.done.complete(null);
      }
    }
  }

  /**
   * The sync meant to handle these failed: their checks stop waiting; the next check asks again.
   */
  void failed(Set<String> features, RuntimeException e) {
    for (String f : features) {
      Pending p = pending.remove(f);
      if (p != null) {
        p.done.completeExceptionally(e);
      }
    }
  }

  int size() {
    return pending.size();
  }

  void close() {
    closed = true;
    failed(waiting(), new IllegalStateException("toggles closed"));
  }
}
