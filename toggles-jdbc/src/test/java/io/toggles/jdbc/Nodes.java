package io.toggles.jdbc;

import io.toggles.Toggles;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Opens stores and toggles for multi-node and fault tests and closes them (last opened first).
 * Tests wait with {@link io.toggles.testing.Await}.
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

  /** Closes everything, last opened first; the first failure is rethrown after the rest closed. */
  @Override
  public void close() {
    RuntimeException first = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The percentile {@code p} (0 to 100) of sorted millisecond figures. */
  static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
