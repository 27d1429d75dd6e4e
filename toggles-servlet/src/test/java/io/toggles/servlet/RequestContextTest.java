package io.toggles.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.Context;
import io.toggles.Hierarchy;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestContextTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  @AfterEach
  void cleanUp() {
    other.shutdownNow();
    assertThat(RequestContext.bound()).as("a test leaked a binding").isEmpty();
  }

  @Test
  void unboundThreadSeesTheEmptyContext() {
    assertThat(RequestContext.bound()).isEmpty();
    assertThat(RequestContext.current()).isEqualTo(Context.empty(Hierarchy.DEFAULT));
    Hierarchy custom = Hierarchy.of("tenant");
    assertThat(RequestContext.current(custom)).isEqualTo(Context.empty(custom));
  }

  @Test
  void bindingIsVisibleUntilClosedAndRestoresTheOuterBinding() {
    Context outer = Context.of(H, "p1", null, null);
    Context inner = Context.of(H, "p2", "m2", null);
    RequestContext.Binding b = RequestContext.bind(outer);
    assertThat(RequestContext.current()).isSameAs(outer);
    RequestContext.Binding b2 = RequestContext.bind(inner);
    assertThat(RequestContext.current(H)).isSameAs(inner);
    b2.close();
    assertThat(RequestContext.current()).isSameAs(outer);
    b.close();
    assertThat(RequestContext.bound()).isEmpty();
    b.close(); // closing twice does nothing more
    b2.close();
    assertThat(RequestContext.bound()).isEmpty();
  }

  @Test
  void bindingMustBeClosedOnItsOwnThread() throws Exception {
    RequestContext.Binding b = RequestContext.bind(Context.of(H, "p1", null, null));
    try {
      Callable<Object> closeElsewhere =
          () -> {
            b.close();
            return "closed";
          };
      assertThatThrownBy(() -> other.submit(closeElsewhere).get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed on the thread that made it");
    } finally {
      b.close();
    }
  }

  @Test
  void wrapCarriesTheContextToAnotherThreadAndRestoresItsBinding() throws Exception {
    Context ctx = Context.of(H, "p1", "m1", "DE");
    Runnable seen;
    Callable<Context> seenCallable;
    RequestContext.Binding b = RequestContext.bind(ctx);
    try {
      seenCallable = RequestContext.wrap(() -> RequestContext.current());
      Context[] box = new Context[1];
      seen =
          RequestContext.wrap(
              () -> {
                box[0] = RequestContext.current();
              });
      other.submit(seen).get(5, TimeUnit.SECONDS);
      assertThat(box[0]).isSameAs(ctx);
    } finally {
      b.close();
    }
    assertThat(other.submit(seenCallable).get(5, TimeUnit.SECONDS)).isSameAs(ctx);
    assertThat(other.submit(RequestContext::bound).get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void wrapRestoresTheBindingOfTheThreadThatRunsIt() throws Exception {
    Context captured = Context.of(H, "p1", null, null);
    Context own = Context.of(H, "own", null, null);
    Runnable task;
    RequestContext.Binding b = RequestContext.bind(captured);
    try {
      task =
          RequestContext.wrap(
              () -> {
                assertThat(RequestContext.current()).isSameAs(captured);
              });
    } finally {
      b.close();
    }
    RequestContext.Binding b2 = RequestContext.bind(own);
    try {
      task.run(); // run on this thread, e.g. by a caller-runs executor
      assertThat(RequestContext.current()).isSameAs(own);
    } finally {
      b2.close();
    }
  }

  @Test
  void wrapRestoresTheBindingEvenWhenTheTaskThrows() throws Exception {
    Runnable failing;
    RequestContext.Binding b = RequestContext.bind(Context.of(H, "p1", null, null));
    try {
      failing =
          RequestContext.wrap(
              (Runnable)
                  () -> {
                    throw new IllegalStateException("task failed");
                  });
    } finally {
      b.close();
    }
    assertThatThrownBy(() -> other.submit(failing).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(other.submit(RequestContext::bound).get(5, TimeUnit.SECONDS)).isEmpty();
  }
}
