package io.toggles.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A per-thread position in a benchmark's pre-built inputs, so that each call checks another context
 * without allocating and without sharing a counter between threads.
 */
@State(Scope.Thread)
public class Cursor {
  private int i;

  /** The next index below {@code mask + 1}, a power of two. */
  int next(int mask) {
    i = (i + 1) & mask;
    return i;
  }
}
