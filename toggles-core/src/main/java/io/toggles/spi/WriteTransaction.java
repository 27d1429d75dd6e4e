package io.toggles.spi;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.FeatureDefinition;
import io.toggles.Scope;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The primitives of one write transaction of a store: what {@link WriteEngine} needs to make every
 * write of {@link io.toggles.ToggleAdmin} with every rule, once, over any store. A store opens one
 * per write through {@link WriteEngine.Transactions}; its reads see its own writes; nothing of it
 * is visible to readers before it commits, and a rolled-back one leaves no trace.
 *
 * <p>The transaction holds the store's write lock from the moment it is opened (the JDBC store
 * locks its state row first), so {@link #lockedRevision()} cannot move under it and revisions are
 * gap-free. Methods may throw {@link StoreException} (or a store's own runtime exception, which its
 * {@link WriteEngine.Transactions} translates) when storage fails. Used by one thread.
 */
public interface WriteTransaction {

  /** The store's revision when the transaction was opened: the revision of its latest change. */
  long lockedRevision();

  /** The store's clock, read once when the transaction was opened: the time of its changes. */
  Instant now();

  /** The declaration and kill switch of {@code feature} as stored; empty if it is not declared. */
  Optional<StoredDeclaration> declaration(String feature);

  /** The row of {@code feature} at exactly {@code scope}, if there is one. */
  Optional<StoredRow> row(String feature, Scope scope);

  /**
   * Every row of {@code feature} whose scope can be read; a row whose scope cannot (written by
   * hand, for example with a value the API refuses) is skipped, since no write can name it.
   */
  List<StoredRow> rows(String feature);

  /** Whether {@code feature} has any row, readable or not. */
  boolean hasRows(String feature);

  /**
   * Stores a declaration, inserting it if {@code exists} is false and replacing the one stored
   * otherwise; the kill switch keeps its state (off for a new declaration).
   */
  void putDeclaration(FeatureDefinition definition, boolean exists, Audit audit);

  /**
   * Stores the row of {@code feature} at {@code scope} with {@code value} and {@code version},
   * inserting it if {@code exists} is false and replacing the one at that scope otherwise.
   */
  void putRow(
      String feature, Scope scope, SettingValue value, long version, boolean exists, Audit audit);

  /** Deletes the row of {@code feature} at {@code scope}, which exists. */
  void deleteRow(String feature, Scope scope);

  /** Sets the kill switch of a declared feature. */
  void setKilled(String feature, boolean killed, Audit audit);

  /**
   * Appends the transaction's changes to the change log, in revision order (the first is {@link
   * #lockedRevision()} + 1, each next one more), and makes the last one's revision the store's
   * revision. Called once, at the end of a transaction that changed something.
   */
  void appendChanges(List<Change> changes);

  /** The changes of {@code feature} after {@code revision}, oldest first. */
  List<Change> changesAfter(String feature, long revision);

  /** The change at {@code revision}, if the log has it. */
  Optional<Change> changeAt(long revision);
}
