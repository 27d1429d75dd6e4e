package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node never serves a state its store no longer holds (issue 11): restores from a backup, a
 * failover to a replica that lags, snapshot files of another store or from before a restore. Three
 * nodes follow one store; the test puts another store behind it (an {@link InMemoryStore#copy()}
 * taken earlier is a backup with the same identity and history) and asserts what every node answers
 * and what its health says.
 */
class LineageTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("ops", "lineage test");
  private static final Context FR = Context.of(H, "p1", "m1", "FR");
  private static final Context DE = Context.of(H, "p1", "m1", "DE");

  private final InMemoryStore primary = InMemoryStore.create(H);
  private final ControllableStore store = new ControllableStore(primary);
  private final List<Toggles> nodes = new ArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void declare() {
    primary.define(FeatureDefinition.bool("flag"), AUDIT); // 1
    set(primary, "flag", true, null); // 2: on everywhere
  }

  @AfterEach
  void close() {
    store.mode(ControllableStore.Mode.UP);
    nodes.forEach(Toggles::close);
  }

  private static void set(InMemoryStore s, String feature, boolean on, String country) {
    s.set(feature, Scope.of(H, null, null, country), SettingValue.of(on), Expect.any(), AUDIT);
  }

  private Toggles node(Toggles.Builder b) {
    Toggles t = b.build();
    nodes.add(t);
    return t;
  }

  private void threeNodes() {
    for (int i = 0; i < 3; i++) {
      node(Toggles.builder(store).syncInterval(Duration.ZERO));
    }
  }

  private void syncAll() {
    nodes.forEach(Toggles::sync);
  }

  private void everyNodeServesTheKill() {
    for (Toggles t : nodes) {
      assertThat(t.isEnabled("flag", FR)).as("node %s, FR", nodes.indexOf(t)).isFalse();
      assertThat(t.isEnabled("flag", DE)).as("node %s, DE", nodes.indexOf(t)).isFalse();
      assertThat(t.explain("flag", DE).outcome()).isEqualTo(Explanation.Outcome.KILLED);
    }
  }

  private void everyNodeReloaded(Reload.Reason reason, long revision) {
    for (Toggles t : nodes) {
      Health h = t.health();
      assertThat(h.status()).isEqualTo(Health.Status.READY);
      assertThat(h.revision()).isEqualTo(revision);
      assertThat(h.storeId()).contains(store.delegate().head(0).storeId());
      assertThat(h.lastReload())
          .hasValueSatisfying(
              r -> {
                assertThat(r.reason()).isEqualTo(reason);
                assertThat(r.toRevision()).isEqualTo(revision);
              });
    }
  }

  @Test
  void restoreBehindTheNodesThenWritesIncludingAKill() {
    InMemoryStore backup = primary.copy(); // at revision 2
    set(primary, "flag", false, "DE"); // 3
    set(primary, "flag", true, "FR"); // 4
    threeNodes();
    assertThat(nodes.get(0).revision()).isEqualTo(4);
    assertThat(nodes.get(0).isEnabled("flag", DE)).isFalse();

    InMemoryStore restored = backup.copy();
    store.delegate(restored);
    syncAll();
    everyNodeReloaded(Reload.Reason.REVISION_WENT_BACK, 2);
    for (Toggles t : nodes) {
      assertThat(t.isEnabled("flag", DE)).as("the restored state: the DE row is gone").isTrue();
      assertThat(t.health().lastReload().orElseThrow().message()).contains("went back from 4 to 2");
    }

    restored.kill("flag", AUDIT); // 3
    set(restored, "flag", true, "DE"); // 4
    set(restored, "flag", true, "FR"); // 5
    syncAll();
    everyNodeServesTheKill();
    assertThat(nodes.get(0).revision()).isEqualTo(5);
  }

  @Test
  void restoreThatPassedTheNodesRevisionBeforeTheySyncIsCaughtByTheChangeIdAtTheirRevision() {
    InMemoryStore backup = primary.copy(); // at revision 2
    set(primary, "flag", false, "DE"); // 3
    set(primary, "flag", true, "FR"); // 4
    threeNodes();

    InMemoryStore restored = backup.copy();
    store.delegate(restored);
    restored.kill("flag", AUDIT); // 3: at or below the nodes' revision
    set(restored, "flag", true, "DE"); // 4
    set(restored, "flag", true, "FR"); // 5: the store is past the nodes again
    store.resetCounts();
    syncAll();
    everyNodeServesTheKill();
    everyNodeReloaded(Reload.Reason.HISTORY_CHANGED, 5);
    // Caught by the head read alone: no change-log read, one full load per node.
    assertThat(store.changesCalls).hasValue(0);
    assertThat(store.contentsCalls).hasValue(3);
    assertThat(nodes.get(0).health().lastReload().orElseThrow().message())
        .contains("change at revision 4");
  }

  @Test
  void aRestoreBetweenTheHeadReadAndTheChangeReadIsCaughtByThePageOverlap() {
    InMemoryStore backup = primary.copy(); // at revision 2
    set(primary, "flag", false, "DE"); // 3
    Toggles t = node(Toggles.builder(store).syncInterval(Duration.ZERO));
    InMemoryStore restored = backup.copy();
    restored.kill("flag", AUDIT); // 3
    set(restored, "flag", true, "DE"); // 4
    set(primary, "flag", true, "FR"); // 4
    // The head comes from the primary (revision 4, the change at 3 the node's); the store is
    // restored before the change log is read, and the restored one has other changes after 2.
    store.beforeChanges(() -> store.delegate(restored));
    t.sync();
    assertThat(t.isEnabled("flag", DE)).as("the restored store's kill").isFalse();
    assertThat(t.health().lastReload().orElseThrow().reason())
        .isEqualTo(Reload.Reason.HISTORY_CHANGED);
    assertThat(t.revision()).isEqualTo(4);
    assertThat(t.health().storeId()).contains(restored.head(0).storeId());
  }

  @Test
  void failoverToALaggingCopyAndBack() {
    set(primary, "flag", false, "DE"); // 3
    InMemoryStore replica = primary.copy(); // lags at 3
    set(primary, "flag", false, "FR"); // 4
    threeNodes();
    assertThat(nodes.get(2).isEnabled("flag", FR)).isFalse();

    store.delegate(replica);
    syncAll();
    everyNodeReloaded(Reload.Reason.REVISION_WENT_BACK, 3);
    for (Toggles t : nodes) {
      assertThat(t.isEnabled("flag", FR)).as("the replica has not the FR row yet").isTrue();
      assertThat(t.isEnabled("flag", DE)).isFalse();
    }

    primary.kill("flag", AUDIT); // 5, while the nodes read the replica
    store.delegate(primary);
    store.resetCounts();
    syncAll();
    // The replica's history is the primary's up to 3: the nodes catch up from the change log.
    assertThat(store.contentsCalls).hasValue(0);
    everyNodeServesTheKill();
    for (Toggles t : nodes) {
      assertThat(t.revision()).isEqualTo(5);
      assertThat(t.health().lastReload().orElseThrow().reason())
          .isEqualTo(Reload.Reason.REVISION_WENT_BACK);
      assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    }
  }

  @Test
  void anotherStoreUnderTheSameNodesIsReloadedNotMerged() {
    threeNodes();
    InMemoryStore other = InMemoryStore.create(H);
    other.define(FeatureDefinition.bool("other"), AUDIT);
    other.define(FeatureDefinition.bool("flag"), AUDIT);
    other.define(FeatureDefinition.bool("more"), AUDIT); // revision 3, beyond the nodes' 2
    store.delegate(other);
    syncAll();
    everyNodeReloaded(Reload.Reason.STORE_CHANGED, 3);
    for (Toggles t : nodes) {
      assertThat(t.isEnabled("flag", DE)).as("nothing of the old store's rows").isFalse();
      assertThat(t.cached("other")).isPresent();
    }
  }

  @Test
  void aSnapshotOfAnotherStoreIsIgnoredAtAStartWithTheStoreDown() {
    Path file = dir.resolve("toggles.json");
    Toggles writer = node(Toggles.builder(store).syncInterval(Duration.ZERO).snapshotFile(file));
    writer.sync();
    assertThat(file).exists();
    writer.close();

    InMemoryStore other = InMemoryStore.create(H);
    other.define(FeatureDefinition.bool("flag"), AUDIT);
    ControllableStore down = new ControllableStore(other);
    down.mode(ControllableStore.Mode.DOWN);
    Toggles t =
        node(
            Toggles.builder(down)
                .syncInterval(Duration.ZERO)
                .startWait(Duration.ofMillis(200))
                .snapshotFile(file));
    assertThat(t.health().fromSnapshot()).isFalse();
    assertThat(t.health().status()).isEqualTo(Health.Status.ERROR);
    assertThat(t.isEnabled("flag", DE)).as("not the other store's value").isFalse();
    assertThat(t.cached("flag")).isEmpty();

    down.mode(ControllableStore.Mode.UP);
    t.sync();
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    assertThat(t.health().storeId()).contains(other.head(0).storeId());
    assertThat(t.isEnabled("flag", DE)).isFalse();
  }

  @Test
  void aSnapshotFromBeforeARestoreIsSupersededWhenTheStoreAnswers() {
    InMemoryStore backup = primary.copy(); // at 2: flag on
    set(primary, "flag", true, "DE"); // 3
    set(primary, "flag", true, "FR"); // 4
    Path file = dir.resolve("toggles.json");
    Toggles before = node(Toggles.builder(store).syncInterval(Duration.ZERO).snapshotFile(file));
    before.close();

    // The database is restored from the backup and the flag killed there, while the node is down.
    InMemoryStore restored = backup.copy();
    restored.kill("flag", AUDIT); // 3
    set(restored, "flag", true, "DE"); // 4: the same revision the snapshot has
    store.delegate(restored);
    store.mode(ControllableStore.Mode.DOWN);
    Toggles t =
        node(
            Toggles.builder(store)
                .syncInterval(Duration.ZERO)
                .startWait(Duration.ofMillis(200))
                .snapshotFile(file));
    assertThat(t.health().fromSnapshot()).isTrue();
    assertThat(t.health().status()).isEqualTo(Health.Status.STALE);
    assertThat(t.isEnabled("flag", DE)).as("the snapshot, until the store answers").isTrue();
    assertThat(t.revision()).isEqualTo(-1);

    store.mode(ControllableStore.Mode.UP);
    t.sync();
    assertThat(t.isEnabled("flag", DE)).isFalse();
    assertThat(t.isEnabled("flag", FR)).isFalse();
    Health h = t.health();
    assertThat(h.fromSnapshot()).isFalse();
    assertThat(h.status()).isEqualTo(Health.Status.READY);
    assertThat(h.lastReload().orElseThrow().reason()).isEqualTo(Reload.Reason.AFTER_SNAPSHOT);
    assertThat(h.revision()).isEqualTo(4);

    restored.unkill("flag", AUDIT); // 5: and it keeps following
    t.sync();
    assertThat(t.isEnabled("flag", DE)).isTrue();
  }

  @Test
  void theSteadyStateIsOneHeadReadPerPollAndALineageBreakIsDetectedOnce() {
    threeNodes();
    Toggles t = nodes.get(0);
    store.resetCounts();
    for (int i = 0; i < 5; i++) {
      t.sync();
    }
    assertThat(store.headCalls).hasValue(5);
    assertThat(store.calls()).isEqualTo(5);

    store.delegate(InMemoryStore.create(H));
    t.sync();
    Reload first = t.health().lastReload().orElseThrow();
    store.resetCounts();
    t.sync();
    t.sync();
    assertThat(t.health().lastReload()).contains(first);
    assertThat(store.calls()).isEqualTo(2);
  }
}
