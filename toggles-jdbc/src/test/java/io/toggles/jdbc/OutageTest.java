package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.Audit;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.Health;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.Toggles;
import io.toggles.jdbc.testing.TestDatabases;
import io.toggles.testing.Await;
import io.toggles.testing.TcpProxy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault tests: the node reaches the embedded PostgreSQL through a proxy that can cut every
 * connection and refuse new ones, while a writer (another node) reaches it directly.
 */
class OutageTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("alice", "INC-9");
  private static final String PREFIX = "toggles_";
  private static final Duration START_WAIT = Duration.ofSeconds(1);
  private static final Duration RECOVERY = Duration.ofSeconds(15);
  private final Context p1 = Context.of(H, "p1", "m1", "DE");
  private final Context fr = Context.of(H, "p9", "m9", "FR");
  private final Nodes nodes = new Nodes();
  @TempDir Path dir;
  private TcpProxy proxy;
  private JdbcStore writer;
  private String proxiedUrl;

  @BeforeEach
  void setUp() throws Exception {
    String schema = TestDatabases.newPostgresSchema();
    int port = TestDatabases.postgres().getPort();
    proxy = nodes.keep(new TcpProxy(port));
    proxiedUrl = TestDatabases.postgresUrl(proxy.port(), schema);
    writer = nodes.store(TestDatabases.postgresUrl(port, schema), PREFIX);
    writer.createSchema();
    writer.define(FeatureDefinition.bool("checkout"), AUDIT);
    writer.set(
        "checkout", Scope.of(H, "p1", null, null), SettingValue.of(true), Expect.any(), AUDIT);
    writer.set(
        "checkout", Scope.of(H, null, null, "FR"), SettingValue.of(true), Expect.any(), AUDIT);
    writer.define(FeatureDefinition.bool("risky"), AUDIT);
    writer.set("risky", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
  }

  @AfterEach
  void tearDown() throws Exception {
    proxy.restore();
    nodes.close();
  }

  private JdbcStore node() {
    return nodes.store(proxiedUrl, PREFIX);
  }

  private Toggles.Builder toggles(JdbcStore store) {
    return Toggles.builder(store).syncInterval(Duration.ofMillis(200)).startWait(START_WAIT);
  }

  private Toggles buildWithinStartWait(Toggles.Builder builder) {
    long start = System.nanoTime();
    Toggles t = nodes.toggles(builder);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(START_WAIT.plusMillis(500));
    return t;
  }

  @Test
  void startingWithTheDatabaseUnreachableAndNoSnapshotServesDefaultsThenRecoversWithoutRestart() {
    proxy.cut();
    Toggles t = buildWithinStartWait(toggles(node()));

    assertThat(t.isEnabled("checkout", p1)).isFalse();
    Health down = t.health();
    assertThat(down.status()).isEqualTo(Health.Status.ERROR);
    assertThat(down.lastError()).hasValueSatisfying(e -> assertThat(e).contains("unreachable"));
    assertThat(down.fromSnapshot()).isFalse();

    proxy.restore();
    Await.until(
        "ready with the database's values",
        RECOVERY,
        () -> t.health().status() == Health.Status.READY && t.isEnabled("checkout", p1));
    assertThat(t.isEnabled("checkout", fr)).isTrue();
    assertThat(t.health().lastError()).isEmpty();
  }

  @Test
  void aSnapshotKeepsAKillSwitchOnAcrossARestartWhileTheDatabaseIsDown() {
    Path snapshot = dir.resolve("toggles.snapshot.json");
    JdbcStore first = node();
    Toggles before = nodes.toggles(toggles(first).snapshotFile(snapshot));
    long killed = writer.kill("risky", AUDIT).orElseThrow().revision();
    // A sync here either writes the snapshot itself or waits for the one that already does.
    Await.until(
        "the kill on the first node",
        RECOVERY,
        () -> {
          before.sync();
          return before.revision() >= killed;
        });
    assertThat(before.isEnabled("risky", p1)).isFalse();
    before.close();
    first.close();

    proxy.cut();
    Toggles t = buildWithinStartWait(toggles(node()).snapshotFile(snapshot));

    assertThat(t.isEnabled("risky", p1)).as("killed before the restart").isFalse();
    assertThat(t.isEnabled("checkout", p1)).as("from the snapshot, not a default").isTrue();
    Health down = t.health();
    assertThat(down.status()).isEqualTo(Health.Status.STALE);
    assertThat(down.fromSnapshot()).isTrue();

    proxy.restore();
    Await.until("ready", RECOVERY, () -> t.health().status() == Health.Status.READY);
    assertThat(t.health().fromSnapshot()).isFalse();
    assertThat(t.isEnabled("risky", p1)).isFalse();
    assertThat(t.isEnabled("checkout", p1)).isTrue();
  }

  @Test
  void aCorruptSnapshotIsIgnoredAndTheNodeStartsOnDefaults() throws Exception {
    Path snapshot = dir.resolve("toggles.snapshot.json");
    Files.writeString(
        snapshot, "{\"format\":\"toggles-snapshot\",\"version\":1,\"features\":[{\"key\":\"chec");
    proxy.cut();
    Toggles t = buildWithinStartWait(toggles(node()).snapshotFile(snapshot));

    assertThat(t.isEnabled("checkout", p1)).isFalse();
    assertThat(t.health().status()).isEqualTo(Health.Status.ERROR);
    assertThat(t.health().fromSnapshot()).isFalse();

    proxy.restore();
    Await.until(
        "ready with the database's values",
        RECOVERY,
        () -> t.health().status() == Health.Status.READY && t.isEnabled("checkout", p1));
  }

  @Test
  void anOutageAtRunTimeServesTheLastValuesQuicklyAndRecoveryBringsChangesAndDeletions()
      throws Exception {
    JdbcStore node = node();
    Toggles t = nodes.toggles(toggles(node));
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    assertThat(t.isEnabled("checkout", p1)).isTrue();
    assertThat(t.isEnabled("checkout", fr)).isTrue();

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(new TeeStream(err, log), true, StandardCharsets.UTF_8));
    try {
      proxy.cut();
      long[] worst = {0};
      int[] checks = {0};
      Await.until(
          "stale health",
          RECOVERY,
          () -> {
            for (int i = 0; i < 100; i++) {
              long s = System.nanoTime();
              boolean a = t.isEnabled("checkout", p1);
              boolean b = t.isEnabled("checkout", fr);
              worst[0] = Math.max(worst[0], System.nanoTime() - s);
              checks[0]++;
              assertThat(a && b).as("the last loaded values").isTrue();
            }
            return t.health().status() == Health.Status.STALE;
          });
      assertThat(t.health().lastError())
          .hasValueSatisfying(e -> assertThat(e).contains("unreachable"));
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(t::sync).isInstanceOf(StoreException.class);
      }

      // Meanwhile another node changes and deletes rows, and declares a feature never loaded here.
      writer.set(
          "checkout", Scope.of(H, "p1", null, null), SettingValue.of(false), Expect.any(), AUDIT);
      writer.unset("checkout", Scope.of(H, null, null, "FR"), Expect.any(), AUDIT);
      writer.define(FeatureDefinition.bool("fresh"), AUDIT);
      writer.set("fresh", H.global(), SettingValue.of(true), Expect.any(), AUDIT);

      for (int i = 0; i < 20_000; i++) {
        long s = System.nanoTime();
        boolean a = t.isEnabled("checkout", p1);
        worst[0] = Math.max(worst[0], System.nanoTime() - s);
        checks[0]++;
        assertThat(a).isTrue();
      }
      assertThat(Duration.ofNanos(worst[0]))
          .as("slowest of %d checks during the outage", checks[0])
          .isLessThan(Duration.ofMillis(50));

      assertEveryCallerOfAnUnloadedFeatureIsAnsweredQuickly(t, "fresh", 200);
    } finally {
      System.setErr(err);
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(text.split("cannot sync with the store", -1)).as("outage warnings").hasSize(2);

    proxy.restore();
    Await.until(
        "ready and caught up",
        RECOVERY,
        () -> t.health().status() == Health.Status.READY && !t.isEnabled("checkout", p1));
    assertThat(t.isEnabled("checkout", fr)).as("a row deleted during the outage").isFalse();
    Await.until("the feature declared meanwhile", RECOVERY, () -> t.isEnabled("fresh", p1));
    assertThat(t.health().lastError()).isEmpty();
  }

  private static void assertEveryCallerOfAnUnloadedFeatureIsAnsweredQuickly(
      Toggles t, String feature, int callers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch ready = new CountDownLatch(callers);
      CountDownLatch go = new CountDownLatch(1);
      List<Callable<Long>> calls = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        calls.add(
            () -> {
              ready.countDown();
              go.await();
              long s = System.nanoTime();
              boolean on = t.isEnabled(feature, Context.of(H, "p1", "m1", "DE"));
              long took = System.nanoTime() - s;
              assertThat(on).as("the default while the store is down").isFalse();
              return took;
            });
      }
      List<Future<Long>> results = new ArrayList<>();
      for (Callable<Long> c : calls) {
        results.add(pool.submit(c));
      }
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<Long> f : results) {
        assertThat(Duration.ofNanos(f.get(30, TimeUnit.SECONDS)))
            .isLessThan(Duration.ofMillis(100));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theListenConnectionComesBackAfterACutAndDeliversTheNextFlip() {
    JdbcStore node = node();
    // No polling at all: only a notification can bring a flip.
    Toggles t = nodes.toggles(toggles(node).syncInterval(Duration.ZERO));
    Await.until("listening", RECOVERY, node::listening);
    writer.set(
        "checkout", Scope.of(H, "p1", null, null), SettingValue.of(false), Expect.any(), AUDIT);
    Await.until("the first flip", Duration.ofSeconds(5), () -> !t.isEnabled("checkout", p1));

    proxy.cut();
    Await.until("the lost connection noticed", RECOVERY, () -> !node.listening());
    proxy.restore();
    Await.until("listening again", RECOVERY, node::listening);
    Await.until("the resync after reconnecting", RECOVERY, () -> t.health().lastError().isEmpty());

    writer.set(
        "checkout", Scope.of(H, "p1", null, null), SettingValue.of(true), Expect.any(), AUDIT);
    Await.until("the flip after the cut", Duration.ofSeconds(5), () -> t.isEnabled("checkout", p1));
  }

  /** Writes to two streams. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
