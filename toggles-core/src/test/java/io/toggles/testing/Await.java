package io.toggles.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one way tests wait: on a condition, with a deadline, never by sleeping a fixed time. The
 * condition is polled every 100 microseconds (parked, so the threads under test keep the cores).
 */
public final class Await {
  private static final long POLL_NANOS = 100_000;

  private Await() {}

  /**
   * Returns as soon as {@code condition} holds.
   *
   * @param what what is awaited, for the failure message
   * @param limit how long it may take: generous, since the machine may be loaded
   * @throws AssertionError saying {@code what} if it does not hold within {@code limit}
   */
  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
