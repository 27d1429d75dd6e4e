package io.toggles;

import io.toggles.spi.StoreContents;
import io.toggles.spi.StoreHead;
import io.toggles.spi.ToggleStore;
import io.toggles.spi.WriteRules;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A store held in memory, with the same write rules and change log as the JDBC store: for tests,
 * and for applications that want toggles without a database. Nothing survives the process.
 *
 * <p>Each store has a random identity ({@link #head(long)}) and gives every change a random id, as
 * the JDBC store does, so that {@link #copy()} can stand in for a backup in fault tests: a copy
 * restored later has the same identity but, once written to, other changes at the same revisions.
 *
 * <p>Thread-safe: every method is atomic.
 */
public final class InMemoryStore implements ToggleStore, ToggleAdmin {
  private final Hierarchy hierarchy;
  private final Clock clock;
  private final String storeId;
  private final Map<String, FeatureDefinition> definitions = new TreeMap<>();
  private final Set<String> killed = new TreeSet<>();
  private final Map<String, Map<Scope, Setting>> rows = new HashMap<>();
  private final List<Change> log = new ArrayList<>();

  private InMemoryStore(Hierarchy hierarchy, Clock clock, String storeId) {
    this.hierarchy = hierarchy;
    this.clock = clock;
    this.storeId = storeId;
  }

  private static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }

  /** An empty store of the given hierarchy, stamping changes with the system clock. */
  public static InMemoryStore create(Hierarchy hierarchy) {
    return new InMemoryStore(hierarchy, Clock.systemUTC(), randomId());
  }

  /** An empty store of the given hierarchy, stamping changes with {@code clock}. */
  public static InMemoryStore create(Hierarchy hierarchy, Clock clock) {
    return new InMemoryStore(hierarchy, clock, randomId());
  }

  @Override
  public Hierarchy hierarchy() {
    return hierarchy;
  }

  @Override
  public synchronized long revision() {
    return log.size();
  }

  /** {@code memory:} and the store's identity; a {@link #copy()} has the same. */
  @Override
  public String locator() {
    return "memory:" + storeId;
  }

  @Override
  public synchronized StoreHead head(long at) {
    Optional<String> id =
        at >= 1 && at <= log.size() ? Optional.of(log.get((int) at - 1).id()) : Optional.empty();
    return new StoreHead(storeId, log.size(), id);
  }

  @Override
  public synchronized StoreContents loadContents() {
    return new StoreContents(head(log.size()), loadAll());
  }

  @Override
  public synchronized Set<String> declaredFeatures() {
    return new TreeSet<>(definitions.keySet());
  }

  @Override
  public synchronized FeatureState load(String feature) {
    FeatureDefinition.requireValidKey(feature);
    Map<Scope, Setting> r = rows.getOrDefault(feature, Map.of());
    return new FeatureState(
        feature,
        Optional.ofNullable(definitions.get(feature)),
        killed.contains(feature),
        List.copyOf(r.values()),
        revision());
  }

  @Override
  public synchronized List<FeatureState> loadAll() {
    Set<String> keys = new TreeSet<>(definitions.keySet());
    rows.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            keys.add(k);
          }
        });
    List<FeatureState> out = new ArrayList<>();
    for (String k : keys) {
      out.add(load(k));
    }
    return out;
  }

  @Override
  public synchronized Optional<List<Change>> changesSince(long revision, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    int from = (int) Math.max(0, Math.min(revision, log.size()));
    int to = (int) Math.min(log.size(), (long) from + limit);
    return Optional.of(List.copyOf(log.subList(from, to)));
  }

  @Override
  public synchronized Change define(FeatureDefinition definition, Audit audit) {
    Optional<FeatureDefinition> previous = Optional.ofNullable(definitions.get(definition.key()));
    WriteRules.checkDefine(
        previous,
        definition,
        !rows.getOrDefault(definition.key(), Map.of()).isEmpty(),
        killed.contains(definition.key()));
    definitions.put(definition.key(), definition);
    return append(
        definition.key(),
        ChangeKind.DEFINE,
        Optional.empty(),
        previous.flatMap(FeatureDefinition::defaultValue),
        definition.defaultValue(),
        OptionalLong.empty(),
        audit,
        OptionalLong.empty());
  }

  @Override
  public synchronized Change set(
      String feature, Scope scope, SettingValue value, Expect expect, Audit audit) {
    return doSet(feature, scope, value, expect, audit, OptionalLong.empty());
  }

  private Change doSet(
      String feature,
      Scope scope,
      SettingValue value,
      Expect expect,
      Audit audit,
      OptionalLong revertOf) {
    WriteRules.checkRow(
        hierarchy,
        feature,
        Optional.ofNullable(definitions.get(feature)),
        scope,
        Optional.of(value));
    Map<Scope, Setting> r = rows.computeIfAbsent(feature, k -> new HashMap<>());
    Setting old = r.get(scope);
    checkExpect(feature, scope, expect, old);
    long version = old == null ? 1 : old.version() + 1;
    r.put(scope, new Setting(feature, scope, value, version));
    return append(
        feature,
        ChangeKind.SET,
        Optional.of(scope),
        Optional.ofNullable(old).map(Setting::value),
        Optional.of(value),
        OptionalLong.of(version),
        audit,
        revertOf);
  }

  @Override
  public synchronized Change unset(String feature, Scope scope, Expect expect, Audit audit) {
    return doUnset(feature, scope, expect, audit, OptionalLong.empty());
  }

  private Change doUnset(
      String feature, Scope scope, Expect expect, Audit audit, OptionalLong revertOf) {
    WriteRules.checkRow(
        hierarchy, feature, Optional.ofNullable(definitions.get(feature)), scope, Optional.empty());
    Map<Scope, Setting> r = rows.getOrDefault(feature, Map.of());
    Setting old = r.get(scope);
    if (old == null) {
      throw new ConflictException("feature '" + feature + "' has no row at " + scope);
    }
    checkExpect(feature, scope, expect, old);
    r.remove(scope);
    return append(
        feature,
        ChangeKind.UNSET,
        Optional.of(scope),
        Optional.of(old.value()),
        Optional.empty(),
        OptionalLong.empty(),
        audit,
        revertOf);
  }

  private static void checkExpect(String feature, Scope scope, Expect expect, Setting old) {
    long actual = old == null ? 0 : old.version();
    if (!expect.isMetBy(actual)) {
      throw new ConflictException(
          "row "
              + scope
              + " of '"
              + feature
              + "' is "
              + (old == null ? "absent" : "at version " + actual)
              + ", expected "
              + expect
              + ": someone else changed it; nothing was written");
    }
  }

  @Override
  public synchronized Optional<Change> kill(String feature, Audit audit) {
    return doSwitch(feature, true, audit, OptionalLong.empty());
  }

  @Override
  public synchronized Optional<Change> unkill(String feature, Audit audit) {
    return doSwitch(feature, false, audit, OptionalLong.empty());
  }

  private Optional<Change> doSwitch(
      String feature, boolean on, Audit audit, OptionalLong revertOf) {
    FeatureDefinition.requireValidKey(feature);
    Optional<FeatureDefinition> def = Optional.ofNullable(definitions.get(feature));
    if (on) {
      WriteRules.checkKill(feature, def);
    } else if (def.isEmpty()) {
      throw new UnknownFeatureException(feature);
    }
    if (killed.contains(feature) == on) {
      return Optional.empty();
    }
    if (on) {
      killed.add(feature);
    } else {
      killed.remove(feature);
    }
    return Optional.of(
        append(
            feature,
            on ? ChangeKind.KILL : ChangeKind.UNKILL,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            OptionalLong.empty(),
            audit,
            revertOf));
  }

  @Override
  public synchronized Change revert(long revision, Audit audit) {
    Change target =
        change(revision)
            .orElseThrow(() -> new IllegalArgumentException("no change at revision " + revision));
    Optional<Change> later =
        log.subList((int) revision, log.size()).stream()
            .filter(c -> WriteRules.touchesSame(target, c))
            .reduce((a, b) -> b);
    return WriteRules.planRevert(target, later)
        .perform(
            target.feature(),
            revision,
            new WriteRules.Writes() {
              @Override
              public Change set(String f, Scope scope, SettingValue value, OptionalLong of) {
                return doSet(f, scope, value, Expect.any(), audit, of);
              }

              @Override
              public Change unset(String f, Scope scope, OptionalLong of) {
                return doUnset(f, scope, Expect.any(), audit, of);
              }

              @Override
              public Optional<Change> kill(String f, boolean on, OptionalLong of) {
                return doSwitch(f, on, audit, of);
              }
            });
  }

  @Override
  public synchronized List<Change> importAll(
      List<FeatureState> features, boolean prune, Audit audit) {
    // All or nothing: validate everything against a copy first, then apply to this store.
    InMemoryStore trial = copy();
    int first = trial.log.size();
    List<Change> changes = trial.applyImport(features, prune, audit);
    // One write, one change set: every change of the import commits at its last revision.
    long end = trial.log.size();
    for (int i = first; i < trial.log.size(); i++) {
      Change c = trial.log.get(i);
      trial.log.set(i, c.inChangeSet(end, c.id()));
    }
    changes = List.copyOf(trial.log.subList(first, trial.log.size()));
    definitions.clear();
    definitions.putAll(trial.definitions);
    killed.clear();
    killed.addAll(trial.killed);
    rows.clear();
    rows.putAll(trial.rows);
    log.clear();
    log.addAll(trial.log);
    return changes;
  }

  /**
   * An independent copy of this store: the same identity, declarations, rows, kill switches and
   * change log. Restoring a backup taken now would give the same; fault tests use it to put a store
   * back to an earlier state under running nodes.
   */
  public synchronized InMemoryStore copy() {
    InMemoryStore c = new InMemoryStore(hierarchy, clock, storeId);
    c.definitions.putAll(definitions);
    c.killed.addAll(killed);
    rows.forEach((k, v) -> c.rows.put(k, new HashMap<>(v)));
    c.log.addAll(log);
    return c;
  }

  private List<Change> applyImport(List<FeatureState> features, boolean prune, Audit audit) {
    List<Change> out = new ArrayList<>();
    for (FeatureState f : features) {
      FeatureDefinition def =
          f.definition()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "imported feature '" + f.key() + "' has no declaration"));
      if (!def.equals(definitions.get(f.key()))) {
        out.add(define(def, audit));
      }
      Map<Scope, Setting> current = rows.getOrDefault(f.key(), Map.of());
      Map<Scope, Setting> wanted = new LinkedHashMap<>();
      for (Setting s : f.rows()) {
        if (wanted.put(s.scope(), s) != null) {
          throw new IllegalArgumentException(
              "imported feature '" + f.key() + "' has two rows for " + s.scope());
        }
      }
      for (Setting s : wanted.values()) {
        Setting now = current.get(s.scope());
        if (now == null || !now.value().equals(s.value())) {
          out.add(set(f.key(), s.scope(), s.value(), Expect.any(), audit));
        }
      }
      if (prune) {
        for (Scope s : List.copyOf(rows.getOrDefault(f.key(), Map.of()).keySet())) {
          if (!wanted.containsKey(s)) {
            out.add(unset(f.key(), s, Expect.any(), audit));
          }
        }
      }
      (f.killed() ? kill(f.key(), audit) : unkill(f.key(), audit)).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public synchronized FeatureState read(String feature) {
    return load(feature);
  }

  @Override
  public synchronized List<FeatureDefinition> features() {
    return List.copyOf(definitions.values());
  }

  @Override
  public synchronized List<Change> history(Optional<String> feature, int limit) {
    List<Change> out = new ArrayList<>();
    for (int i = log.size() - 1; i >= 0 && out.size() < limit; i--) {
      Change c = log.get(i);
      if (feature.isEmpty() || feature.get().equals(c.feature())) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<Change> change(long revision) {
    return revision >= 1 && revision <= log.size()
        ? Optional.of(log.get((int) revision - 1))
        : Optional.empty();
  }

  private Change append(
      String feature,
      ChangeKind kind,
      Optional<Scope> scope,
      Optional<SettingValue> oldValue,
      Optional<SettingValue> newValue,
      OptionalLong newVersion,
      Audit audit,
      OptionalLong revertOf) {
    Change c =
        new Change(
            log.size() + 1L,
            feature,
            kind,
            scope,
            oldValue,
            newValue,
            newVersion,
            audit.actor(),
            audit.reason(),
            revertOf,
            clock.instant(),
            log.size() + 1L,
            randomId());
    log.add(c);
    return c;
  }
}
