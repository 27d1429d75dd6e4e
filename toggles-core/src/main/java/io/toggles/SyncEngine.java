package io.toggles;

import io.toggles.spi.StoreContents;
import io.toggles.spi.StoreHead;
import io.toggles.spi.ToggleStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the store and publishes what it holds, one whole {@link Generation} at a time.
 *
 * <p>Each sync reads the store's head at the node's revision (one cheap query: in the steady state
 * the only one). If the store is not the one the node followed, its revision went back, or the
 * change at the node's revision is another one ({@link Lineage}), the node reloads everything and
 * merges nothing. Otherwise it reads the change log since its revision in pages (which end on
 * change-set boundaries; a page that does not is continued), applies every change to a copy of the
 * generation, loads the features those changes cannot be applied to as deltas (new declarations,
 * re-declarations) and those checks asked for, and publishes the result once. So a reader sees
 * every change of one write or none, across features too, however far behind the node was.
 *
 * <p>Every page re-reads the change at the revision it continues from and compares its id with the
 * one the node applied, so that a store restored between two reads cannot have its changes applied
 * on top of the old history. A load that answers a state older than the changes already applied (a
 * replica that lags, a restore under way) is not applied: the sync fails and the next retries.
 *
 * <p>All of it runs under one lock, on the sync thread or a caller of {@link Toggles#sync()}: the
 * engine is the only writer of the published generation (apart from the snapshot file read once at
 * the start, {@link #startFromSnapshot()}).
 */
final class SyncEngine {
  static final int DEFAULT_PAGE_SIZE = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(Toggles.class);

  private final ToggleStore store;
  private final Hierarchy hierarchy;
  private final Lookup lookup;
  private final FeatureIds ids;
  private final MissLoads misses;
  private final HealthTracker health;
  private final Notifier notifier;
  private final Warnings warnings;
  private final Tallies tallies;
  private final boolean preload;
  private final int pageSize;
  private final @Nullable Path snapshotFile;
  private final String locator;
  private final Object lock = new Object();
  private @Nullable String lastBreakWarned; // guarded by lock

  SyncEngine(
      ToggleStore store,
      Lookup lookup,
      FeatureIds ids,
      MissLoads misses,
      HealthTracker health,
      Notifier notifier,
      Warnings warnings,
      Tallies tallies,
      boolean preload,
      int pageSize,
      @Nullable Path snapshotFile) {
    this.store = store;
    this.hierarchy = store.hierarchy();
    this.lookup = lookup;
    this.ids = ids;
    this.misses = misses;
    this.health = health;
    this.notifier = notifier;
    this.warnings = warnings;
    this.tallies = tallies;
    this.preload = preload;
    this.pageSize = pageSize;
    this.snapshotFile = snapshotFile;
    this.locator = locatorOf(store);
  }

  private static String locatorOf(ToggleStore store) {
    try {
      return store.locator();
    } catch (RuntimeException e) {
      return store.getClass().getName();
    }
  }

  /** The store history broke: reload everything. Thrown and caught inside a sync only. */
  private static final class MustReload extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Lineage.Break why;

    MustReload(Lineage.Break why) {
      super(why.message(), null, false, false);
      this.why = why;
    }
  }

  /** What one sync applied and published. */
  private record Applied(
      Set<String> features,
      long previousRevision,
      int changes,
      @Nullable Instant oldestCommit,
      @Nullable Reload reload,
      Instant publishedAt) {}

  /**
   * Catches up with the store and publishes the result.
   *
   * @throws StoreException if the store cannot be read; the published generation stays
   */
  void sync() {
    synchronized (lock) {
      long start = health.now();
      Instant at = health.wallClock();
      health.syncStarted(start);
      Set<String> wanted = misses.waiting();
      Applied applied;
      try {
        applied = step(lookup.current(), wanted);
      } catch (RuntimeException e) {
        if (health.failed(e.toString())) {
          LOG.warn(
              "toggles: cannot sync with the store, serving the last known values: {}",
              e.toString());
        }
        misses.failed(wanted, e);
        synced(at, start, Optional.of(e.toString()), null);
        throw e;
      }
      if (health.succeeded(health.now())) {
        LOG.info("toggles: store reachable again, at revision {}", lookup.revision());
      }
      misses.handled(wanted);
      synced(at, start, Optional.empty(), applied);
      if (applied != null) {
        writeSnapshot(lookup.current());
      }
    }
  }

  /** One sync: the head, then nothing, the changes since, or everything. Null if idle. */
  private @Nullable Applied step(Generation g, Set<String> wanted) {
    if (g.source != Generation.Source.STORE) {
      return reload(
          g, g.source == Generation.Source.SNAPSHOT ? Lineage.afterSnapshot(g) : null, wanted);
    }
    StoreHead head = store.head(g.revision);
    Optional<Lineage.Break> broken = Lineage.check(g, head);
    if (broken.isPresent()) {
      return reload(g, broken.get(), wanted);
    }
    if (head.revision() == g.revision && !wantsLoads(g, wanted)) {
      return null; // the steady state: one head read, nothing built
    }
    Batch batch = new Batch(Generation.Builder.from(g), wanted);
    try {
      if (head.revision() > g.revision) {
        follow(batch, head.revision());
      }
      batch.loadWanted();
      load(batch);
    } catch (MustReload e) {
      return reload(g, e.why, wanted);
    }
    if (batch.changes == 0 && batch.loaded == 0) {
      return null;
    }
    return publish(batch, g, null);
  }

  private static boolean wantsLoads(Generation g, Set<String> wanted) {
    for (String key : wanted) {
      if (g.known(key) == Generation.Known.DECLARED) {
        return true;
      }
    }
    return false;
  }

  /**
   * Replaces everything with what the store holds now: with preload, one consistent read of the
   * whole store; without, the catalog of declared features and again the features the node had
   * loaded or checks ask for.
   */
  private Applied reload(Generation g, Lineage.@Nullable Break why, Set<String> wanted) {
    if (why != null) {
      warn(g, why);
    }
    Batch batch;
    if (preload) {
      StoreContents contents = store.loadContents();
      StoreHead h = contents.head();
      Generation.Builder b =
          Generation.Builder.fresh(h.storeId(), h.revision(), h.changeIdAt(), null);
      for (FeatureState s : contents.features()) {
        b.put(index(s));
      }
      batch = new Batch(b, Set.of());
    } else {
      long revision = store.head(0).revision();
      StoreHead h = store.head(revision);
      Set<String> declared = store.declaredFeatures();
      Generation.Builder b =
          Generation.Builder.fresh(h.storeId(), revision, h.changeIdAt(), declared);
      Set<String> again = new HashSet<>(wanted);
      if (g.source == Generation.Source.STORE) {
        again.addAll(g.keys()); // a snapshot's features are not loaded again: only what is asked
      }
      batch = new Batch(b, again);
      try {
        batch.loadWanted();
        load(batch);
      } catch (MustReload e) {
        throw new StoreException("the store changed again during a reload: " + e.getMessage());
      }
    }
    Reload reload =
        why == null
            ? null
            : new Reload(
                why.reason(),
                why.message(),
                g.storeId,
                g.source == Generation.Source.NONE ? -1 : g.revision,
                batch.b.storeId,
                batch.b.revision,
                health.wallClock());
    Set<String> features = new HashSet<>(g.keys());
    features.addAll(batch.b.keys());
    batch.changed.addAll(features);
    Applied applied = publish(batch, g, reload);
    if (reload != null) {
      health.reloaded(reload);
      LOG.info(
          "toggles: reloaded everything: {} features at revision {} of store {}",
          batch.b.keys().size(),
          batch.b.revision,
          batch.b.storeId.isEmpty() ? "(no identity)" : batch.b.storeId);
    }
    return applied;
  }

  private void warn(Generation g, Lineage.Break why) {
    String key = why.reason() + "|" + g.storeId + "|" + g.revision;
    if (key.equals(lastBreakWarned)) {
      return;
    }
    lastBreakWarned = key;
    if (why.reason() == Reload.Reason.AFTER_SNAPSHOT) {
      LOG.info("toggles: {}; reloading everything from the store", why.message());
    } else {
      LOG.warn(
          "toggles: {}; reloading everything from the store, merging nothing with what this node"
              + " had",
          why.message());
    }
  }

  /**
   * Applies the change log from the batch's revision up to at least {@code target}, page by page,
   * and past it to the end of the change set it reaches.
   */
  private void follow(Batch batch, long target) {
    Generation.Builder b = batch.b;
    while (b.revision < target || batch.insideChangeSet) {
      long from = b.revision;
      // From one before: the change at `from` must still be the one this node applied there.
      boolean overlap = from >= 1;
      Optional<List<Change>> page = store.changesSince(overlap ? from - 1 : from, pageSize);
      if (page.isEmpty()) {
        throw new MustReload(Lineage.logIncomplete(from));
      }
      List<Change> changes = page.get();
      int first = 0;
      if (overlap) {
        if (changes.isEmpty() || changes.get(0).revision() != from) {
          throw new MustReload(Lineage.logIncomplete(from));
        }
        Optional<String> id = idOf(changes.get(0));
        if (b.changeId.isPresent() && !b.changeId.equals(id)) {
          throw new MustReload(Lineage.historyChanged(from, id));
        }
        first = 1;
      }
      if (changes.size() <= first || changes.get(first).revision() != from + 1) {
        throw new MustReload(Lineage.logIncomplete(from));
      }
      batch.apply(changes.subList(first, changes.size()));
    }
  }

  /**
   * Loads what the batch could not apply as deltas; a load that answers a state newer than the
   * batch makes the batch follow the log up to it, so that every feature ends at one revision.
   */
  private void load(Batch batch) {
    Generation.Builder b = batch.b;
    while (!batch.toLoad.isEmpty()) {
      long target = b.revision;
      long ahead = target;
      for (String key : List.copyOf(batch.toLoad)) {
        FeatureState s = store.load(key);
        if (s.revision() < target) {
          // Overtaken: the store answered a state older than the changes applied already.
          throw new StoreException(
              "the store answered feature '"
                  + key
                  + "' at revision "
                  + s.revision()
                  + ", behind revision "
                  + target
                  + " of its change log (a replica that lags, or a restore under way); not"
                  + " applied, the next sync retries");
        }
        batch.toLoad.remove(key);
        batch.loaded++;
        if (s.definition().isPresent() || !s.rows().isEmpty()) {
          b.put(index(s));
          if (s.definition().isPresent()) {
            b.declare(key);
          }
        } else {
          b.remove(key);
        }
        ahead = Math.max(ahead, s.revision());
      }
      if (ahead > b.revision) {
        follow(batch, ahead);
      }
    }
  }

  private Applied publish(Batch batch, Generation before, @Nullable Reload reload) {
    lookup.publish(batch.b.build(Generation.Source.STORE, ids));
    return new Applied(
        batch.changed,
        before.source == Generation.Source.STORE ? before.revision : -1,
        batch.changes,
        batch.oldestCommit,
        reload,
        health.wallClock());
  }

  private static Optional<String> idOf(Change c) {
    return c.id().isEmpty() ? Optional.empty() : Optional.of(c.id());
  }

  private FeatureIndex index(FeatureState state) {
    if (state.definition().isEmpty()
        && !state.rows().isEmpty()
        && warnings.first("rows-undeclared", state.key())) {
      LOG.warn(
          "toggles: feature '{}' has {} rows but is not declared; declare it (define) so that"
              + " tools can check its values",
          state.key(),
          state.rows().size());
    }
    return FeatureIndex.of(state, hierarchy.size(), tallies.of(state.key()));
  }

  /** The next generation being built by one sync, and what it changed. */
  private final class Batch {
    final Generation.Builder b;
    final Set<String> wanted;
    final Set<String> toLoad = new HashSet<>();
    final Set<String> changed = new HashSet<>();
    int changes;
    int loaded;
    boolean insideChangeSet;
    @Nullable Instant oldestCommit;

    Batch(Generation.Builder b, Set<String> wanted) {
      this.b = b;
      this.wanted = wanted;
    }

    /** Applies changes that continue the batch's revision, oldest first. */
    void apply(List<Change> page) {
      Map<String, List<Change>> byFeature = new LinkedHashMap<>();
      for (Change c : page) {
        byFeature.computeIfAbsent(c.feature(), k -> new ArrayList<>()).add(c);
        if (oldestCommit == null || c.at().isBefore(oldestCommit)) {
          oldestCommit = c.at();
        }
      }
      Change last = page.get(page.size() - 1);
      long upTo = last.revision();
      for (Map.Entry<String, List<Change>> e : byFeature.entrySet()) {
        String key = e.getKey();
        if (toLoad.contains(key)) {
          continue; // loaded after the pages, with these changes in it
        }
        FeatureIndex idx = b.get(key);
        if (idx == null) {
          if (b.complete()) {
            toLoad.add(key); // declared after the node loaded everything
            changed.add(key);
          } else if (declares(e.getValue())) {
            b.declare(key);
            changed.add(key);
          }
          continue;
        }
        FeatureIndex next = idx.apply(e.getValue(), hierarchy, upTo);
        if (next == null) {
          b.remove(key);
          toLoad.add(key); // re-declared, or an entry without the new row: load it whole
        } else {
          b.put(next);
        }
        changed.add(key);
      }
      b.revision = upTo;
      b.changeId = idOf(last);
      insideChangeSet = last.changeSet() > last.revision();
      changes += page.size();
    }

    /** Without preload: the features checks asked for that are declared and not loaded. */
    void loadWanted() {
      if (b.complete()) {
        return;
      }
      for (String key : wanted) {
        if (b.get(key) == null && b.isDeclared(key)) {
          toLoad.add(key);
        }
      }
    }

    private boolean declares(List<Change> changes) {
      for (Change c : changes) {
        if (c.kind() == ChangeKind.DEFINE) {
          return true;
        }
      }
      return false;
    }
  }

  private void synced(
      Instant at, long startNanos, Optional<String> error, @Nullable Applied applied) {
    if (!notifier.hasListeners()) {
      return;
    }
    Duration took = Duration.ofNanos(Math.max(0, health.now() - startNanos));
    Generation g = lookup.current();
    long revision = g.source == Generation.Source.STORE ? g.revision : -1;
    Optional<Reload> reload = Optional.ofNullable(applied == null ? null : applied.reload());
    Optional<Duration> lag = Optional.empty();
    if (applied != null && applied.oldestCommit() != null) {
      Duration d = Duration.between(applied.oldestCommit(), applied.publishedAt());
      lag = Optional.of(d.isNegative() ? Duration.ZERO : d);
    }
    TogglesListener.Synced outcome =
        new TogglesListener.Synced(
            at, took, error, revision, applied == null ? 0 : applied.changes(), lag, reload);
    notifier.post(l -> l.onSync(outcome));
    if (applied != null && !applied.features().isEmpty()) {
      TogglesListener.Changed changed =
          new TogglesListener.Changed(
              applied.features(), revision, applied.previousRevision(), g.storeId, reload);
      notifier.post(l -> l.onChange(changed));
    }
    notifier.healthMayHaveChanged();
  }

  // ------------------------------------------------------------------ snapshot file

  private void writeSnapshot(Generation g) {
    if (snapshotFile == null) {
      return;
    }
    List<FeatureState> states = new ArrayList<>(g.size);
    for (FeatureIndex idx : g.features()) {
      states.add(idx.state(hierarchy));
    }
    try {
      SnapshotFile.write(
          snapshotFile, hierarchy, locator, g.storeId, g.revision, g.changeId, states);
    } catch (IOException | RuntimeException e) {
      if (warnings.first("snapshot-write", snapshotFile)) {
        LOG.warn("toggles: cannot write snapshot {}: {}", snapshotFile, e.toString());
      }
    }
  }

  /**
   * Serves the snapshot file until the store answers, unless it was written for another store or
   * something was published already. Called once, at the start, when the first sync did not succeed
   * in time.
   */
  void startFromSnapshot() {
    if (snapshotFile == null || !Files.exists(snapshotFile)) {
      return;
    }
    SnapshotFile.Contents c;
    List<FeatureIndex> features = new ArrayList<>();
    try {
      c = SnapshotFile.read(snapshotFile, hierarchy);
      for (FeatureState s : c.features()) {
        features.add(FeatureIndex.of(s, hierarchy.size(), tallies.of(s.key())));
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("toggles: ignoring unreadable snapshot {}: {}", snapshotFile, e.toString());
      return;
    }
    if (c.locator().isPresent() && !c.locator().get().equals(locator)) {
      LOG.warn(
          "toggles: ignoring snapshot {}: it was written for store {}, and this node reads {}",
          snapshotFile,
          c.locator().get(),
          locator);
      return;
    }
    Generation g = Generation.ofSnapshot(c.storeId(), c.revision(), c.changeId(), features, ids);
    if (lookup.publishIfEmpty(g)) {
      LOG.warn(
          "toggles: store unavailable at start, serving {} features from snapshot {} (revision {}"
              + " of {}) until it answers",
          features.size(),
          snapshotFile,
          c.revision(),
          c.locator().orElse("a store the file does not name"));
      notifier.healthMayHaveChanged();
    }
  }
}
