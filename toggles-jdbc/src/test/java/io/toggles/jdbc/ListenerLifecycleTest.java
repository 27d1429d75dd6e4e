package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.Toggles;
import io.toggles.jdbc.testing.TestDatabases;
import io.toggles.spi.ToggleStore;
import io.toggles.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One listener thread per store, started by subscribing and stopped promptly by closing. */
class ListenerLifecycleTest {
  private static final Duration PROMPTLY = Duration.ofSeconds(1);
  private final Nodes nodes = new Nodes();

  @AfterEach
  void closeNodes() throws Exception {
    nodes.close();
  }

  private static long listenerThreads(String prefix) {
    String name = "toggles-listen-" + prefix.replaceAll("_+$", "");
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals(name))
        .count();
  }

  @Test
  void subscribersShareOneThreadThatStopsWithTheLastSubscriptionAndWithTheStore() {
    String prefix = "lc_";
    JdbcStore store = nodes.store(TestDatabases.postgresSchema(), prefix);
    store.createSchema();
    Toggles first = nodes.toggles(Toggles.builder(store).syncInterval(Duration.ZERO));
    Toggles second = nodes.toggles(Toggles.builder(store).syncInterval(Duration.ZERO));
    Await.until("listening", Duration.ofSeconds(10), store::listening);
    assertThat(listenerThreads(prefix)).isEqualTo(1);

    first.close();
    assertThat(store.listening()).as("still subscribed by the second").isTrue();
    second.close();
    Await.until("the thread to stop", PROMPTLY, () -> listenerThreads(prefix) == 0);
    assertThat(store.listening()).isFalse();

    nodes.toggles(Toggles.builder(store).syncInterval(Duration.ZERO));
    Await.until("listening again", Duration.ofSeconds(10), store::listening);
    store.close();
    Await.until("the thread to stop with the store", PROMPTLY, () -> listenerThreads(prefix) == 0);
    ToggleStore.Subscription afterClose = store.subscribe(() -> {});
    afterClose.close();
    assertThat(listenerThreads(prefix)).isZero();
  }

  @Test
  void otherDatabasesStartNoListener() {
    String prefix = "lh_";
    JdbcStore store = nodes.store(TestDatabases.h2(), prefix);
    store.createSchema();
    nodes.toggles(Toggles.builder(store).syncInterval(Duration.ZERO));
    assertThat(listenerThreads(prefix)).isZero();
    assertThat(store.listening()).isFalse();
  }
}
