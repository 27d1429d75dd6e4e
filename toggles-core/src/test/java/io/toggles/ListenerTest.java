package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The change listener and wait-for-revision of issue 18. */
class ListenerTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("dev", "listener test");
  private static final Context CTX = Context.of(H, "p1", "m1", "DE");

  private final InMemoryStore memory = InMemoryStore.create(H);
  private final ControllableStore store = new ControllableStore(memory);
  private Toggles toggles;

  @AfterEach
  void close() {
    store.mode(ControllableStore.Mode.UP);
    if (toggles != null) {
      toggles.close();
    }
  }

  private Toggles open(Toggles.Builder b) {
    memory.define(FeatureDefinition.bool("a"), AUDIT);
    memory.define(FeatureDefinition.bool("b"), AUDIT);
    memory.define(FeatureDefinition.bool("c"), AUDIT);
    toggles = b.build();
    return toggles;
  }

  /** Records every event and the thread it came on. */
  private static final class Recorder implements TogglesListener {
    final List<Changed> changes = new CopyOnWriteArrayList<>();
    final List<Synced> syncs = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onChange(Changed event) {
      changes.add(event);
      threads.add(Thread.currentThread().getName());
    }

    @Override
    public void onSync(Synced event) {
      syncs.add(event);
      threads.add(Thread.currentThread().getName());
    }
  }

  private void set(String feature, boolean on) {
    memory.set(feature, Scope.of(H, "p1", null, null), SettingValue.of(on), Expect.any(), AUDIT);
  }

  @Test
  void aListenerHearsWhichFeaturesASyncChangedAndAtWhichRevisionOffTheSyncThread() {
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ZERO));
    Recorder r = new Recorder();
    t.subscribe(r);
    long before = t.revision();
    memory.importAll(
        List.of(
            new FeatureState(
                "a",
                memory.read("a").definition(),
                false,
                List.of(new Setting("a", H.global(), SettingValue.of(true), 1)),
                0),
            new FeatureState(
                "b",
                memory.read("b").definition(),
                false,
                List.of(new Setting("b", H.global(), SettingValue.of(true), 1)),
                0)),
        false,
        AUDIT);
    t.sync();
    TestSupport.await(() -> r.changes.size() == 1 && r.syncs.size() == 1, Duration.ofSeconds(20));
    TogglesListener.Changed c = r.changes.get(0);
    assertThat(c.features()).containsExactlyInAnyOrder("a", "b");
    assertThat(c.revision()).isEqualTo(memory.revision());
    assertThat(c.previousRevision()).isEqualTo(before);
    assertThat(c.reload()).isEmpty();
    assertThat(c.storeId()).isEqualTo(memory.head(0).storeId());
    TogglesListener.Synced s = r.syncs.get(0);
    assertThat(s.succeeded()).isTrue();
    assertThat(s.changes()).isEqualTo(2);
    assertThat(s.revision()).isEqualTo(memory.revision());
    assertThat(s.lag()).isPresent();
    assertThat(s.duration().isNegative()).isFalse();
    assertThat(r.threads).allSatisfy(n -> assertThat(n).startsWith("toggles-notify"));

    t.sync(); // idle: a sync event, no change event
    TestSupport.await(() -> r.syncs.size() == 2, Duration.ofSeconds(20));
    assertThat(r.syncs.get(1).changes()).isZero();
    assertThat(r.syncs.get(1).lag()).isEmpty();
    assertThat(r.changes).hasSize(1);
  }

  @Test
  void theLagRunsFromTheStoresCommitToPublicationByTheNodesClockAndTheDurationOnItsTicker() {
    Instant commit = Instant.parse("2026-06-01T12:00:00Z");
    InMemoryStore stamped = InMemoryStore.create(H, Clock.fixed(commit, ZoneOffset.UTC));
    ControllableStore slow = new ControllableStore(stamped);
    AtomicReference<Instant> wall = new AtomicReference<>(commit);
    AtomicLong nanos = new AtomicLong(7_000_000_000L);
    stamped.define(FeatureDefinition.bool("a"), AUDIT);
    toggles =
        Toggles.builder(slow)
            .syncInterval(Duration.ZERO)
            .clock(wall::get)
            .ticker(nanos::get)
            .build();
    Recorder r = new Recorder();
    toggles.subscribe(r);
    stamped.set("a", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    // The change log answers 250 ms after the commit by the node's clock, 40 ms into the sync.
    slow.beforeChanges(
        () -> {
          wall.set(commit.plusMillis(250));
          nanos.addAndGet(Duration.ofMillis(40).toNanos());
        });
    toggles.sync();
    TestSupport.await(() -> r.syncs.size() == 1, Duration.ofSeconds(20));
    TogglesListener.Synced s = r.syncs.get(0);
    assertThat(s.lag()).contains(Duration.ofMillis(250));
    assertThat(s.duration()).isEqualTo(Duration.ofMillis(40));
    assertThat(s.at()).isEqualTo(commit);
  }

  @Test
  void aFullReloadIsHeardWithItsReasonAndAFailedSyncWithItsError() {
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ZERO));
    Recorder r = new Recorder();
    t.subscribe(r);
    InMemoryStore other = InMemoryStore.create(H);
    other.define(FeatureDefinition.bool("z"), AUDIT);
    store.delegate(other);
    t.sync();
    TestSupport.await(() -> r.changes.size() == 1, Duration.ofSeconds(20));
    TogglesListener.Changed c = r.changes.get(0);
    assertThat(c.reload())
        .hasValueSatisfying(x -> assertThat(x.reason()).isEqualTo(Reload.Reason.STORE_CHANGED));
    assertThat(c.features()).contains("a", "b", "c", "z");

    store.mode(ControllableStore.Mode.DOWN);
    assertThatThrownBy(t::sync).isInstanceOf(StoreException.class);
    TestSupport.await(() -> r.syncs.size() == 2, Duration.ofSeconds(20));
    assertThat(r.syncs.get(1).succeeded()).isFalse();
    assertThat(r.syncs.get(1).error())
        .hasValueSatisfying(e -> assertThat(e).contains("unreachable"));
  }

  @Test
  void aThrowingListenerDisturbsNeitherSyncingNorOtherListeners() {
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ZERO));
    AtomicInteger thrown = new AtomicInteger();
    t.subscribe(
        new TogglesListener() {
          @Override
          public void onChange(Changed event) {
            thrown.incrementAndGet();
            throw new IllegalStateException("listener bug (test)");
          }
        });
    Recorder r = new Recorder();
    t.subscribe(r);
    set("a", true);
    t.sync();
    set("b", true);
    t.sync();
    TestSupport.await(() -> r.changes.size() == 2, Duration.ofSeconds(20));
    assertThat(thrown).hasValue(2);
    assertThat(t.isEnabled("b", CTX)).isTrue();
    assertThat(r.changes).extracting(c -> c.features()).containsExactly(Set.of("a"), Set.of("b"));
  }

  @Test
  void anUnsubscribedListenerAndEveryListenerAfterCloseHearNothingMore() {
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ZERO));
    Recorder gone = new Recorder();
    Recorder stays = new Recorder();
    TogglesListener.Subscription s = t.subscribe(gone);
    t.subscribe(stays);
    s.close();
    s.close(); // idempotent
    set("a", true);
    t.sync();
    TestSupport.await(() -> stays.changes.size() == 1, Duration.ofSeconds(20));
    t.close();
    set("b", true);
    t.sync(); // a manual sync still works; nobody hears it
    assertThat(gone.changes).isEmpty();
    assertThat(stays.changes).hasSize(1);
    assertThatThrownBy(() -> t.subscribe(new Recorder())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void awaitRevisionReturnsOnceTheNodeAppliedItAndAsksForTheSyncItWaitsFor() {
    // Background sync polls once an hour: only the wait's own request brings the write in.
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ofHours(1)));
    set("a", true);
    Change c = memory.kill("c", AUDIT).orElseThrow();
    Instant start = Instant.now();
    assertThat(t.awaitRevision(c.revision(), Duration.ofSeconds(20))).isTrue();
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
    assertThat(t.revision()).isGreaterThanOrEqualTo(c.revision());
    assertThat(t.isEnabled("a", CTX)).isTrue();
    assertThat(t.awaitRevision(c.revision() - 1, Duration.ZERO)).isTrue();

    assertThat(t.awaitRevision(c.revision() + 1, Duration.ofMillis(50)))
        .as("a revision nobody wrote")
        .isFalse();
    assertThatThrownBy(() -> t.awaitRevision(1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awaitRevisionStopsWaitingWhenTheTogglesClose() throws Exception {
    Toggles t = open(Toggles.builder(store).syncInterval(Duration.ZERO));
    store.mode(ControllableStore.Mode.HANG);
    Thread closer =
        new Thread(
            () -> {
              TestSupport.await(() -> store.headCalls.get() > 0, Duration.ofSeconds(20));
              t.close();
            });
    store.resetCounts();
    closer.start();
    long start = System.nanoTime();
    assertThat(t.awaitRevision(memory.revision() + 1, Duration.ofSeconds(30))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    closer.join(20_000);
  }
}
