package io.toggles.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline; never sleeps a fixed time to wait. */
final class Wait {
  private Wait() {}

  static void until(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + deadline);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
