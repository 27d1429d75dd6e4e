package io.toggles;

/**
 * A monotonic source of nanoseconds, for measuring elapsed time (how long since the last successful
 * sync) without being fooled by steps of the wall clock, as Caffeine's {@code Ticker}. Inject one
 * per instance with {@link Toggles.Builder#ticker(Ticker)} to drive health in tests without
 * sleeping. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds since an arbitrary origin; only differences between two reads mean anything. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
