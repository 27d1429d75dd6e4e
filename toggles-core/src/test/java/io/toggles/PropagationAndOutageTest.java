package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropagationAndOutageTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("test", "test");
  private final InMemoryStore memory = InMemoryStore.create(H);
  private final ControllableStore store = new ControllableStore(memory);
  private final Context p1 = Context.of(H, "p1", "m1", "DE");
  private final Context other = Context.of(H, "p9", "m9", "FR");
  private final List<Toggles> opened = new ArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    memory.define(FeatureDefinition.bool("checkout"), AUDIT);
    memory.set(
        "checkout", Scope.of(H, "p1", null, null), SettingValue.of(true), Expect.any(), AUDIT);
  }

  @AfterEach
  void tearDown() {
    store.mode(ControllableStore.Mode.UP);
    opened.forEach(Toggles::close);
  }

  private Toggles.Builder builder() {
    return Toggles.builder(store).syncInterval(Duration.ZERO);
  }

  private Toggles open(Toggles.Builder b) {
    Toggles t = b.build();
    opened.add(t);
    return t;
  }

  @Test
  void idleSyncCostsExactlyOneHeadRead() {
    Toggles t = open(builder());
    store.resetCounts();
    t.sync();
    t.sync();
    assertThat(store.headCalls).hasValue(2);
    assertThat(store.calls()).isEqualTo(2);
  }

  @Test
  void aFlipIsAppliedFromTheChangeLogWithoutReloadingTheFeature() {
    Toggles t = open(builder());
    assertThat(t.isEnabled("checkout", p1)).isTrue();
    store.resetCounts();
    memory.set(
        "checkout", Scope.of(H, "p1", null, null), SettingValue.of(false), Expect.any(), AUDIT);
    memory.set(
        "checkout", Scope.of(H, null, null, "FR"), SettingValue.of(true), Expect.any(), AUDIT);
    t.sync();
    assertThat(t.isEnabled("checkout", p1)).isFalse();
    assertThat(t.isEnabled("checkout", other)).isTrue();
    assertThat(store.changesCalls).hasValue(1);
    assertThat(store.loadCalls).hasValue(0);
    assertThat(store.loadAllCalls).hasValue(0);
  }

  @Test
  void aStoreNotificationSyncsWithoutWaitingForThePoll() {
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ofHours(1)));
    memory.kill("checkout", AUDIT);
    store.notifyChange();
    TestSupport.await(() -> !t.isEnabled("checkout", p1), Duration.ofSeconds(5));
    assertThat(t.health().revision()).isEqualTo(memory.revision());
  }

  @Test
  void aNotifiedSyncThatFailsIsRetriedUntilItSucceedsWithoutPolling() {
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ZERO));
    store.mode(ControllableStore.Mode.DOWN);
    memory.kill("checkout", AUDIT);
    store.notifyChange();
    TestSupport.await(() -> t.health().lastError().isPresent(), Duration.ofSeconds(10));
    store.mode(ControllableStore.Mode.UP); // no notification, no poll: only the retry
    TestSupport.await(() -> !t.isEnabled("checkout", p1), Duration.ofSeconds(20));
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
  }

  @Test
  void startingWithTheStoreDownAndNoSnapshotServesDefaultsAndRecoversWithoutRestart() {
    store.mode(ControllableStore.Mode.HANG);
    long start = System.nanoTime();
    Toggles t = open(builder().startWait(Duration.ofMillis(200)));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(t.isEnabled("checkout", p1)).isFalse();
    assertThat(t.getString("gateway", p1, "adyen")).isEqualTo("adyen");
    Health h = t.health();
    assertThat(h.status()).isEqualTo(Health.Status.ERROR);
    assertThat(h.fromSnapshot()).isFalse();

    store.mode(ControllableStore.Mode.UP);
    TestSupport.await(() -> t.health().status() == Health.Status.READY, Duration.ofSeconds(5));
    t.sync();
    assertThat(t.isEnabled("checkout", p1)).isTrue();
  }

  @Test
  void aSnapshotKeepsAKillSwitchOnAcrossARestartWhileTheStoreIsDown() {
    Path file = dir.resolve("toggles.snapshot.json");
    Toggles first = open(builder().snapshotFile(file));
    memory.kill("checkout", AUDIT);
    first.sync();
    assertThat(first.isEnabled("checkout", p1)).isFalse();
    assertThat(file).exists();
    first.close();

    store.mode(ControllableStore.Mode.DOWN);
    Toggles second = open(builder().snapshotFile(file).startWait(Duration.ofMillis(200)));
    assertThat(second.isEnabled("checkout", p1)).isFalse();
    assertThat(second.health().status()).isEqualTo(Health.Status.STALE);
    assertThat(second.health().fromSnapshot()).isTrue();

    // Back online: the snapshot's revision is caught up from the change log.
    store.mode(ControllableStore.Mode.UP);
    memory.unkill("checkout", AUDIT);
    second.sync();
    assertThat(second.isEnabled("checkout", p1)).isTrue();
    assertThat(second.health().status()).isEqualTo(Health.Status.READY);
    assertThat(second.health().fromSnapshot()).isFalse();
  }

  @Test
  void aCorruptOrTruncatedSnapshotIsIgnored() throws Exception {
    Path file = dir.resolve("toggles.snapshot.json");
    Toggles first = open(builder().snapshotFile(file));
    memory.kill("checkout", AUDIT);
    first.sync();
    first.close();
    byte[] full = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(full, full.length / 2));

    store.mode(ControllableStore.Mode.DOWN);
    Toggles truncated = open(builder().snapshotFile(file).startWait(Duration.ofMillis(100)));
    assertThat(truncated.health().status()).isEqualTo(Health.Status.ERROR);
    assertThat(truncated.health().fromSnapshot()).isFalse();
    assertThat(truncated.cached("checkout")).isEmpty();

    Files.writeString(
        file, "{\"format\":\"toggles-snapshot\",\"version\":1,\"features\":[{\"key\":\"");
    Toggles garbage = open(builder().snapshotFile(file).startWait(Duration.ofMillis(100)));
    assertThat(garbage.health().status()).isEqualTo(Health.Status.ERROR);
  }

  @Test
  void anOutageAtRunTimeServesTheLastValuesAndRecoveryBringsChangesAndDeletions() {
    Toggles t = open(builder());
    memory.set(
        "checkout", Scope.of(H, null, null, "FR"), SettingValue.of(true), Expect.any(), AUDIT);
    t.sync();
    assertThat(t.isEnabled("checkout", other)).isTrue();

    store.mode(ControllableStore.Mode.DOWN);
    assertThatThrownBy(t::sync).isInstanceOf(StoreException.class);
    assertThat(t.isEnabled("checkout", p1)).isTrue();
    assertThat(t.isEnabled("checkout", other)).isTrue();
    Health down = t.health();
    assertThat(down.status()).isEqualTo(Health.Status.STALE);
    assertThat(down.lastError()).hasValueSatisfying(e -> assertThat(e).contains("unreachable"));

    // Meanwhile, someone deletes one row and flips another.
    memory.unset("checkout", Scope.of(H, null, null, "FR"), Expect.any(), AUDIT);
    memory.set(
        "checkout", Scope.of(H, "p1", null, null), SettingValue.of(false), Expect.any(), AUDIT);

    store.mode(ControllableStore.Mode.UP);
    t.sync();
    assertThat(t.isEnabled("checkout", p1)).isFalse();
    assertThat(t.isEnabled("checkout", other)).isFalse();
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    assertThat(t.health().lastError()).isEmpty();
  }

  /**
   * While the store hangs, 200 concurrent checks of a feature the node has not loaded all answer
   * the default without waiting for the store: an undeclared name at once, a declared feature not
   * loaded yet (no preload) after at most the miss wait for whichever check waits. The bound is
   * generous (the machine is shared); a check that waited for the store would hang until the
   * invokeAll timeout.
   */
  @Test
  void aCacheMissDuringAnOutageAnswersEveryCallerQuickly() throws Exception {
    Toggles preloaded = open(builder()); // the default miss wait
    Toggles lazy = open(builder().preload(false));
    store.mode(ControllableStore.Mode.HANG);
    int threads = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Long>> calls = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Toggles t = i % 2 == 0 ? preloaded : lazy;
        String feature = i % 2 == 0 ? "never-declared" : "checkout";
        calls.add(
            () -> {
              long s = System.nanoTime();
              boolean on = t.isEnabled(feature, p1);
              assertThat(on).isFalse();
              return System.nanoTime() - s;
            });
      }
      List<Future<Long>> results = pool.invokeAll(calls, 30, TimeUnit.SECONDS);
      for (Future<Long> f : results) {
        assertThat(Duration.ofNanos(f.get())).isLessThan(Duration.ofSeconds(1));
      }
    } finally {
      store.mode(ControllableStore.Mode.UP);
      pool.shutdownNow();
    }
  }

  /**
   * Issue 11, finding 8: a load that answers a state older than the changes the node already
   * applied (here a replica that lags behind the store that answers the head and the change log)
   * must not replace them. The re-declaration at revision 3 cannot be applied as a delta, so the
   * sync loads the feature, and the replica answers revision 2. Applying that load would publish
   * revision 3 with the old declaration, and no later change would ever correct it: the last
   * assertion fails if the node applies overtaken loads.
   */
  @Test
  void aLoadOlderThanTheChangesTheNodeAppliedNeverReplacesThem() {
    InMemoryStore replica = memory.copy(); // at revision 2: no default
    Toggles t = open(builder());
    assertThat(t.isEnabled("checkout", other)).isFalse();
    memory.define(
        FeatureDefinition.builder("checkout", SettingType.BOOLEAN).defaultValue("true").build(),
        AUDIT); // 3
    store.loadsFrom(replica);
    assertThatThrownBy(t::sync)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("at revision 2, behind revision 3");
    assertThat(t.revision()).isEqualTo(2);
    assertThat(t.isEnabled("checkout", other)).as("the old declaration, at its revision").isFalse();
    assertThat(t.health().status()).isEqualTo(Health.Status.STALE);

    store.loadsFrom(null); // the replica caught up
    t.sync();
    assertThat(t.revision()).isEqualTo(3);
    assertThat(t.isEnabled("checkout", other)).as("the new declaration's default").isTrue();
    assertThat(t.isEnabled("checkout", p1)).isTrue();
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
  }
}
