package io.toggles;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * Decides which problems to log: each distinct one once, not once per check, so that a misused
 * feature on a hot path cannot flood the log. Bounded: subjects come from callers (feature names,
 * possibly from requests), so after {@link #MAX_PER_KIND} distinct subjects of one kind (and {@link
 * #MAX_SUBJECTS} in all) it remembers no more and says so once. Asking about a problem already seen
 * allocates nothing.
 */
final class Warnings {
  static final int MAX_PER_KIND = 100;
  static final int MAX_SUBJECTS = 1_000;
  private final Logger log;
  private final ConcurrentMap<Object, Set<Object>> seen = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean full = new AtomicBoolean();
  // Marks a kind whose limit was reported; one more entry than the limit, at most.
  private static final Object FULL = new Object();

  Warnings(Logger log) {
    this.log = log;
  }

  /**
   * Whether this is the first time problem {@code kind} is seen for {@code subject}: then the
   * caller logs it. Callers log after asking, so that a repeated problem builds no arguments.
   */
  boolean first(Object kind, Object subject) {
    Set<Object> s = seen.get(kind);
    if (s == null) {
      s = seen.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet());
    }
    if (s.contains(subject)) {
      return false;
    }
    if (s.size() >= MAX_PER_KIND) {
      if (s.add(FULL)) {
        log.warn(
            "toggles: {} distinct problems of kind '{}' were logged once each; further ones are"
                + " not",
            MAX_PER_KIND,
            kind);
      }
      return false;
    }
    if (size.get() >= MAX_SUBJECTS) {
      if (full.compareAndSet(false, true)) {
        log.warn(
            "toggles: {} distinct problems were logged once each; further ones are not",
            MAX_SUBJECTS);
      }
      return false;
    }
    if (s.add(subject)) {
      size.incrementAndGet();
      return true;
    }
    return false;
  }

  /** How many distinct problems are remembered. */
  int size() {
    return size.get();
  }
}
