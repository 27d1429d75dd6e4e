package io.toggles;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A number per feature key, the same in every generation, so that a {@link Feature} handle finds
 * its feature in any generation by array index instead of by name. Numbers go to the features a
 * generation holds and to the keys handles were taken for: both are bounded (by the store's
 * features and by the application's handles), unlike the names checks may pass.
 */
final class FeatureIds {
  private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  /** The key's number, assigned on first use. */
  int of(String key) {
    Integer id = ids.get(key);
    return id != null ? id : ids.computeIfAbsent(key, k -> next.getAndIncrement());
  }
}
