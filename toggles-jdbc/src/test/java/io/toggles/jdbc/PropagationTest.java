package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.toggles.Audit;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Health;
import io.toggles.Hierarchy;
import io.toggles.SettingValue;
import io.toggles.Toggles;
import io.toggles.jdbc.testing.TestDatabases;
import io.toggles.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several nodes (independent stores with pools of their own, each with its own toggles) against one
 * database: a flip committed on one store is visible on every node within the bound, measured.
 */
class PropagationTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("alice", "INC-7");
  private static final String PREFIX = "toggles_";
  private static final int NODES = 4;
  private static final int FLIPS = 12;
  private static final Duration RELOAD_MARGIN = Duration.ofSeconds(1);
  private final Context ctx = Context.of(H, "p1", "m1", "DE");
  private final Nodes nodes = new Nodes();

  @AfterEach
  void closeNodes() throws Exception {
    nodes.close();
  }

  @Test
  void onPostgresEveryNodeSeesAFlipThroughNotifyLongBeforeItsNextPoll() {
    // A poll interval far above the expected latency, so that only notifications can be that fast.
    Duration poll = Duration.ofSeconds(2);
    double[] ms = flipToVisible(TestDatabases.postgresSchema(), poll, true);

    report("PostgreSQL, LISTEN/NOTIFY, poll " + poll.toMillis() + " ms", ms);
    assertThat(Nodes.percentile(ms, 50)).isLessThan(150.0);
    assertThat(ms[ms.length - 1]).isLessThan((double) poll.plus(RELOAD_MARGIN).toMillis());
  }

  @Test
  void onAnH2ServerEveryNodeSeesAFlipWithinThePollIntervalPlusReload() throws Exception {
    Duration poll = Duration.ofMillis(200);
    Server server = startH2Server();
    try {
      String url =
          "jdbc:h2:tcp://127.0.0.1:"
              + server.getPort()
              + "/mem:"
              + TestDatabases.unique()
              + ";DB_CLOSE_DELAY=-1";
      double[] ms = flipToVisible(url, poll, false);

      report("H2 server, polling every " + poll.toMillis() + " ms", ms);
      assertThat(ms[ms.length - 1]).isLessThan((double) poll.plus(RELOAD_MARGIN).toMillis());
    } finally {
      nodes.close();
      server.stop();
    }
  }

  @Test
  void aNodeNeverGoesBackToAnOlderValueWhileNotificationsPollsAndLoadsRace() throws Exception {
    String url = TestDatabases.postgresSchema();
    JdbcStore writer = nodes.store(url, PREFIX);
    writer.createSchema();
    writer.define(FeatureDefinition.builder("n", io.toggles.SettingType.LONG).build(), AUDIT);
    writer.set("n", H.global(), SettingValue.of(0L), Expect.any(), AUDIT);
    JdbcStore node = nodes.store(url, PREFIX);
    Toggles t =
        nodes.toggles(
            Toggles.builder(node)
                .syncInterval(Duration.ofMillis(20))
                .preload(false)
                .missWait(Duration.ZERO));
    AtomicReference<String> regression = new AtomicReference<>();
    AtomicLong reads = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              long lastValue = -1;
              long lastRevision = -1;
              while (!Thread.currentThread().isInterrupted()) {
                long v = t.getLong("n", ctx, -1);
                long r = t.cached("n").map(s -> s.revision()).orElse(-1L);
                reads.incrementAndGet();
                if (v < lastValue || r < lastRevision) {
                  regression.compareAndSet(
                      null,
                      "value "
                          + lastValue
                          + " -> "
                          + v
                          + ", revision "
                          + lastRevision
                          + " -> "
                          + r);
                }
                lastValue = Math.max(lastValue, v);
                lastRevision = Math.max(lastRevision, r);
              }
            },
            "reader");
    reader.start();
    try {
      int last = 150;
      for (int i = 1; i <= last; i++) {
        writer.set("n", H.global(), SettingValue.of((long) i), Expect.any(), AUDIT);
      }
      Await.until(
          "the last value on the node",
          Duration.ofSeconds(10),
          () -> t.getLong("n", ctx, -1) == last);
    } finally {
      reader.interrupt();
      reader.join(5_000);
    }
    assertThat(reads.get()).isGreaterThan(0);
    assertThat(regression.get()).as("a value or revision that went backwards").isNull();
  }

  /**
   * Sets up {@link #NODES} nodes and a writer, flips a feature {@link #FLIPS} times and returns
   * every node's flip-to-visible latency in milliseconds (from before the write call, so it
   * includes the commit), sorted.
   */
  private double[] flipToVisible(String url, Duration poll, boolean notify) {
    JdbcStore writer = nodes.store(url, PREFIX);
    writer.createSchema();
    writer.define(FeatureDefinition.bool("checkout"), AUDIT);
    writer.set("checkout", H.global(), SettingValue.of(false), Expect.any(), AUDIT);
    List<Toggles> all = new ArrayList<>();
    List<JdbcStore> stores = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      JdbcStore s = nodes.store(url, PREFIX);
      Toggles t = nodes.toggles(Toggles.builder(s).syncInterval(poll));
      assertThat(t.health().status()).isEqualTo(Health.Status.READY);
      assertThat(t.isEnabled("checkout", ctx)).isFalse();
      stores.add(s);
      all.add(t);
    }
    for (JdbcStore s : stores) {
      Await.until("the node to listen", Duration.ofSeconds(10), () -> s.listening() == notify);
    }
    double[] ms = new double[NODES * FLIPS];
    int n = 0;
    for (int flip = 1; flip <= FLIPS; flip++) {
      boolean value = flip % 2 == 1;
      long start = System.nanoTime();
      writer.set("checkout", H.global(), SettingValue.of(value), Expect.any(), AUDIT);
      long[] seen = new long[NODES];
      Await.until(
          "flip " + flip + " on every node",
          poll.plus(Duration.ofSeconds(5)),
          () -> {
            boolean allSeen = true;
            for (int i = 0; i < NODES; i++) {
              if (seen[i] == 0) {
                if (all.get(i).isEnabled("checkout", ctx) == value) {
                  seen[i] = System.nanoTime();
                } else {
                  allSeen = false;
                }
              }
            }
            return allSeen;
          });
      for (long s : seen) {
        ms[n++] = (s - start) / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms;
  }

  private static void report(String what, double[] ms) {
    System.out.printf(
        "flip-to-visible, %s, %d nodes x %d flips: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        what, NODES, FLIPS, Nodes.percentile(ms, 50), Nodes.percentile(ms, 99), ms[ms.length - 1]);
  }

  /** An H2 TCP server on a free loopback port (not reachable from other hosts). */
  static Server startH2Server() throws SQLException, IOException {
    SQLException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      try {
        return Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
      } catch (SQLException e) {
        last = e; // the port was taken in between: try another
      }
    }
    throw last;
  }
}
