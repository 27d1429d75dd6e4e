package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Health goes READY, STALE, ERROR while syncs fail or hang, with the cause (issue 12), measured on
 * the instance's ticker: the test drives a fake ticker and a fake wall clock, never sleeps.
 */
class HealthTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  private static final Audit AUDIT = Audit.of("ops", "health test");
  private static final Context CTX = Context.of(H, "p1", "m1", "DE");
  private static final Duration STALE = Duration.ofSeconds(10);
  private static final Duration ERROR = Duration.ofSeconds(60);

  private final InMemoryStore memory = InMemoryStore.create(H);
  private final ControllableStore store = new ControllableStore(memory);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicReference<Instant> wall =
      new AtomicReference<>(Instant.parse("2027-03-01T10:00:00Z"));
  private final Ticker ticker = nanos::get;
  private final InstantSource clock = wall::get;
  private Toggles toggles;

  @AfterEach
  void close() {
    store.mode(ControllableStore.Mode.UP);
    if (toggles != null) {
      toggles.close();
    }
  }

  private Toggles open() {
    memory.define(FeatureDefinition.bool("checkout"), AUDIT);
    memory.set(
        "checkout", Scope.of(H, "p1", null, null), SettingValue.of(true), Expect.any(), AUDIT);
    toggles =
        Toggles.builder(store)
            .syncInterval(Duration.ZERO)
            .staleAfter(STALE)
            .errorAfter(ERROR)
            .ticker(ticker)
            .clock(clock)
            .build();
    return toggles;
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    wall.updateAndGet(w -> w.plus(d));
  }

  /** A check answers at once: well under the time a store call that hangs would take. */
  private static void answersAtOnce(Toggles t) {
    long start = System.nanoTime();
    for (int i = 0; i < 1_000; i++) {
      assertThat(t.isEnabled("checkout", CTX)).isTrue();
    }
    assertThat(t.isEnabled("never-declared", CTX)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aStoreThatHangsTurnsHealthStaleThenErrorAndAClockSteppedBackAnHourChangesNothing() {
    Toggles t = open();
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    Instant synced = t.health().lastSync().orElseThrow();

    store.mode(ControllableStore.Mode.HANG);
    memory.kill("checkout", AUDIT);
    store.notifyChange(); // the sync thread now waits in the store, and keeps waiting
    TestSupport.await(() -> store.headCalls.get() > 0, Duration.ofSeconds(20));
    advance(STALE.plusSeconds(1));
    Health stale = t.health();
    assertThat(stale.status()).isEqualTo(Health.Status.STALE);
    assertThat(stale.staleness()).isEqualTo(STALE.plusSeconds(1));
    assertThat(stale.lastError()).isEmpty(); // nothing failed: the call just does not return
    assertThat(stale.cause())
        .hasValueSatisfying(c -> assertThat(c).contains("waited").contains("does not answer"));
    answersAtOnce(t);

    wall.updateAndGet(w -> w.minus(Duration.ofHours(1))); // the wall clock steps back an hour
    assertThat(t.health().status()).isEqualTo(Health.Status.STALE);
    assertThat(t.health().staleness()).isEqualTo(STALE.plusSeconds(1));

    advance(ERROR);
    Health error = t.health();
    assertThat(error.status()).isEqualTo(Health.Status.ERROR);
    assertThat(error.staleness()).isGreaterThan(ERROR);
    assertThat(error.lastSync()).contains(synced);
    assertThat(error.cause()).hasValueSatisfying(c -> assertThat(c).contains("does not answer"));
    answersAtOnce(t);

    store.mode(ControllableStore.Mode.UP); // the hung call returns; the sync completes
    TestSupport.await(() -> t.health().status() == Health.Status.READY, Duration.ofSeconds(20));
    assertThat(t.isEnabled("checkout", CTX)).isFalse();
    assertThat(t.health().cause()).isEmpty();
  }

  @Test
  void failingSyncsAreStaleAtOnceAndErrorAfterTheErrorThresholdWithTheCause() {
    Toggles t = open();
    store.mode(ControllableStore.Mode.DOWN);
    assertThatThrownBy(t::sync).isInstanceOf(StoreException.class);
    Health h = t.health();
    assertThat(h.status()).isEqualTo(Health.Status.STALE);
    assertThat(h.lastError()).hasValueSatisfying(e -> assertThat(e).contains("unreachable"));
    assertThat(h.cause()).hasValueSatisfying(c -> assertThat(c).contains("unreachable"));

    advance(ERROR.minusSeconds(1));
    assertThatThrownBy(t::sync).isInstanceOf(StoreException.class);
    assertThat(t.health().status()).isEqualTo(Health.Status.STALE);
    wall.updateAndGet(w -> w.minus(Duration.ofHours(1)));
    advance(Duration.ofSeconds(2));
    assertThat(t.health().status()).isEqualTo(Health.Status.ERROR);
    assertThat(t.isEnabled("checkout", CTX)).isTrue();

    store.mode(ControllableStore.Mode.UP);
    t.sync();
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    assertThat(t.health().staleness()).isZero();
    assertThat(t.health().lastError()).isEmpty();
  }

  @Test
  void withoutSyncsHealthAgesOnTheTickerAlone() {
    Toggles t = open();
    advance(STALE);
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    advance(Duration.ofNanos(1));
    assertThat(t.health().status()).isEqualTo(Health.Status.STALE);
    t.sync();
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
    wall.updateAndGet(w -> w.plus(Duration.ofDays(1))); // the wall clock jumps forward: no effect
    assertThat(t.health().status()).isEqualTo(Health.Status.READY);
  }

  @Test
  void listenersHearEveryHealthTransitionWhileTheSyncHangs() {
    Toggles t = open();
    List<TogglesListener.HealthChanged> heard = new CopyOnWriteArrayList<>();
    t.subscribe(
        new TogglesListener() {
          @Override
          public void onHealth(HealthChanged event) {
            heard.add(event);
          }
        });
    store.mode(ControllableStore.Mode.HANG);
    store.notifyChange();
    TestSupport.await(() -> store.headCalls.get() > 0, Duration.ofSeconds(20));
    advance(STALE.plusSeconds(1));
    TestSupport.await(() -> heard.size() == 1, Duration.ofSeconds(20));
    advance(ERROR);
    TestSupport.await(() -> heard.size() == 2, Duration.ofSeconds(20));
    store.mode(ControllableStore.Mode.UP);
    TestSupport.await(() -> heard.size() == 3, Duration.ofSeconds(20));
    assertThat(heard)
        .extracting(e -> e.previous() + "->" + e.health().status())
        .containsExactly("READY->STALE", "STALE->ERROR", "ERROR->READY");
  }

  @Test
  void aClockSetWithoutATickerOnlyStampsAndMeasuresNoElapsedTime() {
    memory.define(FeatureDefinition.bool("checkout"), AUDIT);
    Instant synced = wall.get();
    toggles =
        Toggles.builder(store)
            .syncInterval(Duration.ZERO)
            .staleAfter(STALE)
            .errorAfter(ERROR)
            .clock(clock)
            .build();
    wall.updateAndGet(w -> w.plus(Duration.ofDays(1))); // the system ticker measures: it did not
    Health h = toggles.health();
    assertThat(h.status()).isEqualTo(Health.Status.READY);
    assertThat(h.lastSync()).contains(synced);
    assertThat(h.staleness()).isLessThan(STALE);
  }

  @Test
  void anErrorThresholdNotLongerThanTheStaleOneIsRefused() {
    assertThatThrownBy(
            () ->
                Toggles.builder(store)
                    .staleAfter(Duration.ofSeconds(30))
                    .errorAfter(Duration.ofSeconds(30))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be longer");
    assertThatThrownBy(() -> Toggles.builder(store).errorAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
