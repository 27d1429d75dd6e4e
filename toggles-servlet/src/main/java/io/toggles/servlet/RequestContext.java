package io.toggles.servlet;

import io.toggles.Context;
import io.toggles.Hierarchy;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Context} of the request the current thread serves, bound by {@link TogglesFilter} for
 * the duration of the filter chain, so that application code can check toggles without passing the
 * context around:
 *
 * <pre>{@code
 * if (toggles.isEnabled("new-checkout", RequestContext.current())) { ... }
 * }</pre>
 *
 * <p><b>Threads.</b> The binding belongs to the thread that runs the filter chain and is removed
 * when the chain returns, also when it throws and also when the request went asynchronous ({@code
 * startAsync}): the container thread never keeps it. Work that continues the request on another
 * thread (an executor, {@code AsyncContext.start}, a {@code CompletableFuture} stage) sees no
 * binding unless it carries the context there: wrap the task with {@link #wrap(Runnable)} or {@link
 * #wrap(Callable)} on the request thread, or bind explicitly with {@link #bind(Context)} in a
 * try-with-resources block. An {@code AsyncContext.dispatch} back into a filter chain that maps
 * {@link TogglesFilter} for {@code DispatcherType.ASYNC} is bound again by the filter.
 *
 * <p>All methods are static and thread-safe; each thread sees only its own binding.
 */
public final class RequestContext {
  private static final ThreadLocal<@Nullable Context> BOUND = new ThreadLocal<>();
  private static final Context EMPTY_DEFAULT = Context.empty(Hierarchy.DEFAULT);

  private RequestContext() {}

  /**
   * The context bound to this thread, or, when none is bound, the empty context of {@link
   * Hierarchy#DEFAULT} (only global rows match it). Applications with another hierarchy should call
   * {@link #current(Hierarchy)}, whose fallback is the empty context of their hierarchy. Never
   * throws, allocates nothing.
   */
  public static Context current() {
    Context c = BOUND.get();
    return c != null ? c : EMPTY_DEFAULT;
  }

  /**
   * The context bound to this thread, or, when none is bound, the empty context of {@code
   * hierarchy}: outside a request a check sees no scope and answers global rows and defaults. Never
   * throws.
   */
  public static Context current(Hierarchy hierarchy) {
    Context c = BOUND.get();
    if (c != null) {
      return c;
    }
    return hierarchy.equals(Hierarchy.DEFAULT) ? EMPTY_DEFAULT : Context.empty(hierarchy);
  }

  /** The context bound to this thread, if any. */
  public static Optional<Context> bound() {
    return Optional.ofNullable(BOUND.get());
  }

  /**
   * Binds {@code context} to this thread until the returned binding is closed, which restores what
   * was bound before (usually nothing). Use it in try-with-resources, on the thread that will run
   * the work:
   *
   * <pre>{@code
   * try (RequestContext.Binding b = RequestContext.bind(context)) {
   *   ...
   * }
   * }</pre>
   *
   * @throws NullPointerException if {@code context} is null
   */
  public static Binding bind(Context context) {
    Objects.requireNonNull(context, "context");
    Binding b = new Binding(BOUND.get());
    BOUND.set(context);
    return b;
  }

  /**
   * A task that runs {@code task} with the context bound to this thread now (or with none, if none
   * is bound now), on whatever thread runs it, and afterwards restores that thread's previous
   * binding. Call it on the request thread, hand the result to the other thread.
   */
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    Context captured = BOUND.get();
    return () -> {
      Context previous = BOUND.get();
      set(captured);
      try {
        task.run();
      } finally {
        set(previous);
      }
    };
  }

  /** As {@link #wrap(Runnable)}, for a task with a result. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    Context captured = BOUND.get();
    return () -> {
      Context previous = BOUND.get();
      set(captured);
      try {
        return task.call();
      } finally {
        set(previous);
      }
    };
  }

  static void set(@Nullable Context context) {
    if (context == null) {
      BOUND.remove();
    } else {
      BOUND.set(context);
    }
  }

  /**
   * An open binding made by {@link #bind(Context)}. Close it on the thread that opened it; closing
   * twice does nothing more. Not thread-safe.
   */
  public static final class Binding implements AutoCloseable {
    private final @Nullable Context previous;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private Binding(@Nullable Context previous) {
      this.previous = previous;
    }

    /**
     * Restores the binding that was in place before this one.
     *
     * @throws IllegalStateException if called on another thread than the one that bound
     */
    @Override
    public void close() {
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException(
            "a RequestContext binding must be closed on the thread that made it ("
                + owner.getName()
                + "), not on "
                + Thread.currentThread().getName());
      }
      if (!closed) {
        closed = true;
        set(previous);
      }
    }
  }
}
