package io.toggles.jdbc;

import io.toggles.spi.ToggleStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL LISTEN for one store: one daemon thread and one dedicated connection (outside the
 * pool) shared by all of the store's subscribers. The driver only delivers notifications while the
 * connection is being read, so the thread reads it in a loop with a short timeout. On any failure
 * it closes the connection, tells the subscribers (so they resync from the change log) and
 * reconnects with capped, jittered backoff; once listening again it tells them once more, since
 * notifications sent meanwhile were lost.
 *
 * <p>Only this class touches the PostgreSQL driver's API, so the driver stays an optional
 * dependency of the store.
 */
final class PgListener {
  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
  private static final int POLL_MILLIS = 250;
  private static final long VALIDATE_AFTER_NANOS = Duration.ofSeconds(10).toNanos();
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  /** Opens the dedicated connection. */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final String channel;
  private final ConnectionSource source;
  private final Supplier<Dialect> dialect;
  private final int validationSeconds;
  private final String threadName;
  private final CopyOnWriteArrayList<Runnable> subscribers = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private @Nullable Thread thread; // guarded by lock
  private boolean closed; // guarded by lock
  private boolean unsupported; // guarded by lock
  private volatile boolean listening;

  /**
   * @param channel the channel, a lower-case identifier (writes notify it)
   * @param source opens the dedicated connection
   * @param dialect the store's dialect, detecting it if needed (may throw while unreachable)
   * @param validationTimeout how long a liveness check of a quiet connection may take
   */
  PgListener(
      String channel,
      ConnectionSource source,
      Supplier<Dialect> dialect,
      Duration validationTimeout,
      String threadName) {
    this.channel = channel;
    this.source = source;
    this.dialect = dialect;
    this.validationSeconds = (int) Math.max(1, (validationTimeout.toMillis() + 999) / 1000);
    this.threadName = threadName;
  }

  /** Adds a subscriber, starting the thread if it is not running. */
  ToggleStore.Subscription subscribe(Runnable onChange) {
    synchronized (lock) {
      if (closed || unsupported) {
        return () -> {};
      }
      subscribers.add(onChange);
      if (thread == null) {
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
      }
    }
    return () -> unsubscribe(onChange);
  }

  private void unsubscribe(Runnable onChange) {
    Thread stopping;
    synchronized (lock) {
      if (!subscribers.remove(onChange) || !subscribers.isEmpty()) {
        return;
      }
      stopping = thread;
      thread = null;
      lock.notifyAll();
    }
    join(stopping);
  }

  /** Stops the thread and refuses new subscribers. Idempotent. */
  void close() {
    Thread stopping;
    synchronized (lock) {
      closed = true;
      subscribers.clear();
      stopping = thread;
      thread = null;
      lock.notifyAll();
    }
    join(stopping);
  }

  /** Whether the dedicated connection is currently listening (for tests and diagnostics). */
  boolean listening() {
    return listening;
  }

  private static void join(@Nullable Thread t) {
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      // The thread notices within one read timeout; a connect in progress is bounded by the
      // connection timeout, and the daemon thread then exits on its own.
      t.join(2 * POLL_MILLIS + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean current() {
    synchronized (lock) {
      return thread == Thread.currentThread();
    }
  }

  private void run() {
    long backoff = FIRST_BACKOFF_MILLIS;
    boolean everListened = false;
    while (current()) {
      Connection c = null;
      boolean wasListening = false;
      try {
        if (dialect.get() != Dialect.POSTGRESQL) {
          giveUp(null);
          return;
        }
        c = source.open();
        org.postgresql.PGConnection pg;
        try {
          pg = c.unwrap(org.postgresql.PGConnection.class);
        } catch (SQLException e) {
          giveUp("the connection is not a PostgreSQL driver connection (" + e.getMessage() + ")");
          return;
        }
        c.setAutoCommit(true); // LISTEN in an open transaction would wait for its commit
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + channel);
        } catch (SQLException e) {
          if (Errors.classify(e) != Errors.Kind.UNREACHABLE) {
            giveUp("LISTEN failed (" + e.getMessage() + ")");
            return;
          }
          throw e;
        }
        listening = true;
        wasListening = true;
        backoff = FIRST_BACKOFF_MILLIS;
        if (everListened) {
          LOG.info("toggles: listening for changes on channel {} again", channel);
          fire(); // what was notified while we were away is lost: resync from the change log
        }
        everListened = true;
        long quietSince = System.nanoTime();
        while (current()) {
          org.postgresql.PGNotification[] got = pg.getNotifications(POLL_MILLIS);
          if (got != null && got.length > 0) {
            fire();
            quietSince = System.nanoTime();
          } else if (System.nanoTime() - quietSince > VALIDATE_AFTER_NANOS) {
            // A silently dropped connection never fails a read: probe it now and then.
            if (!c.isValid(validationSeconds)) {
              throw new SQLException("the LISTEN connection is no longer valid", "08006");
            }
            quietSince = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        if (!current()) {
          break;
        }
        if (wasListening) {
          LOG.warn(
              "toggles: lost the LISTEN connection on channel {}, polling until it is back: {}",
              channel,
              e.toString());
          fire(); // the poller resyncs (and reports the outage if the store is down)
        } else {
          LOG.debug("toggles: cannot listen on channel {} yet: {}", channel, e.toString());
        }
      } finally {
        boolean healthy = listening;
        listening = false;
        if (healthy) {
          unlistenQuietly(c); // stopped on purpose: a pooled connection must not keep listening
        }
        closeQuietly(c);
      }
      backoff = pause(backoff);
    }
  }

  /** Waits the backoff (or until stopped) and returns the next one. */
  private long pause(long backoff) {
    long jittered = backoff + ThreadLocalRandom.current().nextLong(backoff / 5 + 1);
    long deadline = System.nanoTime() + jittered * 1_000_000L;
    synchronized (lock) {
      long left;
      while (thread == Thread.currentThread() && (left = deadline - System.nanoTime()) > 0) {
        try {
          lock.wait(Math.max(1, left / 1_000_000L));
        } catch (InterruptedException e) {
          thread = null; // interrupted by someone else: stop rather than spin
          return backoff;
        }
      }
    }
    return Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
  }

  private void giveUp(@Nullable String why) {
    synchronized (lock) {
      unsupported = true;
      if (thread == Thread.currentThread()) {
        thread = null;
      }
    }
    if (why != null) {
      LOG.warn(
          "toggles: not listening for changes on channel {}: {}; polling alone bounds staleness",
          channel,
          why);
    }
  }

  private void fire() {
    for (Runnable r : subscribers) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("toggles: a change subscriber failed: {}", e.toString());
      }
    }
  }

  private static void unlistenQuietly(@Nullable Connection c) {
    if (c == null) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.execute("UNLISTEN *");
    } catch (SQLException | RuntimeException e) {
      // closing it next anyway
    }
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // already broken; nothing more to release
    }
  }
}
