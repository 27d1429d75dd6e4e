package io.toggles.spring.boot.autoconfigure.hooks;

/** A source of sync events of one {@code Toggles}. */
@FunctionalInterface
public interface SyncHooks {

  /**
   * Delivers every later event to {@code listener} until the returned handle is closed.
   * Implementations call the listener off the check path; it must be quick and must not throw.
   */
  AutoCloseable subscribe(SyncListener listener);
}
