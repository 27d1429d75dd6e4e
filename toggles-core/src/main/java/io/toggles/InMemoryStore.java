package io.toggles;

import io.toggles.spi.StoreContents;
import io.toggles.spi.StoreHead;
import io.toggles.spi.StoredDeclaration;
import io.toggles.spi.StoredRow;
import io.toggles.spi.ToggleStore;
import io.toggles.spi.WriteEngine;
import io.toggles.spi.WriteTransaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A store held in memory, with the same write engine, rules and change log as the JDBC store: for
 * tests, and for applications that want toggles without a database. Nothing survives the process.
 *
 * <p>Each store has a random identity ({@link #head(long)}) and gives every change a random id, as
 * the JDBC store does, so that {@link #copy()} can stand in for a backup in fault tests: a copy
 * restored later has the same identity but, once written to, other changes at the same revisions.
 *
 * <p>Thread-safe: every method is atomic; a write holds the store's monitor for its whole
 * transaction, so a reader sees all of it or none of it.
 */
public final class InMemoryStore implements ToggleStore, ToggleAdmin {
  private final Hierarchy hierarchy;
  private final Clock clock;
  private final String storeId;
  private final Map<String, FeatureDefinition> definitions = new TreeMap<>();
  private final Set<String> killed = new TreeSet<>();
  private final Map<String, Map<Scope, Setting>> rows = new HashMap<>();
  private final List<Change> log = new ArrayList<>();
  private final WriteEngine engine;

  private InMemoryStore(Hierarchy hierarchy, Clock clock, String storeId) {
    this.hierarchy = hierarchy;
    this.clock = clock;
    this.storeId = storeId;
    this.engine = new WriteEngine(hierarchy, this::inTransaction);
  }

  /** An empty store of the given hierarchy, stamping changes with the system clock. */
  public static InMemoryStore create(Hierarchy hierarchy) {
    return create(hierarchy, Clock.systemUTC());
  }

  /** An empty store of the given hierarchy, stamping changes with {@code clock}. */
  public static InMemoryStore create(Hierarchy hierarchy, Clock clock) {
    return new InMemoryStore(hierarchy, clock, UUID.randomUUID().toString());
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
    return new StoreHead(storeId, log.size(), change(at).map(Change::id));
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
    if (to > from) {
      // Never end inside a change set: finish the write the page reaches.
      to = (int) Math.max(to, log.get(to - 1).changeSet());
    }
    return Optional.of(List.copyOf(log.subList(from, to)));
  }

  @Override
  public List<Change> apply(Write write, Audit audit) {
    return engine.apply(write, audit);
  }

  /**
   * Runs the write while holding the store's monitor and undoes it before letting go: no reader
   * ever sees it.
   */
  @Override
  public Preview preview(Write write, Audit audit) {
    return engine.preview(write, audit);
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

  /**
   * One write transaction: holds this store's monitor throughout and keeps an undo log, played back
   * when the work throws or when it is a preview. Undoing costs what the write did, where a copy of
   * the store would cost all of it.
   */
  private synchronized <R> R inTransaction(
      String action, boolean commit, Function<WriteTransaction, R> work) {
    Transaction tx = new Transaction();
    boolean keep = false;
    try {
      R result = work.apply(tx);
      keep = commit;
      return result;
    } finally {
      if (!keep) {
        tx.undo();
      }
    }
  }

  private static <K, V> void restore(Map<K, V> map, K key, @Nullable V old) {
    if (old == null) {
      map.remove(key);
    } else {
      map.put(key, old);
    }
  }

  /** The transaction primitives over this store's maps, each write recording its undo. */
  private final class Transaction implements WriteTransaction {
    private final long locked = log.size();
    private final Instant now = clock.instant();
    private final Deque<Runnable> undo = new ArrayDeque<>();

    void undo() {
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
    }

    @Override
    public long lockedRevision() {
      return locked;
    }

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public Optional<StoredDeclaration> declaration(String feature) {
      FeatureDefinition def = definitions.get(feature);
      return def == null
          ? Optional.empty()
          : Optional.of(StoredDeclaration.of(def, killed.contains(feature)));
    }

    @Override
    public Optional<StoredRow> row(String feature, Scope scope) {
      Setting s = rows.getOrDefault(feature, Map.of()).get(scope);
      return s == null ? Optional.empty() : Optional.of(stored(s));
    }

    @Override
    public List<StoredRow> rows(String feature) {
      List<StoredRow> out = new ArrayList<>();
      for (Setting s : rows.getOrDefault(feature, Map.of()).values()) {
        out.add(stored(s));
      }
      return out;
    }

    private StoredRow stored(Setting s) {
      return new StoredRow(s.scope(), s.value().text(), s.version());
    }

    @Override
    public boolean hasRows(String feature) {
      return !rows.getOrDefault(feature, Map.of()).isEmpty();
    }

    @Override
    public void putDeclaration(FeatureDefinition definition, boolean exists, Audit audit) {
      String key = definition.key();
      FeatureDefinition old = definitions.put(key, definition);
      undo.push(() -> restore(definitions, key, old));
    }

    @Override
    public void putRow(
        String feature,
        Scope scope,
        SettingValue value,
        long version,
        boolean exists,
        Audit audit) {
      Map<Scope, Setting> r = rows.computeIfAbsent(feature, k -> new HashMap<>());
      Setting old = r.put(scope, new Setting(feature, scope, value, version));
      undo.push(() -> restore(r, scope, old));
    }

    @Override
    public void deleteRow(String feature, Scope scope) {
      Map<Scope, Setting> r = rows.get(feature);
      if (r != null) {
        Setting old = r.remove(scope);
        undo.push(() -> restore(r, scope, old));
      }
    }

    @Override
    public void setKilled(String feature, boolean on, Audit audit) {
      if (on ? killed.add(feature) : killed.remove(feature)) {
        undo.push(
            () -> {
              if (on) {
                killed.remove(feature);
              } else {
                killed.add(feature);
              }
            });
      }
    }

    @Override
    public void appendChanges(List<Change> changes) {
      int before = log.size();
      log.addAll(changes);
      undo.push(() -> log.subList(before, log.size()).clear());
    }

    @Override
    public List<Change> changesAfter(String feature, long revision) {
      List<Change> out = new ArrayList<>();
      for (int i = (int) Math.max(0, Math.min(revision, log.size())); i < log.size(); i++) {
        if (log.get(i).feature().equals(feature)) {
          out.add(log.get(i));
        }
      }
      return out;
    }

    @Override
    public Optional<Change> changeAt(long revision) {
      return change(revision);
    }
  }
}
