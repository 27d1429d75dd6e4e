package io.toggles.jdbc;

import io.toggles.Toggles;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Opens stores and toggles for multi-node and fault tests and closes them (last opened first);
 * waits on conditions with deadlines instead of sleeping.
 */
final class Nodes implements AutoCloseable {
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** A store on its own pool, as a separate node would have. */
  JdbcStore store(String url, String prefix) {
    return keep(
        JdbcStore.builder(url)
            .tablePrefix(prefix)
            .connectionTimeout(Duration.ofMillis(500))
            .build());
  }

  Toggles toggles(Toggles.Builder builder) {
    return keep(builder.build());
  }

  <T extends AutoCloseable> T keep(T closeable) {
    opened.push(closeable);
    return closeable;
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Returns once {@code condition} holds; fails saying {@code what} after {@code limit}. */
  static void await(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      // Poll the condition every 100 microseconds without hogging a core from the threads under
      // test.
      LockSupport.parkNanos(100_000);
    }
  }

  /** The percentile {@code p} (0 to 100) of sorted millisecond figures. */
  static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
