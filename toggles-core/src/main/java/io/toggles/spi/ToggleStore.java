package io.toggles.spi;

import io.toggles.Change;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.StoreException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where settings live. {@link io.toggles.Toggles} reads through this interface only: it loads
 * features into its snapshot cache and follows the change log to refresh them.
 *
 * <p>Implementations are thread-safe. Every method may throw {@link StoreException} when the
 * backing storage cannot be read; a failed read must never look like "no rows".
 */
public interface ToggleStore extends AutoCloseable {

  /** The scope hierarchy of this store's rows. */
  Hierarchy hierarchy();

  /**
   * Where this store is, for people and for snapshot files: for example the database, schema and
   * table prefix, never credentials. A node that starts while its store is down ignores a snapshot
   * file written for another locator. The default is the implementation's class name.
   */
  default String locator() {
    return getClass().getName();
  }

  /**
   * The store's current revision: the revision of its latest change, 0 for a store never written.
   * It grows with every write. Called once per poll: must be one cheap, indexed read.
   *
   * @throws StoreException if the store cannot be read
   */
  long revision();

  /**
   * The store's identity, its revision and the id of the change at revision {@code at}, in one
   * cheap, indexed read: what a node polls on every interval to tell a store that moved on from one
   * whose history changed under it. The default has no identity and no change ids; stores that can
   * record them override it.
   *
   * @throws StoreException if the store cannot be read
   */
  default StoreHead head(long at) {
    return new StoreHead("", revision(), Optional.empty());
  }

  /**
   * One feature's declaration, kill switch and rows, consistent with one revision. A feature the
   * store does not know is {@link FeatureState#absent}, not an error.
   *
   * @throws StoreException if the store cannot be read
   */
  FeatureState load(String feature);

  /**
   * Every feature that is declared or has rows.
   *
   * @throws StoreException if the store cannot be read
   */
  List<FeatureState> loadAll();

  /**
   * Every feature and the store's head, as one consistent snapshot: what a node loads when it
   * starts or must reload everything. The default reads the head after {@link #loadAll()}, which is
   * only consistent for a store that never changes identity; stores override it.
   *
   * @throws StoreException if the store cannot be read
   */
  default StoreContents loadContents() {
    List<FeatureState> all = loadAll();
    long revision = all.isEmpty() ? revision() : all.get(0).revision();
    return new StoreContents(head(revision), all);
  }

  /**
   * The keys of every declared feature, so that a node answers a name nobody declared without a
   * query. The default reads everything; stores override it with a cheap query.
   *
   * @throws StoreException if the store cannot be read
   */
  default Set<String> declaredFeatures() {
    Set<String> out = new TreeSet<>();
    for (FeatureState s : loadAll()) {
      if (s.definition().isPresent()) {
        out.add(s.key());
      }
    }
    return out;
  }

  /**
   * The changes after {@code revision}, oldest first, about {@code limit} of them: never ending
   * inside a change set (every change of one write, see {@link Change#changeSet()}), so the list
   * may hold more than {@code limit} changes to finish the last write it reaches. Empty when the
   * store can no longer say (its log was pruned past {@code revision}): the caller must then reload
   * everything.
   *
   * @throws StoreException if the store cannot be read
   */
  Optional<List<Change>> changesSince(long revision, int limit);

  /**
   * Asks the store to call {@code onChange} soon after any write commits, so that followers sync at
   * once instead of at their next poll (PostgreSQL LISTEN/NOTIFY, for example). Optional: the
   * default does nothing and polling alone bounds staleness. The callback must be cheap; it may be
   * called spuriously.
   *
   * @return what stops the notifications
   */
  default Subscription subscribe(Runnable onChange) {
    return () -> {};
  }

  /** Stops change notifications. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    /** Stops them; idempotent, never throws. */
    @Override
    void close();
  }

  /** Releases resources such as connection pools. Idempotent. */
  @Override
  default void close() {}
}
