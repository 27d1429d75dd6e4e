package io.toggles.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.ConflictException;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.InMemoryStore;
import io.toggles.Preview;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.UnknownFeatureException;
import io.toggles.Write;
import io.toggles.WriteRefusedException;
import io.toggles.WriteRefusedException.Rule;
import io.toggles.WrongTypeException;
import io.toggles.spi.StoreContents;
import io.toggles.spi.StoreHead;
import io.toggles.spi.ToggleStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one contract of every store: the read SPI ({@link ToggleStore}) and the write API ({@link
 * ToggleAdmin}). A backend subclasses it once (in-memory, H2, PostgreSQL, MariaDB) and implements
 * {@link #newStore(Hierarchy)}; every test here then runs against that store. Backend-specific
 * tests (schema, SQL written by hand) live in the backend's subclass.
 *
 * @param <S> the store type, both the read SPI and the write API
 */
public abstract class StoreContractTest<S extends ToggleStore & ToggleAdmin> {
  /** The default hierarchy: product, merchant, country. */
  protected static final Hierarchy H = Hierarchy.DEFAULT;

  /** The audit of every write in these tests. */
  protected static final Audit AUDIT = Audit.of("alice", "contract test");

  private final List<AutoCloseable> opened = new ArrayList<>();

  /**
   * A fresh, empty store of {@code hierarchy}, sharing nothing with any other store this method
   * returned. The contract closes it after the test.
   */
  protected abstract S newStore(Hierarchy hierarchy);

  /**
   * Another handle on the data of {@code store}, as a second node would open it (for a database,
   * with connections of its own), so that what it reads cannot come from the first handle's memory.
   * The default is {@code store} itself, for stores that exist only in one process. The contract
   * closes what this returns.
   */
  protected S otherNode(S store) {
    return store;
  }

  /** A fresh store, closed after the test. */
  protected final S store(Hierarchy hierarchy) {
    return closeLater(newStore(hierarchy));
  }

  /** A second node on the store's data ({@link #otherNode}), closed after the test. */
  protected final S node(S store) {
    S other = otherNode(store);
    return other == store ? store : closeLater(other);
  }

  /** Closes {@code c} after the test, last opened first. */
  protected final <T extends AutoCloseable> T closeLater(T c) {
    opened.add(c);
    return c;
  }

  @AfterEach
  void closeStores() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    opened.clear();
  }

  /** A scope of the default hierarchy; null for a wildcard. */
  protected static Scope scope(String product, String merchant, String country) {
    return Scope.of(H, product, merchant, country);
  }

  private static FeatureDefinition def(String key, SettingType type) {
    return FeatureDefinition.builder(key, type).build();
  }

  /** Toggles without background sync over {@code store}, closed after the test. */
  protected final Toggles toggles(ToggleStore store) {
    return closeLater(
        Toggles.builder(store)
            .syncInterval(Duration.ZERO)
            .missWait(Duration.ofSeconds(10))
            .build());
  }

  private static Map<Scope, Setting> rows(ToggleAdmin admin, String feature) {
    return admin.read(feature).rows().stream()
        .collect(Collectors.toMap(Setting::scope, Function.identity()));
  }

  /**
   * Asserts that {@code write} fails with {@code type} (whose message does not say "null") and that
   * the store did not change at all: revision, change log and every feature.
   *
   * @return an assertion on what was thrown, for its message
   */
  protected final AbstractThrowableAssert<?, ? extends Throwable> assertRefusedWithoutTrace(
      S store, Class<? extends Throwable> type, ThrowingCallable write) {
    long revision = store.revision();
    List<FeatureState> before = store.loadAll();
    List<Change> history = store.history(Optional.empty(), 1000);
    Throwable thrown = catchThrowable(write);
    assertThat(thrown).isInstanceOf(type).hasMessageNotContaining("null");
    assertThat(store.revision()).as("revision after a refused write").isEqualTo(revision);
    assertThat(store.history(Optional.empty(), 1000)).isEqualTo(history);
    assertThat(normalize(store.loadAll())).isEqualTo(normalize(before));
    return assertThat(thrown);
  }

  /** Asserts that {@code write} is refused by {@code rule}, without trace. */
  private AbstractThrowableAssert<?, ? extends Throwable> assertRefusedByRule(
      S store, Rule rule, ThrowingCallable write) {
    return assertRefusedWithoutTrace(store, WriteRefusedException.class, write)
        .isInstanceOfSatisfying(
            WriteRefusedException.class, e -> assertThat(e.rule()).isEqualTo(rule));
  }

  /** States without their revision and with rows in a stable order, for comparison. */
  private static List<Object> normalize(List<FeatureState> states) {
    List<Object> out = new ArrayList<>();
    for (FeatureState s : states) {
      out.add(s.key());
      out.add(s.definition());
      out.add(s.killed());
      out.add(
          s.rows().stream()
              .map(r -> r.scope() + "=" + r.value() + "@" + r.version())
              .sorted()
              .toList());
    }
    return out;
  }

  /** The state with its rows in a fixed order, for comparing stores that list rows differently. */
  protected static FeatureState sorted(FeatureState state) {
    List<Setting> rows = new ArrayList<>(state.rows());
    rows.sort(Comparator.comparing(r -> r.scope().toString()));
    return new FeatureState(
        state.key(), state.definition(), state.killed(), rows, state.revision());
  }

  /** {@link #sorted(FeatureState)} of each. */
  protected static List<FeatureState> sorted(List<FeatureState> states) {
    return states.stream().map(StoreContractTest::sorted).collect(Collectors.toList());
  }

  // ------------------------------------------------------------------ values

  @Test
  void everyValueTypeRoundTrips() {
    S store = store(H);
    List<SettingValue> values =
        List.of(
            SettingValue.of(true),
            SettingValue.of(false),
            SettingValue.of("adyen"),
            SettingValue.of(""),
            SettingValue.of(
                "ünïcødé ✓ 'quoted' \"double\" \\ back; -- not SQL\nline two\ttab 日本 😀"),
            SettingValue.of("x".repeat(SettingValue.MAX_TEXT_LENGTH)),
            SettingValue.of("😀".repeat(SettingValue.MAX_TEXT_LENGTH / 2)),
            SettingValue.of(Long.MIN_VALUE),
            SettingValue.of(Long.MAX_VALUE),
            SettingValue.of(0),
            SettingValue.of(new BigDecimal("0.015")),
            SettingValue.of(new BigDecimal("-12345678901234567890.123456789")),
            SettingValue.of(new BigDecimal("1E+3")),
            SettingValue.json("{\"a\":[1,2.5,{\"b\":null}],\"c\":\"ü\",\"on\":true}"),
            SettingValue.json("[]"),
            SettingValue.json("\"" + "j".repeat(SettingValue.MAX_TEXT_LENGTH - 2) + "\""));
    for (int i = 0; i < values.size(); i++) {
      SettingValue v = values.get(i);
      String key = "f" + i;
      store.define(
          FeatureDefinition.builder(key, v.type())
              .defaultValue(v)
              .description("the " + v.type() + " feature")
              .owner("team-" + i)
              .build(),
          AUDIT);
      store.set(key, scope("p" + i, null, null), v, Expect.absent(), AUDIT);
    }
    S reader = node(store); // nothing cached: every value comes from where the store keeps it
    List<FeatureState> all = sorted(reader.loadAll());
    for (int i = 0; i < values.size(); i++) {
      SettingValue v = values.get(i);
      String key = "f" + i;
      FeatureState state = reader.load(key);
      assertThat(state.rows()).hasSize(1);
      assertThat(state.rows().get(0).value()).as(key).isEqualTo(v);
      assertThat(state.rows().get(0).value().text()).as(key).isEqualTo(v.text());
      FeatureDefinition d = state.definition().orElseThrow();
      assertThat(d.defaultValue()).as(key).contains(v);
      assertThat(d.description()).isEqualTo("the " + v.type() + " feature");
      assertThat(d.owner()).isEqualTo("team-" + i);
      assertThat(reader.read(key).rows().get(0).value()).isEqualTo(v);
      assertThat(all).contains(sorted(state));
      assertThat(reader.history(Optional.of(key), 1).get(0).newValue()).contains(v);
    }
  }

  @Test
  void decimalsCompareNumerically() {
    S store = store(H);
    store.define(def("rate", SettingType.DECIMAL), AUDIT);
    store.set("rate", H.global(), SettingType.DECIMAL.parse("1.50"), Expect.absent(), AUDIT);
    assertThat(store.load("rate").rows().get(0).value())
        .isEqualTo(SettingType.DECIMAL.parse("1.5"));
  }

  @Test
  void scopeValuesRoundTripUpToTheMaximumLength() {
    S store = store(H);
    store.define(FeatureDefinition.bool("f"), AUDIT);
    String longest = "v".repeat(Scope.MAX_VALUE_LENGTH);
    Scope s = scope(longest, "mérchant ✓", "D'E");
    store.set("f", s, SettingValue.of(true), Expect.absent(), AUDIT);
    assertThat(node(store).load("f").rows()).extracting(Setting::scope).containsExactly(s);
    Toggles t = toggles(store);
    assertThat(t.isEnabled("f", Context.of(H, longest, "mérchant ✓", "D'E"))).isTrue();
    assertThat(t.isEnabled("f", Context.of(H, longest, "merchant", "D'E"))).isFalse();
  }

  @Test
  void aValueWithTheNulCharacterIsRefusedWithoutTrace() {
    S store = store(H);
    store.define(def("s", SettingType.STRING), AUDIT);
    assertRefusedWithoutTrace(
            store,
            IllegalArgumentException.class,
            () -> store.set("s", H.global(), SettingValue.of("a\u0000b"), Expect.any(), AUDIT))
        .hasMessageContaining("U+0000");
  }

  // ------------------------------------------------------------------ define

  @Test
  void defineDeclaresAndRedefineChangesTheDeclaration() {
    S store = store(H);
    Change first =
        store.define(
            FeatureDefinition.builder("fee", SettingType.LONG)
                .defaultValue("5")
                .description("fee in cents")
                .owner("payments")
                .build(),
            AUDIT);
    assertThat(first.kind()).isEqualTo(ChangeKind.DEFINE);
    assertThat(first.feature()).isEqualTo("fee");
    assertThat(first.oldValue()).isEmpty();
    assertThat(first.newValue()).contains(SettingValue.of(5));
    Change second =
        store.define(
            FeatureDefinition.builder("fee", SettingType.LONG)
                .defaultValue("7")
                .description("fee in cents, raised")
                .owner("payments")
                .build(),
            AUDIT);
    assertThat(second.oldValue()).contains(SettingValue.of(5));
    assertThat(second.newValue()).contains(SettingValue.of(7));
    assertThat(store.features()).hasSize(1);
    FeatureDefinition now = store.features().get(0);
    assertThat(now.defaultValue()).contains(SettingValue.of(7));
    assertThat(now.description()).isEqualTo("fee in cents, raised");
    assertThat(now.owner()).isEqualTo("payments");
    assertThat(store.read("fee").definition()).contains(now);
  }

  /** Merged with the JDBC test {@code changingTheTypeOfAFeatureWithRowsIsRefused}. */
  @Test
  void typeOfAFeatureWithRowsCannotChange() {
    S store = store(H);
    store.define(def("fee", SettingType.LONG), AUDIT);
    store.define(def("fee", SettingType.STRING), AUDIT); // no rows yet: allowed
    store.set("fee", H.global(), SettingValue.of("x"), Expect.any(), AUDIT);
    assertRefusedByRule(
            store,
            Rule.TYPE_CHANGE_WITH_ROWS,
            () -> store.define(def("fee", SettingType.LONG), AUDIT))
        .hasMessageContaining("remove them before changing its type");
    assertThat(store.read("fee").definition().orElseThrow().type()).isEqualTo(SettingType.STRING);
  }

  @Test
  void featuresAndDeclaredFeaturesListEveryDeclaredFeature() {
    S store = store(H);
    store.define(FeatureDefinition.bool("b"), AUDIT);
    store.define(def("a", SettingType.JSON), AUDIT);
    assertThat(store.features())
        .extracting(FeatureDefinition::key)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(store.loadAll()).extracting(FeatureState::key).containsExactlyInAnyOrder("a", "b");
    assertThat(node(store).declaredFeatures()).containsExactlyInAnyOrder("a", "b");
  }

  /** Merged with the JDBC test {@code emptyStoreIsAValidState}. */
  @Test
  void anEmptyStoreIsValidAndAnUnknownFeatureLoadsAsAbsent() {
    S store = store(H);
    assertThat(store.revision()).isZero();
    assertThat(store.loadAll()).isEmpty();
    assertThat(store.features()).isEmpty();
    assertThat(store.declaredFeatures()).isEmpty();
    assertThat(store.load("nothing")).isEqualTo(FeatureState.absent("nothing", 0));
    assertThat(store.changesSince(0, 10)).contains(List.of());
    assertThat(store.history(Optional.empty(), 10)).isEmpty();
    store.define(FeatureDefinition.bool("b"), AUDIT);
    FeatureState s = store.load("nobody");
    assertThat(s.key()).isEqualTo("nobody");
    assertThat(s.definition()).isEmpty();
    assertThat(s.rows()).isEmpty();
    assertThat(s.killed()).isFalse();
    assertThat(s.revision()).isEqualTo(store.revision()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ set, unset, versions

  @Test
  void aRowsVersionIsTheRevisionOfItsLatestWrite() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Scope s = scope("p1", null, "DE");
    Change c1 = store.set("gw", s, SettingValue.of("a"), Expect.absent(), AUDIT);
    assertThat(c1.kind()).isEqualTo(ChangeKind.SET);
    assertThat(c1.scope()).contains(s);
    assertThat(c1.oldValue()).isEmpty();
    assertThat(c1.newValue()).contains(SettingValue.of("a"));
    assertThat(c1.newVersion()).isEqualTo(OptionalLong.of(c1.revision()));
    assertThat(c1.actor()).isEqualTo("alice");
    assertThat(c1.reason()).isEqualTo("contract test");
    assertThat(c1.at()).isNotNull();
    assertThat(c1.revertOf()).isEmpty();
    Change c2 = store.set("gw", s, SettingValue.of("b"), Expect.version(c1.revision()), AUDIT);
    assertThat(c2.oldValue()).contains(SettingValue.of("a"));
    assertThat(c2.newVersion()).isEqualTo(OptionalLong.of(c2.revision()));
    Change c3 = store.set("gw", s, SettingValue.of("c"), Expect.any(), AUDIT);
    assertThat(c3.newVersion()).isEqualTo(OptionalLong.of(c3.revision()));
    Setting row = rows(store, "gw").get(s);
    assertThat(row.value()).isEqualTo(SettingValue.of("c"));
    assertThat(row.version()).isEqualTo(c3.revision()).isGreaterThan(c2.revision());
    assertThat(row.feature()).isEqualTo("gw");
  }

  @Test
  void rowsOfDifferentScopesAreIndependent() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    store.set("gw", H.global(), SettingValue.of("g"), Expect.absent(), AUDIT);
    store.set("gw", scope("p1", null, null), SettingValue.of("p"), Expect.absent(), AUDIT);
    Change m =
        store.set("gw", scope(null, "p1", null), SettingValue.of("m"), Expect.absent(), AUDIT);
    Map<Scope, Setting> rows = rows(store, "gw");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(scope(null, "p1", null)).value()).isEqualTo(SettingValue.of("m"));
    assertThat(rows.get(scope(null, "p1", null)).version()).isEqualTo(m.revision());
    assertThat(rows.get(H.global()).version()).isEqualTo(2);
    assertThat(rows.get(scope("p1", null, null)).version()).isEqualTo(3);
  }

  @Test
  void expectAbsentOnAnExistingRowConflictsAndWritesNothing() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    store.set("gw", H.global(), SettingValue.of("a"), Expect.absent(), AUDIT);
    assertRefusedWithoutTrace(
        store,
        ConflictException.class,
        () -> store.set("gw", H.global(), SettingValue.of("b"), Expect.absent(), AUDIT));
    assertThat(rows(store, "gw").get(H.global()).value()).isEqualTo(SettingValue.of("a"));
  }

  /** Merged with the JDBC test {@code aStaleExpectationIsRefusedAndWritesNothing}. */
  @Test
  void aStaleExpectationConflictsAndWritesNothing() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    long v1 = store.set("gw", H.global(), SettingValue.of("a"), Expect.absent(), AUDIT).revision();
    long v2 =
        store.set("gw", H.global(), SettingValue.of("b"), Expect.version(v1), AUDIT).revision();
    assertRefusedWithoutTrace(
            store,
            ConflictException.class,
            () -> store.set("gw", H.global(), SettingValue.of("c"), Expect.version(v1), AUDIT))
        .hasMessageContaining(
            "row {global} of 'gw' is at version "
                + v2
                + ", expected version "
                + v1
                + ": someone else changed it; nothing was written");
    assertRefusedWithoutTrace(
            store,
            ConflictException.class,
            () ->
                store.set(
                    "gw", scope("p1", null, null), SettingValue.of("c"), Expect.version(v1), AUDIT))
        .hasMessageContaining("is absent, expected version " + v1);
    assertRefusedWithoutTrace(
        store,
        ConflictException.class,
        () -> store.unset("gw", H.global(), Expect.version(v1), AUDIT));
    assertThat(rows(store, "gw").get(H.global()))
        .isEqualTo(new Setting("gw", H.global(), SettingValue.of("b"), v2));
  }

  @Test
  void unsetRemovesTheRowAndRecordsItsValue() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Scope s = scope(null, "m1", null);
    Change set = store.set("gw", s, SettingValue.of("a"), Expect.absent(), AUDIT);
    Change c = store.unset("gw", s, Expect.version(set.revision()), AUDIT);
    assertThat(c.kind()).isEqualTo(ChangeKind.UNSET);
    assertThat(c.scope()).contains(s);
    assertThat(c.oldValue()).contains(SettingValue.of("a"));
    assertThat(c.newValue()).isEmpty();
    assertThat(c.newVersion()).isEmpty();
    assertThat(store.read("gw").rows()).isEmpty();
    // Set again after unset: a new row, whose version continues above every one its scope had.
    Change again = store.set("gw", s, SettingValue.of("b"), Expect.absent(), AUDIT);
    assertThat(again.newVersion()).isEqualTo(OptionalLong.of(again.revision()));
    assertThat(again.newVersion().getAsLong()).isGreaterThan(set.newVersion().getAsLong());
  }

  @Test
  void unsetOfAMissingRowIsRefused() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    assertRefusedWithoutTrace(
            store,
            ConflictException.class,
            () -> store.unset("gw", H.global(), Expect.any(), AUDIT))
        .hasMessageContaining("feature 'gw' has no row at {global}");
  }

  /**
   * The ABA case: an expectation taken before the row was removed and created again refers to a row
   * that no longer exists, even though a row exists at that scope again.
   */
  @Test
  void anExpectationTakenBeforeTheRowWasRemovedAndCreatedAgainConflicts() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Scope s = scope("p1", null, null);
    Change first = store.set("gw", s, SettingValue.of("mine"), Expect.absent(), AUDIT);
    long seen = rows(store, "gw").get(s).version(); // what a person read before someone else...
    S other = node(store);
    other.unset("gw", s, Expect.any(), Audit.of("bob", "clean up")); // ...removed the row
    other.set("gw", s, SettingValue.of("bob's"), Expect.absent(), Audit.of("bob", "again"));

    assertThat(seen).isEqualTo(first.newVersion().getAsLong());
    assertRefusedWithoutTrace(
        store,
        ConflictException.class,
        () -> store.set("gw", s, SettingValue.of("mine again"), Expect.version(seen), AUDIT));
    assertRefusedWithoutTrace(
        store, ConflictException.class, () -> store.unset("gw", s, Expect.version(seen), AUDIT));
    assertThat(rows(store, "gw").get(s).value()).isEqualTo(SettingValue.of("bob's"));
  }

  /** Moved from the JDBC tests: two nodes racing on one row lose no update. */
  @Test
  void concurrentReadModifyWriteFromTwoNodesLosesNoUpdate() throws Exception {
    S store = store(H);
    store.define(FeatureDefinition.builder("counter", SettingType.LONG).build(), AUDIT);
    List<S> nodes = List.of(node(store), node(store));
    int threads = 6;
    int rounds = 8;
    Scope s = H.global();
    CyclicBarrier read = new CyclicBarrier(threads);
    CyclicBarrier written = new CyclicBarrier(threads);
    AtomicInteger commits = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        S node = nodes.get(t % 2);
        done.add(
            pool.submit(
                () -> {
                  for (int r = 0; r <= rounds; r++) {
                    // Everyone reads the same state, then everyone writes based on it: in each
                    // round exactly one write can match the version it read.
                    List<Setting> rows = node.load("counter").rows();
                    read.await(30, TimeUnit.SECONDS);
                    Expect expect =
                        rows.isEmpty() ? Expect.absent() : Expect.version(rows.get(0).version());
                    long next =
                        rows.isEmpty()
                            ? 0
                            : ((SettingValue.LongValue) rows.get(0).value()).value() + 1;
                    try {
                      node.set("counter", s, SettingValue.of(next), expect, AUDIT);
                      commits.incrementAndGet();
                    } catch (ConflictException e) {
                      conflicts.incrementAndGet();
                    }
                    written.await(30, TimeUnit.SECONDS);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // Round 0 creates the missing row (Expect.absent from everyone): exactly one insert wins.
    assertThat(commits.get()).isEqualTo(rounds + 1);
    assertThat(conflicts.get()).isEqualTo((rounds + 1) * (threads - 1));
    assertThat(store.load("counter").rows())
        .containsExactly(
            new Setting("counter", s, SettingValue.of((long) rounds), store.revision()));
    List<Change> sets =
        store.changesSince(0, 1000).orElseThrow().stream()
            .filter(c -> c.kind() == ChangeKind.SET)
            .collect(Collectors.toList());
    assertThat(sets).hasSize(rounds + 1);
    for (int i = 0; i < sets.size(); i++) {
      assertThat(sets.get(i).newValue()).contains(SettingValue.of((long) i));
      assertThat(sets.get(i).newVersion()).hasValue(sets.get(i).revision());
    }
    assertThat(store.revision()).isEqualTo(rounds + 2); // the define, then one per commit
  }

  /**
   * Writes of different rows from several nodes at once never get in each other's way: each commits
   * (no write is refused because another took its revision) and the log stays gap-free.
   */
  @Test
  void writesOfDifferentRowsFromSeveralNodesAtOnceAllCommitIntoOneGapFreeLog() throws Exception {
    S store = store(H);
    store.define(FeatureDefinition.bool("f"), AUDIT);
    List<S> nodes = List.of(node(store), node(store));
    int threads = 4;
    int writes = 10;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        S node = nodes.get(t % 2);
        String product = "p" + t;
        done.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  for (int i = 0; i < writes; i++) {
                    node.set(
                        "f",
                        scope(product, "m" + i, null),
                        SettingValue.of(true),
                        Expect.absent(),
                        AUDIT);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS); // throws if any write was refused
      }
    } finally {
      pool.shutdownNow();
    }
    int total = 1 + threads * writes;
    assertThat(store.revision()).isEqualTo(total);
    assertThat(store.changesSince(0, 1000).orElseThrow())
        .extracting(Change::revision)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(store.load("f").rows()).hasSize(threads * writes);
  }

  // ------------------------------------------------------------------ kill switch

  @Test
  void killAndUnkillFlipTheSwitchOnceEach() {
    S store = store(H);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    Change kill = store.kill("checkout", AUDIT).orElseThrow();
    assertThat(kill.kind()).isEqualTo(ChangeKind.KILL);
    assertThat(kill.feature()).isEqualTo("checkout");
    assertThat(kill.scope()).isEmpty();
    assertThat(store.read("checkout").killed()).isTrue();
    assertThat(node(store).load("checkout").killed()).isTrue();
    long revision = store.revision();
    assertThat(store.kill("checkout", AUDIT)).isEmpty();
    assertThat(store.revision()).isEqualTo(revision);
    Change unkill = store.unkill("checkout", AUDIT).orElseThrow();
    assertThat(unkill.kind()).isEqualTo(ChangeKind.UNKILL);
    assertThat(store.read("checkout").killed()).isFalse();
    assertThat(store.unkill("checkout", AUDIT)).isEmpty();
    assertThat(store.revision()).isEqualTo(revision + 1);
  }

  /** Merged with the JDBC test {@code killSwitchNeedsASafeValueAndIsRecordedOnce}. */
  @Test
  void killOfNonBooleanWithoutDefaultIsRefused() {
    S store = store(H);
    store.define(def("gateway", SettingType.STRING), AUDIT);
    assertRefusedByRule(store, Rule.KILL_NEEDS_SAFE_VALUE, () -> store.kill("gateway", AUDIT))
        .hasMessageContaining("a kill switch needs a safe value");
    store.define(
        FeatureDefinition.builder("gateway", SettingType.STRING).defaultValue("adyen").build(),
        AUDIT);
    store.set("gateway", H.global(), SettingValue.of("stripe"), Expect.any(), AUDIT);
    assertThat(store.kill("gateway", AUDIT)).isPresent();
    assertThat(store.kill("gateway", AUDIT)).isEmpty();
    long revision = store.revision();
    Toggles t = toggles(node(store));
    assertThat(t.getString("gateway", Context.empty(H), "none")).isEqualTo("adyen");
    assertThat(store.revision()).isEqualTo(revision);
  }

  @Test
  void aKilledFeatureCannotLoseTheDefaultItFallsBackTo() {
    S store = store(H);
    store.define(
        FeatureDefinition.builder("fee", SettingType.LONG).defaultValue("0").build(), AUDIT);
    store.kill("fee", AUDIT);
    assertRefusedByRule(
        store,
        Rule.KILLED_FEATURE_NEEDS_DEFAULT,
        () -> store.define(def("fee", SettingType.LONG), AUDIT));
    assertThat(store.read("fee").definition().orElseThrow().defaultValue()).isPresent();
  }

  @Test
  void killedFeatureAnswersItsKillValueThroughToggles() {
    S store = store(H);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.define(
        FeatureDefinition.builder("gw", SettingType.STRING).defaultValue("safe").build(), AUDIT);
    store.set("checkout", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    store.set("gw", scope("p1", null, null), SettingValue.of("risky"), Expect.any(), AUDIT);
    Context ctx = Context.of(H, "p1", "m1", "DE");
    Toggles t = toggles(store);
    assertThat(t.isEnabled("checkout", ctx)).isTrue();
    assertThat(t.getString("gw", ctx, "caller")).isEqualTo("risky");
    store.kill("checkout", AUDIT);
    store.kill("gw", AUDIT);
    t.sync();
    assertThat(t.isEnabled("checkout", ctx)).isFalse();
    assertThat(t.getString("gw", ctx, "caller")).isEqualTo("safe");
    store.unkill("checkout", AUDIT);
    store.unkill("gw", AUDIT);
    t.sync();
    assertThat(t.isEnabled("checkout", ctx)).isTrue();
    assertThat(t.getString("gw", ctx, "caller")).isEqualTo("risky");
  }

  // ------------------------------------------------------------------ revert

  /** Merged with the JDBC test {@code revertRestoresThePreviousValueAsANewChange}. */
  @Test
  void revertOfAChangedRowRestoresTheOldValue() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Change created = store.set("gw", H.global(), SettingValue.of("a"), Expect.absent(), AUDIT);
    Change change = store.set("gw", H.global(), SettingValue.of("b"), Expect.any(), AUDIT);
    Change revert = store.revert(change.revision(), Audit.of("bob", "INC-1 roll back"));
    assertThat(revert.kind()).isEqualTo(ChangeKind.SET);
    assertThat(revert.revertOf()).isEqualTo(OptionalLong.of(change.revision()));
    assertThat(revert.revision()).isEqualTo(change.revision() + 1);
    assertThat(revert.actor()).isEqualTo("bob");
    assertThat(revert.reason()).isEqualTo("INC-1 roll back");
    assertThat(revert.oldValue()).contains(SettingValue.of("b"));
    assertThat(revert.newValue()).contains(SettingValue.of("a"));
    assertThat(rows(store, "gw").get(H.global()))
        .isEqualTo(new Setting("gw", H.global(), SettingValue.of("a"), revert.revision()));
    assertThat(store.change(revert.revision())).contains(revert);

    // The creation was changed again since (by the revert above): refused, nothing written.
    assertRefusedWithoutTrace(
            store, ConflictException.class, () -> store.revert(created.revision(), AUDIT))
        .hasMessageContaining("changed again at revision " + revert.revision() + " by bob");
    // Reverting the revert sets "b" again.
    Change undoUndo = store.revert(revert.revision(), AUDIT);
    assertThat(undoUndo.newValue()).contains(SettingValue.of("b"));
    assertThat(undoUndo.revertOf()).hasValue(revert.revision());
  }

  @Test
  void revertOfARowCreationRemovesTheRow() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    store.set("gw", scope("p1", null, null), SettingValue.of("kept"), Expect.absent(), AUDIT);
    Change created = store.set("gw", H.global(), SettingValue.of("a"), Expect.absent(), AUDIT);
    Change revert = store.revert(created.revision(), AUDIT);
    assertThat(revert.kind()).isEqualTo(ChangeKind.UNSET);
    assertThat(revert.revertOf()).isEqualTo(OptionalLong.of(created.revision()));
    assertThat(revert.oldValue()).contains(SettingValue.of("a"));
    assertThat(store.read("gw").rows())
        .extracting(Setting::scope)
        .containsExactly(scope("p1", null, null));
  }

  @Test
  void revertOfAnUnsetRestoresTheRow() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Scope s = scope("p1", "m1", null);
    store.set("gw", s, SettingValue.of("a"), Expect.absent(), AUDIT);
    Change unset = store.unset("gw", s, Expect.any(), AUDIT);
    Change revert = store.revert(unset.revision(), AUDIT);
    assertThat(revert.kind()).isEqualTo(ChangeKind.SET);
    assertThat(revert.revertOf()).isEqualTo(OptionalLong.of(unset.revision()));
    assertThat(rows(store, "gw").get(s).value()).isEqualTo(SettingValue.of("a"));
  }

  @Test
  void revertOfKillAndUnkillFlipsTheSwitchBack() {
    S store = store(H);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    Change kill = store.kill("checkout", AUDIT).orElseThrow();
    Change revertKill = store.revert(kill.revision(), AUDIT);
    assertThat(revertKill.kind()).isEqualTo(ChangeKind.UNKILL);
    assertThat(revertKill.revertOf()).isEqualTo(OptionalLong.of(kill.revision()));
    assertThat(store.read("checkout").killed()).isFalse();
    store.kill("checkout", AUDIT);
    Change unkill = store.unkill("checkout", AUDIT).orElseThrow();
    Change revertUnkill = store.revert(unkill.revision(), AUDIT);
    assertThat(revertUnkill.kind()).isEqualTo(ChangeKind.KILL);
    assertThat(store.read("checkout").killed()).isTrue();
  }

  @Test
  void revertIsRefusedWhenTheRowChangedAgainSince() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Change first = store.set("gw", H.global(), SettingValue.of("a"), Expect.absent(), AUDIT);
    store.set("gw", scope("p1", null, null), SettingValue.of("other row"), Expect.any(), AUDIT);
    Change second = store.set("gw", H.global(), SettingValue.of("b"), Expect.any(), AUDIT);
    assertRefusedWithoutTrace(
            store, ConflictException.class, () -> store.revert(first.revision(), AUDIT))
        .hasMessageContaining("changed again at revision " + second.revision());
    // The later change itself can be reverted: a change to another row does not block it.
    store.revert(second.revision(), AUDIT);
    assertThat(rows(store, "gw").get(H.global()).value()).isEqualTo(SettingValue.of("a"));
  }

  @Test
  void revertIsRefusedWhenTheKillSwitchChangedAgainSince() {
    S store = store(H);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    Change kill = store.kill("checkout", AUDIT).orElseThrow();
    store.unkill("checkout", AUDIT);
    assertRefusedWithoutTrace(
            store, ConflictException.class, () -> store.revert(kill.revision(), AUDIT))
        .hasMessageContaining("the kill switch of 'checkout' changed again");
  }

  @Test
  void revertOfADefinitionIsRefused() {
    S store = store(H);
    Change define = store.define(FeatureDefinition.bool("checkout"), AUDIT);
    assertRefusedByRule(
            store, Rule.REVERT_OF_DECLARATION, () -> store.revert(define.revision(), AUDIT))
        .hasMessageContaining("declaration is not reverted");
  }

  @Test
  void revertOfAnUnknownRevisionIsRefused() {
    S store = store(H);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    assertRefusedWithoutTrace(store, IllegalArgumentException.class, () -> store.revert(99, AUDIT));
    assertRefusedWithoutTrace(store, IllegalArgumentException.class, () -> store.revert(0, AUDIT));
    assertThatThrownBy(() -> store.revert(99, AUDIT))
        .hasMessageContaining("no change at revision 99");
  }

  // ------------------------------------------------------------------ change log

  /** Merged with the JDBC test {@code everyWriteAppendsOneChangeInCommitOrder}. */
  @Test
  void revisionGrowsByOnePerWriteAndEveryReadOfTheLogAgrees() {
    S store = store(H);
    Instant before = Instant.now().minusSeconds(300); // the store's clock, same machine
    assertThat(store.revision()).isZero();
    assertThat(store.changesSince(0, 10)).contains(List.of());
    Scope de = scope(null, null, "DE");
    List<Change> made = new ArrayList<>();
    made.add(store.define(FeatureDefinition.bool("checkout"), AUDIT));
    made.add(
        store.set(
            "checkout", de, SettingValue.of(true), Expect.absent(), Audit.of("bob", "rollout")));
    // A refused write takes no revision.
    assertThatThrownBy(
            () -> store.set("checkout", de, SettingValue.of(false), Expect.absent(), AUDIT))
        .isInstanceOf(ConflictException.class);
    made.add(store.set("checkout", de, SettingValue.of(false), Expect.version(2), AUDIT));
    made.add(store.kill("checkout", Audit.of("carol", "INC-7")).orElseThrow());
    made.add(store.unkill("checkout", AUDIT).orElseThrow());
    made.add(store.unset("checkout", de, Expect.version(3), AUDIT));
    for (int i = 0; i < made.size(); i++) {
      assertThat(made.get(i).revision()).isEqualTo(i + 1);
    }
    assertThat(store.revision()).isEqualTo(6);

    List<Change> log = store.changesSince(0, 100).orElseThrow();
    assertThat(log).isEqualTo(made);
    assertThat(log)
        .extracting(Change::kind)
        .containsExactly(
            ChangeKind.DEFINE,
            ChangeKind.SET,
            ChangeKind.SET,
            ChangeKind.KILL,
            ChangeKind.UNKILL,
            ChangeKind.UNSET);
    Change second = log.get(1);
    assertThat(second.scope()).contains(de);
    assertThat(second.oldValue()).isEmpty();
    assertThat(second.newValue()).contains(SettingValue.of(true));
    assertThat(second.newVersion()).hasValue(2);
    assertThat(second.actor()).isEqualTo("bob");
    assertThat(second.reason()).isEqualTo("rollout");
    assertThat(log.get(2).oldValue()).contains(SettingValue.of(true));
    assertThat(log.get(2).newVersion()).hasValue(3);
    assertThat(log.get(3).actor()).isEqualTo("carol");
    assertThat(log.get(3).scope()).isEmpty();
    assertThat(log.get(5).oldValue()).contains(SettingValue.of(false));
    assertThat(log.get(5).newValue()).isEmpty();
    for (int i = 0; i < log.size(); i++) {
      assertThat(log.get(i).at()).isAfter(before).isBefore(Instant.now().plusSeconds(300));
      if (i > 0) {
        assertThat(log.get(i).at()).isAfterOrEqualTo(log.get(i - 1).at());
      }
    }
    // Every way of reading the log, from any node, agrees with what the writes returned.
    S other = node(store);
    assertThat(other.changesSince(0, 100).orElseThrow()).isEqualTo(made);
    assertThat(other.changesSince(2, 2).orElseThrow()).containsExactly(log.get(2), log.get(3));
    assertThat(other.changesSince(6, 10).orElseThrow()).isEmpty();
    assertThat(other.history(Optional.of("checkout"), 2)).containsExactly(log.get(5), log.get(4));
    assertThat(other.change(4)).contains(log.get(3));
    assertThat(other.change(99)).isEmpty();
    assertThat(other.revision()).isEqualTo(6);
    assertThat(other.load("checkout").revision()).isEqualTo(6);
  }

  @Test
  void historyIsNewestFirstPerFeatureAndLimited() {
    S store = store(H);
    store.define(def("a", SettingType.LONG), AUDIT);
    store.define(def("b", SettingType.LONG), AUDIT);
    for (int i = 1; i <= 3; i++) {
      store.set("a", H.global(), SettingValue.of(i), Expect.any(), AUDIT);
      store.set("b", H.global(), SettingValue.of(10 + i), Expect.any(), AUDIT);
    }
    List<Change> all = store.history(Optional.empty(), 100);
    assertThat(all).extracting(Change::revision).containsExactly(8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
    List<Change> a = store.history(Optional.of("a"), 100);
    assertThat(a).extracting(Change::revision).containsExactly(7L, 5L, 3L, 1L);
    assertThat(a).allSatisfy(c -> assertThat(c.feature()).isEqualTo("a"));
    assertThat(a.get(0).newValue()).contains(SettingValue.of(3));
    assertThat(store.history(Optional.of("a"), 2))
        .extracting(Change::revision)
        .containsExactly(7L, 5L);
    assertThat(store.history(Optional.empty(), 3))
        .extracting(Change::revision)
        .containsExactly(8L, 7L, 6L);
    assertThat(store.history(Optional.of("nobody"), 10)).isEmpty();
  }

  @Test
  void changeByRevisionReturnsThatChange() {
    S store = store(H);
    Change define = store.define(def("a", SettingType.LONG), AUDIT);
    Change set = store.set("a", scope(null, "m1", null), SettingValue.of(4), Expect.any(), AUDIT);
    assertThat(store.change(define.revision())).contains(define);
    assertThat(store.change(set.revision())).contains(set);
    assertThat(store.change(set.revision()).orElseThrow().scope())
        .contains(scope(null, "m1", null));
    assertThat(store.change(0)).isEmpty();
    assertThat(store.change(set.revision() + 1)).isEmpty();
  }

  @Test
  void everyChangeOfOneWriteCarriesItsChangeSetAndAnIdOfItsOwn() {
    S store = store(H);
    Change alone = store.define(FeatureDefinition.bool("a"), AUDIT);
    assertThat(alone.changeSet()).isEqualTo(alone.revision());
    List<Change> imported =
        store.importAll(
            List.of(
                imported(
                    FeatureDefinition.bool("b"),
                    true,
                    Map.of(
                        H.global(),
                        SettingValue.of(true),
                        scope("p1", null, null),
                        SettingValue.of(false)))),
            false,
            AUDIT);
    assertThat(imported).hasSize(4); // define, two rows, kill
    assertThat(imported).extracting(Change::revision).containsExactly(2L, 3L, 4L, 5L);
    assertThat(imported).allSatisfy(c -> assertThat(c.changeSet()).isEqualTo(5));
    Change after = store.set("a", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    assertThat(after.changeSet()).isEqualTo(6);

    List<Change> log = node(store).changesSince(0, 100).orElseThrow();
    assertThat(log).extracting(Change::changeSet).containsExactly(1L, 5L, 5L, 5L, 5L, 6L);
    Set<String> ids = log.stream().map(Change::id).collect(Collectors.toSet());
    assertThat(ids).hasSize(6).doesNotContain("");
    assertThat(log.subList(1, 5)).isEqualTo(imported);
  }

  @Test
  void changesSinceNeverEndsInsideAChangeSet() {
    S store = store(H);
    store.define(FeatureDefinition.bool("a"), AUDIT);
    Map<Scope, SettingValue> rows = new TreeMap<>(Comparator.comparing(Scope::toString));
    for (int i = 0; i < 5; i++) {
      rows.put(scope("p" + i, null, null), SettingValue.of(true));
    }
    store.importAll(List.of(imported(FeatureDefinition.bool("b"), false, rows)), false, AUDIT);
    store.set("a", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    // Revisions: 1 define a, 2..7 the import (define b and five rows), 8 a set.

    S other = node(store);
    assertThat(other.changesSince(0, 2).orElseThrow())
        .extracting(Change::revision)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(other.changesSince(1, 1).orElseThrow())
        .extracting(Change::revision)
        .containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(other.changesSince(0, 1).orElseThrow())
        .extracting(Change::revision)
        .containsExactly(1L);
    assertThat(other.changesSince(7, 1).orElseThrow())
        .extracting(Change::revision)
        .containsExactly(8L);
  }

  @Test
  void headNamesTheStoreItsRevisionAndTheChangeAtARevision() {
    S store = store(H);
    StoreHead empty = store.head(0);
    assertThat(empty.revision()).isZero();
    assertThat(empty.changeIdAt()).isEmpty();
    Change first = store.define(FeatureDefinition.bool("f"), AUDIT);
    Change second = store.set("f", H.global(), SettingValue.of(true), Expect.any(), AUDIT);

    StoreHead head = node(store).head(1);
    assertThat(head.storeId()).isNotEmpty().isEqualTo(empty.storeId());
    assertThat(head.revision()).isEqualTo(2);
    assertThat(head.changeIdAt()).contains(first.id());
    assertThat(store.head(2).changeIdAt()).contains(second.id());
    assertThat(store.head(3).changeIdAt()).isEmpty();
    assertThat(store(H).head(0).storeId()).isNotEqualTo(head.storeId());
  }

  @Test
  void loadContentsIsEverythingWithItsHead() {
    S store = store(H);
    store.define(FeatureDefinition.bool("a"), AUDIT);
    store.define(def("b", SettingType.LONG), AUDIT);
    Change last = store.set("b", H.global(), SettingValue.of(3), Expect.any(), AUDIT);

    StoreContents contents = node(store).loadContents();
    assertThat(contents.head().revision()).isEqualTo(3);
    assertThat(contents.head().changeIdAt()).contains(last.id());
    assertThat(contents.head().storeId()).isEqualTo(store.head(0).storeId());
    assertThat(sorted(contents.features())).isEqualTo(sorted(store.loadAll()));
    assertThat(contents.features()).allSatisfy(f -> assertThat(f.revision()).isEqualTo(3));
  }

  // ------------------------------------------------------------------ import

  /** A feature to import, with rows of version 1 (an import ignores versions). */
  protected static FeatureState imported(
      FeatureDefinition def, boolean killed, Map<Scope, SettingValue> rows) {
    List<Setting> settings = new ArrayList<>();
    rows.forEach((s, v) -> settings.add(new Setting(def.key(), s, v, 1)));
    return new FeatureState(def.key(), Optional.of(def), killed, settings, 0);
  }

  /** Merged with the JDBC test {@code importAppliesDifferencesOnlyAndPrunes}. */
  @Test
  void importWritesDeclarationsRowsAndKillSwitches() {
    S store = store(H);
    FeatureDefinition checkout = FeatureDefinition.bool("checkout");
    FeatureDefinition gw = def("gw", SettingType.STRING);
    List<FeatureState> input =
        List.of(
            imported(
                checkout,
                true,
                Map.of(
                    H.global(),
                    SettingValue.of(true),
                    scope("p1", null, null),
                    SettingValue.of(false))),
            imported(gw, false, Map.of(scope(null, "m1", "DE"), SettingValue.of("adyen"))));
    List<Change> changes = store.importAll(input, false, AUDIT);
    assertThat(changes)
        .extracting(Change::kind)
        .containsExactly(
            ChangeKind.DEFINE,
            ChangeKind.SET,
            ChangeKind.SET,
            ChangeKind.KILL,
            ChangeKind.DEFINE,
            ChangeKind.SET);
    assertThat(changes).extracting(Change::revision).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(store.revision()).isEqualTo(6);
    assertThat(store.read("checkout").killed()).isTrue();
    assertThat(rows(store, "checkout")).hasSize(2);
    assertThat(rows(store, "gw").get(scope(null, "m1", "DE")).value())
        .isEqualTo(SettingValue.of("adyen"));
    // The same import again changes nothing.
    assertThat(store.importAll(input, false, AUDIT)).isEmpty();
    assertThat(store.revision()).isEqualTo(6);
  }

  /** Merged with the JDBC test {@code anImportThatFailsHalfWayLeavesNothingBehind}. */
  @Test
  void importIsAllOrNothing() {
    S store = store(H);
    store.define(def("existing", SettingType.LONG), AUDIT);
    store.set("existing", H.global(), SettingValue.of(1), Expect.any(), AUDIT);
    FeatureDefinition good = FeatureDefinition.bool("good");
    FeatureDefinition bad = FeatureDefinition.bool("bad");
    List<FeatureState> input =
        List.of(
            imported(good, true, Map.of(H.global(), SettingValue.of(true))),
            imported(
                def("existing", SettingType.LONG),
                false,
                Map.of(
                    H.global(), SettingValue.of(2), scope("p1", null, null), SettingValue.of(3))),
            imported(bad, false, Map.of(H.global(), SettingValue.of(5L)))); // wrong type
    assertRefusedWithoutTrace(
            store, WrongTypeException.class, () -> store.importAll(input, true, AUDIT))
        .hasMessageContaining("'bad' is BOOLEAN, not LONG");
    assertThat(store.features()).extracting(FeatureDefinition::key).containsExactly("existing");
    assertThat(store.load("good")).isEqualTo(FeatureState.absent("good", store.revision()));
    assertThat(rows(store, "existing").keySet()).containsExactly(H.global());
    assertThat(rows(store, "existing").get(H.global()).value()).isEqualTo(SettingValue.of(1));
  }

  @Test
  void importOfAKilledFeatureWithoutKillValueIsRefusedWholly() {
    S store = store(H);
    List<FeatureState> input =
        List.of(
            imported(FeatureDefinition.bool("ok"), true, Map.of()),
            imported(def("fee", SettingType.LONG), true, Map.of(H.global(), SettingValue.of(3))));
    assertRefusedByRule(
        store, Rule.KILL_NEEDS_SAFE_VALUE, () -> store.importAll(input, false, AUDIT));
  }

  @Test
  void importWithPruneRemovesRowsTheImportDoesNotName() {
    S store = store(H);
    FeatureDefinition gw = def("gw", SettingType.STRING);
    store.define(gw, AUDIT);
    store.set("gw", H.global(), SettingValue.of("a"), Expect.any(), AUDIT);
    store.set("gw", scope("p1", null, null), SettingValue.of("b"), Expect.any(), AUDIT);
    store.set("gw", scope("p2", null, null), SettingValue.of("c"), Expect.any(), AUDIT);
    List<FeatureState> input =
        List.of(
            imported(
                gw,
                false,
                Map.of(
                    H.global(),
                    SettingValue.of("a"),
                    scope("p1", null, null),
                    SettingValue.of("B"))));

    List<Change> kept = store.importAll(input, false, AUDIT);
    assertThat(kept).extracting(Change::kind).containsExactly(ChangeKind.SET);
    assertThat(rows(store, "gw")).hasSize(3);

    List<Change> pruned = store.importAll(input, true, AUDIT);
    assertThat(pruned).extracting(Change::kind).containsExactly(ChangeKind.UNSET);
    assertThat(pruned.get(0).scope()).contains(scope("p2", null, null));
    assertThat(pruned.get(0).oldValue()).contains(SettingValue.of("c"));
    Map<Scope, Setting> rows = rows(store, "gw");
    assertThat(rows.keySet()).containsExactlyInAnyOrder(H.global(), scope("p1", null, null));
    assertThat(rows.get(scope("p1", null, null)).value()).isEqualTo(SettingValue.of("B"));
  }

  // ------------------------------------------------------------------ writes as values

  @Test
  void previewShowsTheChangesAndTheStatesBeforeAndAfterAndWritesNothing() {
    S store = store(H);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    store.set("checkout", H.global(), SettingValue.of(true), Expect.any(), AUDIT);
    FeatureState before = store.load("checkout");
    List<Change> history = store.history(Optional.empty(), 100);

    Preview kill = store.preview(new Write.Kill("checkout"), AUDIT);
    assertThat(kill.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(ChangeKind.KILL);
              assertThat(c.revision()).isEqualTo(3);
              assertThat(c.changeSet()).isEqualTo(3);
            });
    assertThat(kill.features())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.feature()).isEqualTo("checkout");
              assertThat(sorted(f.before())).isEqualTo(sorted(before));
              assertThat(f.after().killed()).isTrue();
              assertThat(f.after().revision()).isEqualTo(3);
              assertThat(f.after().rows()).isEqualTo(before.rows());
            });
    FeatureState imported =
        imported(
            FeatureDefinition.bool("checkout"),
            false,
            Map.of(scope("p1", null, null), SettingValue.of(false)));
    Preview pruning = store.preview(new Write.Import(List.of(imported), true), AUDIT);
    assertThat(pruning.changes())
        .extracting(Change::kind)
        .containsExactly(ChangeKind.SET, ChangeKind.UNSET);
    assertThat(pruning.changes()).allSatisfy(c -> assertThat(c.changeSet()).isEqualTo(4));
    assertThat(pruning.features().get(0).after().rows())
        .extracting(Setting::scope, Setting::value)
        .containsExactly(tuple(scope("p1", null, null), SettingValue.of(false)));
    assertThat(store.preview(new Write.Unkill("checkout"), AUDIT).isEmpty()).isTrue();

    // Nothing was written, and no other node sees anything.
    for (S s : List.of(store, node(store))) {
      assertThat(s.revision()).isEqualTo(2);
      assertThat(s.history(Optional.empty(), 100)).isEqualTo(history);
      assertThat(sorted(s.load("checkout"))).isEqualTo(sorted(before));
    }
    // What the preview announced is what the write then does.
    List<Change> made = store.apply(new Write.Kill("checkout"), AUDIT);
    assertThat(made)
        .extracting(Change::kind, Change::revision)
        .containsExactly(tuple(ChangeKind.KILL, 3L));
  }

  @Test
  void previewRefusesWhatApplyRefuses() {
    S store = store(H);
    store.define(def("fee", SettingType.LONG), AUDIT);
    Change define = store.change(1).orElseThrow();
    assertRefusedByRule(
        store, Rule.KILL_NEEDS_SAFE_VALUE, () -> store.preview(new Write.Kill("fee"), AUDIT));
    assertRefusedByRule(
        store,
        Rule.REVERT_OF_DECLARATION,
        () -> store.preview(new Write.Revert(define.revision()), AUDIT));
    assertRefusedWithoutTrace(
        store,
        ConflictException.class,
        () ->
            store.preview(
                new Write.Set("fee", H.global(), SettingValue.of(1), Expect.version(7)), AUDIT));
    assertRefusedWithoutTrace(
        store,
        WrongTypeException.class,
        () ->
            store.preview(
                new Write.Set("fee", H.global(), SettingValue.of("x"), Expect.any()), AUDIT));
    assertRefusedWithoutTrace(
        store,
        UnknownFeatureException.class,
        () -> store.preview(new Write.Unkill("nobody"), AUDIT));
  }

  @Test
  void applyOfEveryWriteIsTheSameAsItsMethod() {
    S store = store(H);
    List<Change> define = store.apply(new Write.Define(def("gw", SettingType.STRING)), AUDIT);
    assertThat(define).extracting(Change::kind).containsExactly(ChangeKind.DEFINE);
    Change set =
        store
            .apply(new Write.Set("gw", H.global(), SettingValue.of("a"), Expect.absent()), AUDIT)
            .get(0);
    assertThat(set.newVersion()).hasValue(2);
    assertThat(store.apply(new Write.Revert(set.revision()), AUDIT))
        .extracting(Change::kind)
        .containsExactly(ChangeKind.UNSET);
    store.define(
        FeatureDefinition.builder("gw", SettingType.STRING).defaultValue("safe").build(), AUDIT);
    assertThat(store.apply(new Write.Kill("gw"), AUDIT)).hasSize(1);
    assertThat(store.apply(new Write.Kill("gw"), AUDIT)).isEmpty();
    assertThat(store.apply(new Write.Unkill("gw"), AUDIT)).hasSize(1);
    store.set("gw", scope("p1", null, null), SettingValue.of("b"), Expect.any(), AUDIT);
    assertThat(store.apply(new Write.Unset("gw", scope("p1", null, null), Expect.any()), AUDIT))
        .extracting(Change::kind)
        .containsExactly(ChangeKind.UNSET);
    assertThat(store.apply(new Write.Import(List.of(store.read("gw")), true), AUDIT)).isEmpty();
    assertThat(store.revision()).isEqualTo(8);
  }

  // ------------------------------------------------------------------ bad input

  /**
   * Merged with part of the JDBC test {@code badInputIsRefusedClearlyAndLeavesNoRowAndNoChange}.
   */
  @Test
  void writeToAnUnknownFeatureIsRefusedWithoutTrace() {
    S store = store(H);
    assertRefusedWithoutTrace(
        store,
        UnknownFeatureException.class,
        () -> store.set("nobody", H.global(), SettingValue.of(true), Expect.any(), AUDIT));
    assertRefusedWithoutTrace(
        store, UnknownFeatureException.class, () -> store.kill("nobody", AUDIT));
    assertRefusedWithoutTrace(
        store, UnknownFeatureException.class, () -> store.unkill("nobody", AUDIT));
    assertRefusedWithoutTrace(
        store,
        UnknownFeatureException.class,
        () -> store.unset("nobody", H.global(), Expect.any(), AUDIT));
    assertThatThrownBy(
            () -> store.set("nobody", H.global(), SettingValue.of(true), Expect.any(), AUDIT))
        .hasMessageContaining("unknown feature 'nobody'");
    assertThat(store.read("nobody").rows()).isEmpty();
  }

  /**
   * Merged with part of the JDBC test {@code badInputIsRefusedClearlyAndLeavesNoRowAndNoChange}.
   */
  @Test
  void valueOfTheWrongTypeIsRefusedWithoutTrace() {
    S store = store(H);
    store.define(def("fee", SettingType.LONG), AUDIT);
    assertRefusedWithoutTrace(
        store,
        WrongTypeException.class,
        () -> store.set("fee", H.global(), SettingValue.of("12"), Expect.any(), AUDIT));
    assertThatThrownBy(
            () -> store.set("fee", H.global(), SettingValue.of(true), Expect.any(), AUDIT))
        .hasMessageContaining("'fee' is LONG, not BOOLEAN");
    assertThat(store.read("fee").rows()).isEmpty();
  }

  /**
   * Merged with part of the JDBC test {@code badInputIsRefusedClearlyAndLeavesNoRowAndNoChange}.
   */
  @Test
  void malformedKeyIsRefusedWithoutTrace() {
    S store = store(H);
    store.define(FeatureDefinition.bool("ok"), AUDIT);
    assertRefusedWithoutTrace(
            store,
            IllegalArgumentException.class,
            () -> store.set("bad key!", H.global(), SettingValue.of(true), Expect.any(), AUDIT))
        .hasMessageContaining("feature key 'bad key!' is malformed");
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () -> store.set("", H.global(), SettingValue.of(true), Expect.any(), AUDIT));
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () -> store.unset("x".repeat(101), H.global(), Expect.any(), AUDIT));
    assertRefusedWithoutTrace(
        store, IllegalArgumentException.class, () -> store.kill("bad key!", AUDIT));
    assertThatThrownBy(() -> store.load("bad key!")).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Merged with part of the JDBC test {@code badInputIsRefusedClearlyAndLeavesNoRowAndNoChange}.
   */
  @Test
  void overlongScopeValueIsRefusedWithoutTrace() {
    S store = store(H);
    store.define(FeatureDefinition.bool("ok"), AUDIT);
    String tooLong = "v".repeat(Scope.MAX_VALUE_LENGTH + 1);
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () ->
            store.set(
                "ok",
                Scope.of(H, null, tooLong, null),
                SettingValue.of(true),
                Expect.any(),
                AUDIT));
    assertThatThrownBy(() -> Scope.of(H, null, tooLong, null))
        .hasMessageContaining("value of 'merchant' is 129 characters long; the limit is 128");
  }

  /**
   * Merged with part of the JDBC test {@code badInputIsRefusedClearlyAndLeavesNoRowAndNoChange}.
   */
  @Test
  void unknownDimensionIsRefusedWithoutTrace() {
    S store = store(H);
    store.define(FeatureDefinition.bool("ok"), AUDIT);
    assertThatThrownBy(() -> H.scope().with("tenant", "t1").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scope dimension 'tenant'");
    Hierarchy other = Hierarchy.of("tenant", "region");
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () ->
            store.set(
                "ok", Scope.of(other, "t1", null), SettingValue.of(true), Expect.any(), AUDIT));
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () -> store.unset("ok", Scope.of(other, "t1", null), Expect.any(), AUDIT));
    assertThatThrownBy(
            () ->
                store.set(
                    "ok", Scope.of(other, "t1", null), SettingValue.of(true), Expect.any(), AUDIT))
        .hasMessageContaining(
            "scope has dimensions [tenant, region] but the store has [product, merchant, country]");
  }

  @Test
  void blankActorOrReasonIsRefusedWithoutTrace() {
    S store = store(H);
    store.define(FeatureDefinition.bool("ok"), AUDIT);
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () ->
            store.set(
                "ok", H.global(), SettingValue.of(true), Expect.any(), Audit.of("alice", " ")));
    assertRefusedWithoutTrace(
        store, IllegalArgumentException.class, () -> store.kill("ok", Audit.of("", "why")));
    assertThatThrownBy(() -> Audit.of("alice", "")).hasMessageContaining("reason is blank");
  }

  // ------------------------------------------------------------------ precedence over the store

  @Test
  void precedenceThroughTogglesOverTheStoresRows() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Map<Scope, String> rows =
        Map.of(
            H.global(), "global",
            scope(null, null, "DE"), "country-DE",
            scope(null, "m1", null), "merchant-m1",
            scope(null, "m1", "DE"), "m1-DE",
            scope("p1", null, null), "p1",
            scope("p1", null, "FR"), "p1-FR",
            scope("p1", "m2", null), "p1-m2");
    rows.forEach((s, v) -> store.set("gw", s, SettingValue.of(v), Expect.absent(), AUDIT));
    Map<Context, String> expected =
        Map.of(
            Context.empty(H), "global",
            Context.of(H, null, null, "DE"), "country-DE",
            Context.of(H, null, "m1", "FR"), "merchant-m1",
            Context.of(H, "p2", "m1", "DE"), "m1-DE",
            Context.of(H, "p1", "m1", "DE"), "p1",
            Context.of(H, "p1", "m1", "FR"), "p1-FR",
            Context.of(H, "p1", "m2", "FR"), "p1-m2",
            Context.of(H, null, "m2", null), "global");
    Toggles t = toggles(node(store));
    expected.forEach(
        (ctx, winner) ->
            assertThat(t.getString("gw", ctx, "none")).as(ctx.toString()).isEqualTo(winner));
  }

  /** Moved from the JDBC tests: random rows resolve as they do over the reference store. */
  @Test
  void resolutionFromTheStoresRowsMatchesTheReferenceStore() {
    S store = store(H);
    InMemoryStore memory = InMemoryStore.create(H);
    String[] products = {null, "p1", "p2"};
    String[] merchants = {null, "m1", "m2"};
    String[] countries = {null, "DE", "FR"};
    Random random = new Random(20261123L);
    FeatureDefinition fee =
        FeatureDefinition.builder("fee", SettingType.LONG)
            .defaultValue(SettingValue.of(-1L))
            .build();
    FeatureDefinition beta = FeatureDefinition.bool("beta");
    for (FeatureDefinition d : List.of(fee, beta)) {
      store.define(d, AUDIT);
      memory.define(d, AUDIT);
    }
    Set<Scope> used = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      Scope s =
          scope(
              products[random.nextInt(3)],
              merchants[random.nextInt(3)],
              countries[random.nextInt(3)]);
      boolean first = used.add(s);
      SettingValue feeValue = SettingValue.of((long) random.nextInt(1000));
      SettingValue betaValue = SettingValue.of(random.nextBoolean());
      store.set("fee", s, feeValue, Expect.any(), AUDIT);
      memory.set("fee", s, feeValue, Expect.any(), AUDIT);
      if (first) {
        store.set("beta", s, betaValue, Expect.any(), AUDIT);
        memory.set("beta", s, betaValue, Expect.any(), AUDIT);
      }
    }
    S reader = node(store);
    assertThat(sorted(reader.loadAll())).isEqualTo(sorted(memory.loadAll()));

    Toggles fromStore = toggles(reader);
    Toggles fromMemory = toggles(memory);
    String[] ps = {null, "p1", "p2", "p3"};
    String[] ms = {null, "m1", "m2", "m3"};
    String[] cs = {null, "DE", "FR", "IT"};
    int compared = 0;
    for (String p : ps) {
      for (String m : ms) {
        for (String c : cs) {
          Context ctx = Context.of(H, p, m, c);
          assertThat(fromStore.getLong("fee", ctx, -2))
              .as(ctx.toString())
              .isEqualTo(fromMemory.getLong("fee", ctx, -2));
          assertThat(fromStore.isEnabled("beta", ctx))
              .as(ctx.toString())
              .isEqualTo(fromMemory.isEnabled("beta", ctx));
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(64);
  }

  @Test
  void customHierarchyOfTwoDimensionsStoresAndResolves() {
    Hierarchy h = Hierarchy.of("tenant", "region");
    S store = store(h);
    assertThat(store.hierarchy()).isEqualTo(h);
    store.define(def("limit", SettingType.LONG), AUDIT);
    store.set("limit", Scope.of(h, null, "eu"), SettingValue.of(10), Expect.any(), AUDIT);
    store.set("limit", Scope.of(h, "t1", null), SettingValue.of(20), Expect.any(), AUDIT);
    store.set("limit", h.global(), SettingValue.of(1), Expect.any(), AUDIT);
    assertThat(store.load("limit").rows()).hasSize(3);
    Toggles t = toggles(store);
    assertThat(t.getLong("limit", Context.of(h, "t1", "eu"), -1)).isEqualTo(20);
    assertThat(t.getLong("limit", Context.of(h, "t2", "eu"), -1)).isEqualTo(10);
    assertThat(t.getLong("limit", Context.of(h, "t2", "us"), -1)).isEqualTo(1);
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () ->
            store.set(
                "limit", Scope.of(H, "p1", null, null), SettingValue.of(3), Expect.any(), AUDIT));
  }

  /** Merged with the JDBC test {@code aWideHierarchyWithReservedWordsAsDimensionsWorks}. */
  @Test
  void aHierarchyOfSixteenDimensionsNamedLikeSqlKeywordsStoresAndResolves() {
    List<String> names = new ArrayList<>(List.of("order", "user", "group", "select"));
    for (int i = names.size(); i < Hierarchy.MAX_DIMENSIONS; i++) {
      names.add("d" + i);
    }
    Hierarchy h = new Hierarchy(names);
    S store = store(h);
    store.define(def("f", SettingType.LONG), AUDIT);
    for (int i = 0; i < h.size(); i++) {
      store.set(
          "f",
          h.scope().with(names.get(i), "v").build(),
          SettingValue.of(i),
          Expect.absent(),
          AUDIT);
    }
    String[] longest = new String[h.size()];
    for (int i = 0; i < longest.length; i++) {
      longest[i] = (char) ('a' + i) + "x".repeat(Scope.MAX_VALUE_LENGTH - 1);
    }
    Scope full = Scope.of(h, longest);
    store.set("f", full, SettingValue.of(99), Expect.absent(), AUDIT);
    Scope user = h.scope().with("user", "v").build();
    assertThatThrownBy(() -> store.set("f", user, SettingValue.of(7), Expect.absent(), AUDIT))
        .isInstanceOf(ConflictException.class);
    assertThat(store.load("f").rows()).hasSize(17);
    assertThat(store.history(Optional.empty(), 1).get(0).scope()).contains(full);

    Context.Builder all = h.context();
    for (String name : names) {
      all.with(name, "v");
    }
    Context allV = all.build();
    Toggles t = toggles(node(store));
    assertThat(t.getLong("f", allV, -1)).isZero();
    assertThat(t.getLong("f", allV.with("order", null), -1)).isEqualTo(1);
    assertThat(t.getLong("f", h.context().with("d15", "v").build(), -1)).isEqualTo(15);
    assertThat(t.getLong("f", h.context().with("d15", "w").build(), -1)).isEqualTo(-1);
    assertThat(t.getLong("f", Context.of(h, longest), -1)).isEqualTo(99);
  }
}
