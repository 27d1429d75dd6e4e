package io.toggles.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.ConflictException;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.TogglesException;
import io.toggles.UnknownFeatureException;
import io.toggles.WrongTypeException;
import io.toggles.spi.ToggleStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link ToggleStore} + {@link ToggleAdmin} implementation must share. A store
 * module subclasses it once per database and implements {@link #newStore(Hierarchy)}; every test
 * here then runs against that store.
 *
 * @param <S> the store type, both the read SPI and the write API
 */
public abstract class StoreContractTest<S extends ToggleStore & ToggleAdmin> {
  /** The default hierarchy: product, merchant, country. */
  protected static final Hierarchy H = Hierarchy.DEFAULT;

  /** The audit of every write in these tests. */
  protected static final Audit AUDIT = Audit.of("alice", "contract test");

  private final List<S> opened = new ArrayList<>();

  /**
   * A fresh, empty store of {@code hierarchy}, sharing nothing with any other store this method
   * returned. The contract closes it after the test.
   */
  protected abstract S newStore(Hierarchy hierarchy);

  /** A fresh store, closed after the test. */
  protected final S store(Hierarchy hierarchy) {
    S s = newStore(hierarchy);
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeStores() {
    for (S s : opened) {
      s.close();
    }
    opened.clear();
  }

  private static Scope scope(String product, String merchant, String country) {
    return Scope.of(H, product, merchant, country);
  }

  private static FeatureDefinition def(String key, SettingType type) {
    return FeatureDefinition.builder(key, type).build();
  }

  private static Toggles toggles(ToggleStore store) {
    return Toggles.builder(store)
        .syncInterval(Duration.ZERO)
        .missWait(Duration.ofSeconds(10))
        .build();
  }

  private static Map<Scope, Setting> rows(ToggleAdmin admin, String feature) {
    return admin.read(feature).rows().stream()
        .collect(Collectors.toMap(Setting::scope, Function.identity()));
  }

  /** Asserts that {@code write} fails with {@code type} and the store did not change at all. */
  private void assertRefusedWithoutTrace(
      S store, Class<? extends Throwable> type, ThrowingCallable write) {
    long revision = store.revision();
    List<FeatureState> before = store.loadAll();
    List<Change> history = store.history(Optional.empty(), 1000);
    assertThatThrownBy(write).isInstanceOf(type).hasMessageNotContaining("null");
    assertThat(store.revision()).as("revision after a refused write").isEqualTo(revision);
    assertThat(store.history(Optional.empty(), 1000)).isEqualTo(history);
    assertThat(normalize(store.loadAll())).isEqualTo(normalize(before));
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
            SettingValue.of("ünïcødé ✓ 'quoted' \"double\" \\ back"),
            SettingValue.of("x".repeat(SettingValue.MAX_TEXT_LENGTH)),
            SettingValue.of(Long.MIN_VALUE),
            SettingValue.of(Long.MAX_VALUE),
            SettingValue.of(0),
            SettingValue.of(new BigDecimal("0.015")),
            SettingValue.of(new BigDecimal("-12345678901234567890.123456789")),
            SettingValue.of(new BigDecimal("1E+3")),
            SettingValue.json("{\"a\":[1,2.5,{\"b\":null}],\"c\":\"ü\"}"),
            SettingValue.json("\"" + "j".repeat(SettingValue.MAX_TEXT_LENGTH - 2) + "\""));
    for (int i = 0; i < values.size(); i++) {
      SettingValue v = values.get(i);
      String key = "f" + i;
      store.define(FeatureDefinition.builder(key, v.type()).defaultValue(v).build(), AUDIT);
      store.set(key, scope("p" + i, null, null), v, Expect.absent(), AUDIT);
    }
    for (int i = 0; i < values.size(); i++) {
      SettingValue v = values.get(i);
      String key = "f" + i;
      FeatureState state = store.load(key);
      assertThat(state.rows()).hasSize(1);
      assertThat(state.rows().get(0).value()).as(key).isEqualTo(v);
      assertThat(state.rows().get(0).value().text()).as(key).isEqualTo(v.text());
      assertThat(state.definition().orElseThrow().defaultValue()).as(key).contains(v);
      assertThat(store.read(key).rows().get(0).value()).isEqualTo(v);
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
    assertThat(store.load("f").rows()).extracting(Setting::scope).containsExactly(s);
    try (Toggles t = toggles(store)) {
      assertThat(t.isEnabled("f", Context.of(H, longest, "mérchant ✓", "D'E"))).isTrue();
      assertThat(t.isEnabled("f", Context.of(H, longest, "merchant", "D'E"))).isFalse();
    }
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

  @Test
  void typeOfAFeatureWithRowsCannotChange() {
    S store = store(H);
    store.define(def("fee", SettingType.LONG), AUDIT);
    store.define(def("fee", SettingType.STRING), AUDIT); // no rows yet: allowed
    store.set("fee", H.global(), SettingValue.of("x"), Expect.any(), AUDIT);
    assertRefusedWithoutTrace(
        store, TogglesException.class, () -> store.define(def("fee", SettingType.LONG), AUDIT));
    assertThat(store.read("fee").definition().orElseThrow().type()).isEqualTo(SettingType.STRING);
  }

  @Test
  void featuresListsEveryDeclaredFeature() {
    S store = store(H);
    store.define(FeatureDefinition.bool("b"), AUDIT);
    store.define(def("a", SettingType.JSON), AUDIT);
    assertThat(store.features())
        .extracting(FeatureDefinition::key)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(store.loadAll()).extracting(FeatureState::key).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void unknownFeatureLoadsAsAbsent() {
    S store = store(H);
    store.define(FeatureDefinition.bool("b"), AUDIT);
    FeatureState s = store.load("nobody");
    assertThat(s.key()).isEqualTo("nobody");
    assertThat(s.definition()).isEmpty();
    assertThat(s.rows()).isEmpty();
    assertThat(s.killed()).isFalse();
    assertThat(s.revision()).isEqualTo(store.revision());
  }

  // ------------------------------------------------------------------ set, unset, versions

  @Test
  void setCreatesVersionOneAndEveryWriteIncrementsIt() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Scope s = scope("p1", null, "DE");
    Change c1 = store.set("gw", s, SettingValue.of("a"), Expect.absent(), AUDIT);
    assertThat(c1.kind()).isEqualTo(ChangeKind.SET);
    assertThat(c1.scope()).contains(s);
    assertThat(c1.oldValue()).isEmpty();
    assertThat(c1.newValue()).contains(SettingValue.of("a"));
    assertThat(c1.newVersion()).isEqualTo(OptionalLong.of(1));
    assertThat(c1.actor()).isEqualTo("alice");
    assertThat(c1.reason()).isEqualTo("contract test");
    assertThat(c1.at()).isNotNull();
    assertThat(c1.revertOf()).isEmpty();
    Change c2 = store.set("gw", s, SettingValue.of("b"), Expect.version(1), AUDIT);
    assertThat(c2.oldValue()).contains(SettingValue.of("a"));
    assertThat(c2.newVersion()).isEqualTo(OptionalLong.of(2));
    Change c3 = store.set("gw", s, SettingValue.of("c"), Expect.any(), AUDIT);
    assertThat(c3.newVersion()).isEqualTo(OptionalLong.of(3));
    Setting row = rows(store, "gw").get(s);
    assertThat(row.value()).isEqualTo(SettingValue.of("c"));
    assertThat(row.version()).isEqualTo(3);
    assertThat(row.feature()).isEqualTo("gw");
  }

  @Test
  void rowsOfDifferentScopesAreIndependent() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    store.set("gw", H.global(), SettingValue.of("g"), Expect.absent(), AUDIT);
    store.set("gw", scope("p1", null, null), SettingValue.of("p"), Expect.absent(), AUDIT);
    store.set("gw", scope(null, "p1", null), SettingValue.of("m"), Expect.absent(), AUDIT);
    Map<Scope, Setting> rows = rows(store, "gw");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(scope(null, "p1", null)).value()).isEqualTo(SettingValue.of("m"));
    assertThat(rows.values()).allSatisfy(r -> assertThat(r.version()).isEqualTo(1));
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

  @Test
  void staleVersionConflictsAndWritesNothing() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    store.set("gw", H.global(), SettingValue.of("a"), Expect.absent(), AUDIT);
    store.set("gw", H.global(), SettingValue.of("b"), Expect.version(1), AUDIT);
    assertRefusedWithoutTrace(
        store,
        ConflictException.class,
        () -> store.set("gw", H.global(), SettingValue.of("c"), Expect.version(1), AUDIT));
    assertRefusedWithoutTrace(
        store,
        ConflictException.class,
        () ->
            store.set(
                "gw", scope("p1", null, null), SettingValue.of("c"), Expect.version(1), AUDIT));
    assertRefusedWithoutTrace(
        store,
        ConflictException.class,
        () -> store.unset("gw", H.global(), Expect.version(1), AUDIT));
    assertThat(rows(store, "gw").get(H.global()).version()).isEqualTo(2);
  }

  @Test
  void unsetRemovesTheRowAndRecordsItsValue() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Scope s = scope(null, "m1", null);
    store.set("gw", s, SettingValue.of("a"), Expect.absent(), AUDIT);
    Change c = store.unset("gw", s, Expect.version(1), AUDIT);
    assertThat(c.kind()).isEqualTo(ChangeKind.UNSET);
    assertThat(c.scope()).contains(s);
    assertThat(c.oldValue()).contains(SettingValue.of("a"));
    assertThat(c.newValue()).isEmpty();
    assertThat(store.read("gw").rows()).isEmpty();
    // Set again after unset: a new row, version 1.
    Change again = store.set("gw", s, SettingValue.of("b"), Expect.absent(), AUDIT);
    assertThat(again.newVersion()).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void unsetOfAMissingRowIsRefused() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    assertRefusedWithoutTrace(
        store, ConflictException.class, () -> store.unset("gw", H.global(), Expect.any(), AUDIT));
  }

  // ------------------------------------------------------------------ kill switch

  @Test
  void killAndUnkillFlipTheSwitchOnceEach() {
    S store = store(H);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    Change kill = store.kill("checkout", AUDIT).orElseThrow();
    assertThat(kill.kind()).isEqualTo(ChangeKind.KILL);
    assertThat(kill.feature()).isEqualTo("checkout");
    assertThat(store.read("checkout").killed()).isTrue();
    assertThat(store.load("checkout").killed()).isTrue();
    long revision = store.revision();
    assertThat(store.kill("checkout", AUDIT)).isEmpty();
    assertThat(store.revision()).isEqualTo(revision);
    Change unkill = store.unkill("checkout", AUDIT).orElseThrow();
    assertThat(unkill.kind()).isEqualTo(ChangeKind.UNKILL);
    assertThat(store.read("checkout").killed()).isFalse();
    assertThat(store.unkill("checkout", AUDIT)).isEmpty();
    assertThat(store.revision()).isEqualTo(revision + 1);
  }

  @Test
  void killOfNonBooleanWithoutDefaultIsRefused() {
    S store = store(H);
    store.define(def("fee", SettingType.LONG), AUDIT);
    assertRefusedWithoutTrace(store, TogglesException.class, () -> store.kill("fee", AUDIT));
    store.define(
        FeatureDefinition.builder("fee", SettingType.LONG).defaultValue("0").build(), AUDIT);
    assertThat(store.kill("fee", AUDIT)).isPresent();
  }

  @Test
  void aKilledFeatureCannotLoseTheDefaultItFallsBackTo() {
    S store = store(H);
    store.define(
        FeatureDefinition.builder("fee", SettingType.LONG).defaultValue("0").build(), AUDIT);
    store.kill("fee", AUDIT);
    assertRefusedWithoutTrace(
        store, TogglesException.class, () -> store.define(def("fee", SettingType.LONG), AUDIT));
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
    try (Toggles t = toggles(store)) {
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
  }

  // ------------------------------------------------------------------ revert

  @Test
  void revertOfAChangedRowRestoresTheOldValue() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    store.set("gw", H.global(), SettingValue.of("a"), Expect.absent(), AUDIT);
    Change change = store.set("gw", H.global(), SettingValue.of("b"), Expect.any(), AUDIT);
    Change revert = store.revert(change.revision(), Audit.of("bob", "INC-1 roll back"));
    assertThat(revert.kind()).isEqualTo(ChangeKind.SET);
    assertThat(revert.revertOf()).isEqualTo(OptionalLong.of(change.revision()));
    assertThat(revert.revision()).isEqualTo(change.revision() + 1);
    assertThat(revert.actor()).isEqualTo("bob");
    assertThat(revert.reason()).isEqualTo("INC-1 roll back");
    assertThat(revert.oldValue()).contains(SettingValue.of("b"));
    assertThat(revert.newValue()).contains(SettingValue.of("a"));
    Setting row = rows(store, "gw").get(H.global());
    assertThat(row.value()).isEqualTo(SettingValue.of("a"));
    assertThat(row.version()).isEqualTo(3);
    assertThat(store.change(revert.revision())).contains(revert);
  }

  @Test
  void revertOfARowCreationRemovesTheRow() {
    S store = store(H);
    store.define(def("gw", SettingType.STRING), AUDIT);
    Change created = store.set("gw", H.global(), SettingValue.of("a"), Expect.absent(), AUDIT);
    Change revert = store.revert(created.revision(), AUDIT);
    assertThat(revert.kind()).isEqualTo(ChangeKind.UNSET);
    assertThat(revert.revertOf()).isEqualTo(OptionalLong.of(created.revision()));
    assertThat(store.read("gw").rows()).isEmpty();
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
        store, ConflictException.class, () -> store.revert(first.revision(), AUDIT));
    assertThatThrownBy(() -> store.revert(first.revision(), AUDIT))
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
        store, ConflictException.class, () -> store.revert(kill.revision(), AUDIT));
  }

  @Test
  void revertOfADefinitionIsRefused() {
    S store = store(H);
    Change define = store.define(FeatureDefinition.bool("checkout"), AUDIT);
    assertRefusedWithoutTrace(
        store, TogglesException.class, () -> store.revert(define.revision(), AUDIT));
    assertThatThrownBy(() -> store.revert(define.revision(), AUDIT))
        .isNotInstanceOf(ConflictException.class)
        .hasMessageContaining("declaration is not reverted");
  }

  @Test
  void revertOfAnUnknownRevisionIsRefused() {
    S store = store(H);
    store.define(FeatureDefinition.bool("checkout"), AUDIT);
    assertRefusedWithoutTrace(store, IllegalArgumentException.class, () -> store.revert(99, AUDIT));
    assertRefusedWithoutTrace(store, IllegalArgumentException.class, () -> store.revert(0, AUDIT));
  }

  // ------------------------------------------------------------------ change log

  @Test
  void revisionGrowsByOnePerWriteAndChangesSinceListsOldestFirst() {
    S store = store(H);
    assertThat(store.revision()).isZero();
    assertThat(store.changesSince(0, 10)).contains(List.of());
    store.define(FeatureDefinition.bool("a"), AUDIT);
    store.define(def("b", SettingType.LONG), AUDIT);
    List<Change> made = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long before = store.revision();
      Change c =
          store.set(
              i % 2 == 0 ? "a" : "b",
              scope("p" + i, null, null),
              i % 2 == 0 ? SettingValue.of(true) : SettingValue.of(i),
              Expect.absent(),
              AUDIT);
      assertThat(c.revision()).isEqualTo(before + 1);
      assertThat(store.revision()).isEqualTo(before + 1);
      made.add(c);
    }
    // A refused write takes no revision.
    assertThatThrownBy(
            () ->
                store.set(
                    "a", scope("p0", null, null), SettingValue.of(false), Expect.absent(), AUDIT))
        .isInstanceOf(ConflictException.class);
    Change kill = store.kill("a", AUDIT).orElseThrow();
    assertThat(kill.revision()).isEqualTo(made.get(5).revision() + 1);
    assertThat(store.revision()).isEqualTo(9);

    List<Change> all = store.changesSince(0, 100).orElseThrow();
    assertThat(all)
        .extracting(Change::revision)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(all.subList(2, 8)).isEqualTo(made);
    assertThat(store.changesSince(2, 2).orElseThrow())
        .extracting(Change::revision)
        .containsExactly(3L, 4L);
    assertThat(store.changesSince(9, 10).orElseThrow()).isEmpty();
    assertThat(store.load("a").revision()).isEqualTo(9);
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

  // ------------------------------------------------------------------ import

  private static FeatureState imported(
      FeatureDefinition def, boolean killed, Map<Scope, SettingValue> rows) {
    List<Setting> settings = new ArrayList<>();
    rows.forEach((s, v) -> settings.add(new Setting(def.key(), s, v, 1)));
    return new FeatureState(def.key(), Optional.of(def), killed, settings, 0);
  }

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
        .containsExactlyInAnyOrder(
            ChangeKind.DEFINE,
            ChangeKind.SET,
            ChangeKind.SET,
            ChangeKind.KILL,
            ChangeKind.DEFINE,
            ChangeKind.SET);
    assertThat(store.revision()).isEqualTo(6);
    assertThat(store.read("checkout").killed()).isTrue();
    assertThat(rows(store, "checkout")).hasSize(2);
    assertThat(rows(store, "gw").get(scope(null, "m1", "DE")).value())
        .isEqualTo(SettingValue.of("adyen"));
    // The same import again changes nothing.
    assertThat(store.importAll(input, false, AUDIT)).isEmpty();
    assertThat(store.revision()).isEqualTo(6);
  }

  @Test
  void importIsAllOrNothing() {
    S store = store(H);
    store.define(def("existing", SettingType.LONG), AUDIT);
    store.set("existing", H.global(), SettingValue.of(1), Expect.any(), AUDIT);
    FeatureDefinition good = FeatureDefinition.bool("good");
    FeatureDefinition bad = def("bad", SettingType.LONG);
    List<FeatureState> input =
        List.of(
            imported(good, false, Map.of(H.global(), SettingValue.of(true))),
            imported(
                def("existing", SettingType.LONG), false, Map.of(H.global(), SettingValue.of(2))),
            imported(bad, false, Map.of(H.global(), SettingValue.of("not a long"))));
    assertRefusedWithoutTrace(
        store, WrongTypeException.class, () -> store.importAll(input, true, AUDIT));
    assertThat(store.features()).extracting(FeatureDefinition::key).containsExactly("existing");
    assertThat(rows(store, "existing").get(H.global()).value()).isEqualTo(SettingValue.of(1));
  }

  @Test
  void importOfAKilledFeatureWithoutKillValueIsRefusedWholly() {
    S store = store(H);
    List<FeatureState> input =
        List.of(
            imported(FeatureDefinition.bool("ok"), true, Map.of()),
            imported(def("fee", SettingType.LONG), true, Map.of(H.global(), SettingValue.of(3))));
    assertRefusedWithoutTrace(
        store, TogglesException.class, () -> store.importAll(input, false, AUDIT));
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
    Map<Scope, Setting> rows = rows(store, "gw");
    assertThat(rows.keySet()).containsExactlyInAnyOrder(H.global(), scope("p1", null, null));
    assertThat(rows.get(scope("p1", null, null)).value()).isEqualTo(SettingValue.of("B"));
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void writeToAnUnknownFeatureIsRefusedWithoutTrace() {
    S store = store(H);
    assertRefusedWithoutTrace(
        store,
        UnknownFeatureException.class,
        () -> store.set("nobody", H.global(), SettingValue.of(true), Expect.any(), AUDIT));
    assertRefusedWithoutTrace(
        store, UnknownFeatureException.class, () -> store.kill("nobody", AUDIT));
    assertThatThrownBy(
            () -> store.set("nobody", H.global(), SettingValue.of(true), Expect.any(), AUDIT))
        .hasMessageContaining("'nobody'");
    assertThat(store.read("nobody").rows()).isEmpty();
  }

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

  @Test
  void malformedKeyIsRefusedWithoutTrace() {
    S store = store(H);
    store.define(FeatureDefinition.bool("ok"), AUDIT);
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () -> store.set("bad key", H.global(), SettingValue.of(true), Expect.any(), AUDIT));
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () -> store.set("", H.global(), SettingValue.of(true), Expect.any(), AUDIT));
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () -> store.unset("x".repeat(101), H.global(), Expect.any(), AUDIT));
  }

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
    assertThatThrownBy(() -> Scope.of(H, null, tooLong, null)).hasMessageContaining("'merchant'");
  }

  @Test
  void unknownDimensionIsRefusedWithoutTrace() {
    S store = store(H);
    store.define(FeatureDefinition.bool("ok"), AUDIT);
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () ->
            store.set(
                "ok",
                H.scope().with("tenant", "t1").build(),
                SettingValue.of(true),
                Expect.any(),
                AUDIT));
    Hierarchy other = Hierarchy.of("tenant", "region");
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () ->
            store.set(
                "ok", Scope.of(other, "t1", null), SettingValue.of(true), Expect.any(), AUDIT));
    assertThatThrownBy(
            () ->
                store.set(
                    "ok", Scope.of(other, "t1", null), SettingValue.of(true), Expect.any(), AUDIT))
        .hasMessageContaining("[tenant, region]");
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
    try (Toggles t = toggles(store)) {
      expected.forEach(
          (ctx, winner) ->
              assertThat(t.getString("gw", ctx, "none")).as(ctx.toString()).isEqualTo(winner));
    }
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
    try (Toggles t = toggles(store)) {
      assertThat(t.getLong("limit", Context.of(h, "t1", "eu"), -1)).isEqualTo(20);
      assertThat(t.getLong("limit", Context.of(h, "t2", "eu"), -1)).isEqualTo(10);
      assertThat(t.getLong("limit", Context.of(h, "t2", "us"), -1)).isEqualTo(1);
    }
    assertRefusedWithoutTrace(
        store,
        IllegalArgumentException.class,
        () ->
            store.set(
                "limit", Scope.of(H, "p1", null, null), SettingValue.of(3), Expect.any(), AUDIT));
  }

  @Test
  void hierarchyOfSixteenDimensionsStoresAndResolves() {
    Hierarchy h =
        new Hierarchy(IntStream.range(0, Hierarchy.MAX_DIMENSIONS).mapToObj(i -> "d" + i).toList());
    S store = store(h);
    store.define(def("f", SettingType.LONG), AUDIT);
    for (int i = 0; i < h.size(); i++) {
      store.set(
          "f", h.scope().with("d" + i, "v").build(), SettingValue.of(i), Expect.absent(), AUDIT);
    }
    Context.Builder all = h.context();
    for (int i = 0; i < h.size(); i++) {
      all.with("d" + i, "v");
    }
    Context full = all.build();
    assertThat(store.load("f").rows()).hasSize(16);
    try (Toggles t = toggles(store)) {
      assertThat(t.getLong("f", full, -1)).isZero();
      assertThat(t.getLong("f", full.with("d0", null), -1)).isEqualTo(1);
      assertThat(t.getLong("f", h.context().with("d15", "v").build(), -1)).isEqualTo(15);
      assertThat(t.getLong("f", h.context().with("d15", "w").build(), -1)).isEqualTo(-1);
    }
  }
}
