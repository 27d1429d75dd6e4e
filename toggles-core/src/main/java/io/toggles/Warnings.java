package io.toggles;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs each distinct problem once, not once per check: a misused feature on a hot path must not
 * flood the log. Bounded, so that keys built from bad input cannot grow it without limit.
 */
final class Warnings {
  private static final int MAX_KEYS = 10_000;
  private final Logger log;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  Warnings(Logger log) {
    this.log = log;
  }

  void once(String key, String message, Object... args) {
    if (seen.size() < MAX_KEYS && seen.add(key)) {
      log.warn(message, args);
    }
  }
}
