package io.toggles.jdbc;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.FeatureDefinition;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.SettingValue;
import io.toggles.StoreException;
import io.toggles.spi.StoredDeclaration;
import io.toggles.spi.StoredRow;
import io.toggles.spi.WriteTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * One write transaction on the database: the {@link WriteTransaction} primitives over a Jdbi handle
 * inside a READ COMMITTED transaction. Opening it locks the single row of the state table first
 * (every writer takes that lock first, so writers never deadlock and revisions are gap-free and in
 * commit order), then reads and writes declarations and rows; every statement that names one row
 * finds it through the unique index ({@link Dialect#scopeCondition}). Rows written by hand are
 * tolerated: a value that does not parse is returned as stored (so a write can replace it) and a
 * row whose scope does not parse is left out of {@link #rows} (no write can name it).
 */
final class JdbcTransaction implements WriteTransaction {
  private final Handle h;
  private final Sql s;
  private final RowMapping mapping;
  private final Hierarchy hierarchy;
  private final long locked;
  private final Instant now;

  JdbcTransaction(Handle h, Sql s, RowMapping mapping) {
    this.h = h;
    this.s = s;
    this.mapping = mapping;
    this.hierarchy = s.hierarchy;
    record Locked(long revision, Instant now) {}
    Locked l =
        h.createQuery(s.lock)
            .map((rs, ctx) -> new Locked(rs.getLong(1), s.dialect.readTime(rs, 2)))
            .findOne()
            .orElseThrow(() -> new StoreException(s.noStateRow()));
    this.locked = l.revision();
    this.now = l.now();
  }

  @Override
  public long lockedRevision() {
    return locked;
  }

  @Override
  public Instant now() {
    return now;
  }

  private Argument nowArg() {
    Instant t = now;
    return (position, statement, ctx) -> s.dialect.bindTime(statement, position, t);
  }

  @Override
  public Optional<StoredDeclaration> declaration(String feature) {
    return h.createQuery(s.definitionForUpdate)
        .bind("feature", feature)
        .map((rs, ctx) -> RowMapping.rawDefinition(rs))
        .findOne()
        .map(
            raw -> {
              Optional<String> unreadable = mapping.unreadable(raw);
              return unreadable.isPresent()
                  ? StoredDeclaration.unreadable(feature, unreadable.get(), raw.killed())
                  : StoredDeclaration.of(raw.definition(), raw.killed());
            });
  }

  @Override
  public Optional<StoredRow> row(String feature, Scope scope) {
    var q = h.createQuery(s.findRow(scope)).bind("feature", feature);
    s.dialect.bindScope(q, hierarchy, scope);
    return q.map((rs, ctx) -> new StoredRow(scope, rs.getString(1), rs.getLong(2))).findOne();
  }

  @Override
  public List<StoredRow> rows(String feature) {
    List<StoredRow> out = new ArrayList<>();
    for (RowMapping.RawRow raw :
        h.createQuery(s.featureRows)
            .bind("feature", feature)
            .map((rs, ctx) -> mapping.rawRow(rs))
            .list()) {
      mapping
          .scope(raw.dims())
          .ifPresent(sc -> out.add(new StoredRow(sc, raw.value(), raw.version())));
    }
    return out;
  }

  @Override
  public boolean hasRows(String feature) {
    return h.createQuery(s.hasRows).bind("feature", feature).mapTo(Integer.class).one() > 0;
  }

  @Override
  public void putDeclaration(FeatureDefinition definition, boolean exists, Audit audit) {
    h.createUpdate(exists ? s.updateDefinition : s.insertDefinition)
        .bind("feature", definition.key())
        .bind("type", definition.type().name())
        .bind("default", definition.defaultValue().map(SettingValue::text).orElse(null))
        .bind("description", definition.description())
        .bind("owner", definition.owner())
        .bind("now", nowArg())
        .bind("actor", audit.actor())
        .execute();
  }

  @Override
  public void putRow(
      String feature, Scope scope, SettingValue value, long version, boolean exists, Audit audit) {
    var u =
        h.createUpdate(exists ? s.updateRow(scope) : s.insertRow)
            .bind("feature", feature)
            .bind("value", value.text())
            .bind("version", version)
            .bind("now", nowArg())
            .bind("actor", audit.actor());
    if (exists) {
      s.dialect.bindScope(u, hierarchy, scope);
    } else {
      bindAllDims(u, Optional.of(scope));
    }
    u.execute();
  }

  @Override
  public void deleteRow(String feature, Scope scope) {
    var u = h.createUpdate(s.deleteRow(scope)).bind("feature", feature);
    s.dialect.bindScope(u, hierarchy, scope);
    u.execute();
  }

  @Override
  public void setKilled(String feature, boolean killed, Audit audit) {
    h.createUpdate(s.setKilled)
        .bind("feature", feature)
        .bind("killed", killed)
        .bind("now", nowArg())
        .bind("actor", audit.actor())
        .execute();
  }

  /** One batch for all the changes, then the revision; on PostgreSQL a NOTIFY, sent at commit. */
  @Override
  public void appendChanges(List<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(s.insertChange);
    for (Change c : changes) {
      batch
          .bind("revision", c.revision())
          .bind("feature", c.feature())
          .bind("kind", c.kind().name())
          .bind("old_type", c.oldValue().map(v -> v.type().name()).orElse(null))
          .bind("old_value", c.oldValue().map(SettingValue::text).orElse(null))
          .bind("new_type", c.newValue().map(v -> v.type().name()).orElse(null))
          .bind("new_value", c.newValue().map(SettingValue::text).orElse(null))
          .bind("new_version", c.newVersion().isPresent() ? c.newVersion().getAsLong() : null)
          .bind("actor", c.actor())
          .bind("reason", c.reason())
          .bind("revert_of", c.revertOf().isPresent() ? c.revertOf().getAsLong() : null)
          .bind("now", nowArg())
          .bind("change_set", c.changeSet())
          .bind("change_id", c.id());
      bindAllDims(batch, c.scope());
      batch.add();
    }
    batch.execute();
    long revision = changes.get(changes.size() - 1).revision();
    h.createUpdate(s.setRevision).bind("revision", revision).execute();
    if (s.notify != null) {
      // Delivered at commit, not at all on rollback: listeners then read the change log.
      h.createQuery(s.notify)
          .bind("channel", s.channel)
          .bind("payload", Long.toString(revision))
          .map((rs, ctx) -> Boolean.TRUE)
          .list();
    }
  }

  @Override
  public List<Change> changesAfter(String feature, long revision) {
    return h.createQuery(s.changesOfFeatureAfter)
        .bind("feature", feature)
        .bind("revision", revision)
        .map((rs, ctx) -> mapping.change(rs, s.dialect))
        .list();
  }

  @Override
  public Optional<Change> changeAt(long revision) {
    return h.createQuery(s.changeAt)
        .bind("revision", revision)
        .map((rs, ctx) -> mapping.change(rs, s.dialect))
        .findOne();
  }

  private void bindAllDims(SqlStatement<?> st, Optional<Scope> scope) {
    for (int i = 0; i < hierarchy.size(); i++) {
      st.bind("d" + i, scope.isPresent() ? scope.get().value(i).orElse(null) : null);
    }
  }
}
