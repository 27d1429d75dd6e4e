package io.toggles.jdbc;

import io.toggles.Change;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Setting;
import io.toggles.StoreException;
import io.toggles.spi.StoreContents;
import io.toggles.spi.StoreHead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Every read of the store: the revision and head (what nodes poll), one feature, everything (as one
 * snapshot), the change log, the declarations and the statistics. Each is one statement, or one
 * transaction of a few where a consistent snapshot needs them.
 */
final class Reads {
  /**
   * Rows per round trip when streaming rows: large enough that a million rows take 100 round trips
   * (1,000 made loading all rows on PostgreSQL twice as slow), small enough (a few MB) to stream.
   */
  private static final int FETCH_SIZE = 10_000;

  private final Database db;
  private final Schema schema;
  private final RowMapping mapping;

  Reads(Database db, Schema schema, RowMapping mapping) {
    this.db = db;
    this.schema = schema;
    this.mapping = mapping;
  }

  long revision() {
    Sql s = schema.ready();
    return db.call("reading the revision", h -> readRevision(h, s));
  }

  private static long readRevision(Handle h, Sql s) {
    return h.createQuery(s.revision)
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(() -> new StoreException(s.noStateRow()));
  }

  /** One statement: the state row and, by primary key, the change at {@code at}. */
  StoreHead head(long at) {
    Sql s = schema.ready();
    return db.call("reading the head", h -> readHead(h, s, at));
  }

  private StoreHead readHead(Handle h, Sql s, long at) {
    return h.createQuery(s.head)
        .bind("at", at)
        .map(
            (rs, ctx) -> {
              String storeId = rs.getString(1);
              long revision = rs.getLong(2);
              String id = rs.getString(3);
              rs.getLong(4);
              boolean found = !rs.wasNull();
              if (found && id == null) {
                id =
                    RowMapping.derivedId(
                        at, s.dialect.readTime(rs, 5), rs.getString(6), rs.getString(7));
              }
              return new StoreHead(
                  storeId == null ? "" : storeId,
                  revision,
                  found ? Optional.of(id) : Optional.<String>empty());
            })
        .findOne()
        .orElseThrow(() -> new StoreException(s.noStateRow()));
  }

  /**
   * One statement: the revision, the declaration and the rows in one snapshot, so the state's
   * revision is exactly the one its data belongs to.
   */
  FeatureState load(String feature) {
    FeatureDefinition.requireValidKey(feature);
    Sql s = schema.ready();
    return db.call(
        "loading '" + feature + "'",
        h -> {
          long[] revision = {-1};
          RowMapping.RawDefinition[] def = {null};
          List<RowMapping.RawRow> rows = new ArrayList<>();
          int d = s.hierarchy.size();
          h.createQuery(s.loadOne)
              .bind("feature", feature)
              .setFetchSize(FETCH_SIZE)
              .map(
                  (rs, ctx) -> {
                    if (rs.getInt(1) == 0) {
                      revision[0] = rs.getLong(2);
                      String type = rs.getString(3);
                      if (type != null) {
                        def[0] =
                            new RowMapping.RawDefinition(
                                feature,
                                type,
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getBoolean(7));
                      }
                    } else {
                      rows.add(
                          new RowMapping.RawRow(
                              feature, RowMapping.dims(rs, 8, d), rs.getString(4), rs.getLong(2)));
                    }
                    return Boolean.TRUE;
                  })
              .forEach(x -> {});
          if (revision[0] < 0) {
            throw new StoreException(s.noStateRow());
          }
          return mapping.state(feature, def[0], rows, revision[0]);
        });
  }

  /**
   * Everything in one REPEATABLE READ transaction: the declarations (with the revision), then every
   * row streamed, and with {@code withHead} the head at that revision, all of one snapshot.
   */
  StoreContents loadContents(boolean withHead) {
    Sql s = schema.ready();
    return db.transaction(
        "loading all features",
        TransactionIsolationLevel.REPEATABLE_READ,
        true,
        h -> {
          long[] revision = {-1};
          Map<String, RowMapping.RawDefinition> defs = new TreeMap<>();
          h.createQuery(s.loadAllDefinitions)
              .map(
                  (rs, ctx) -> {
                    revision[0] = rs.getLong(1);
                    String key = rs.getString(2);
                    if (key != null) {
                      defs.put(
                          key,
                          new RowMapping.RawDefinition(
                              key,
                              rs.getString(3),
                              rs.getString(4),
                              rs.getString(5),
                              rs.getString(6),
                              rs.getBoolean(7)));
                    }
                    return Boolean.TRUE;
                  })
              .forEach(x -> {});
          if (revision[0] < 0) {
            throw new StoreException(s.noStateRow());
          }
          Map<String, Optional<FeatureDefinition>> parsed = new HashMap<>();
          Map<String, List<Setting>> rows = new HashMap<>();
          Map<String, Long> untyped = new TreeMap<>();
          // One String per feature instead of one per row: the rows are kept in the cache.
          Map<String, String> names = new HashMap<>();
          for (String key : defs.keySet()) {
            names.put(key, key);
          }
          h.createQuery(s.loadAllRows)
              .setFetchSize(FETCH_SIZE)
              .map((rs, ctx) -> mapping.rawRow(rs))
              .forEach(
                  raw -> {
                    String known = names.putIfAbsent(raw.feature(), raw.feature());
                    String feature = known != null ? known : raw.feature();
                    Optional<FeatureDefinition> def =
                        parsed.computeIfAbsent(feature, k -> mapping.parse(defs.get(k)));
                    if (def.isEmpty()) {
                      untyped.merge(feature, 1L, Long::sum);
                    }
                    mapping
                        .parseRow(raw, def)
                        .ifPresent(
                            setting ->
                                rows.computeIfAbsent(feature, k -> new ArrayList<>()).add(setting));
                  });
          untyped.forEach(mapping::warnUndeclared);
          Map<String, FeatureState> out = new TreeMap<>();
          for (RowMapping.RawDefinition raw : defs.values()) {
            if (!RowMapping.validKey(raw.feature())) {
              continue;
            }
            Optional<FeatureDefinition> def =
                parsed.computeIfAbsent(raw.feature(), k -> mapping.parse(defs.get(k)));
            out.put(
                raw.feature(),
                new FeatureState(
                    raw.feature(),
                    def,
                    raw.killed(),
                    rows.getOrDefault(raw.feature(), List.of()),
                    revision[0]));
          }
          for (String key : parsed.keySet()) {
            if (!out.containsKey(key) && RowMapping.validKey(key)) {
              out.put(key, FeatureState.absent(key, revision[0]));
            }
          }
          StoreHead head =
              withHead
                  ? readHead(h, s, revision[0])
                  : new StoreHead("", revision[0], Optional.empty());
          return new StoreContents(head, List.copyOf(out.values()));
        });
  }

  /** The keys of the declared features (readable or not): one statement over the primary key. */
  Set<String> declaredFeatures() {
    Sql s = schema.ready();
    return db.call(
        "listing declared features",
        h -> {
          Set<String> out = new TreeSet<>();
          for (String key : h.createQuery(s.declared).mapTo(String.class).list()) {
            if (RowMapping.validKey(key)) {
              out.add(key);
            }
          }
          return out;
        });
  }

  /**
   * The changes after {@code revision}: one page of about {@code limit}, and if the page ends
   * inside a change set, the rest of that set (a second statement, only then).
   */
  Optional<List<Change>> changesSince(long revision, int limit) {
    if (revision < 0) {
      throw new IllegalArgumentException("revision is negative: " + revision);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    Sql s = schema.ready();
    // No transaction needed: a change set commits whole, so the rest of one is there to read.
    return db.call(
        "reading changes since revision " + revision,
        h -> {
          List<Change> out =
              new ArrayList<>(
                  h.createQuery(s.changesSince)
                      .bind("revision", revision)
                      .bind("limit", limit)
                      .map((rs, ctx) -> mapping.change(rs, s.dialect))
                      .list());
          boolean gap =
              out.isEmpty() ? readRevision(h, s) > revision : out.get(0).revision() != revision + 1;
          // A gap means the log no longer reaches back to the caller's revision (pruned).
          if (gap) {
            return Optional.<List<Change>>empty();
          }
          if (!out.isEmpty()) {
            Change last = out.get(out.size() - 1);
            if (last.changeSet() > last.revision()) {
              out.addAll(
                  h.createQuery(s.changesThrough)
                      .bind("from", last.revision())
                      .bind("through", last.changeSet())
                      .map((rs, ctx) -> mapping.change(rs, s.dialect))
                      .list());
            }
          }
          return Optional.of(List.copyOf(out));
        });
  }

  List<FeatureDefinition> features() {
    Sql s = schema.ready();
    return db.call(
        "listing features",
        h -> {
          List<FeatureDefinition> out = new ArrayList<>();
          for (RowMapping.RawDefinition raw :
              h.createQuery(s.definitions).map((rs, ctx) -> RowMapping.rawDefinition(rs)).list()) {
            mapping.parse(raw).ifPresent(out::add);
          }
          return out;
        });
  }

  List<Change> history(Optional<String> feature, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    feature.ifPresent(FeatureDefinition::requireValidKey);
    Sql s = schema.ready();
    return db.call(
        "reading history",
        h ->
            feature.isPresent()
                ? h.createQuery(s.historyOfFeature)
                    .bind("feature", feature.get())
                    .bind("limit", limit)
                    .map((rs, ctx) -> mapping.change(rs, s.dialect))
                    .list()
                : h.createQuery(s.historyAll)
                    .bind("limit", limit)
                    .map((rs, ctx) -> mapping.change(rs, s.dialect))
                    .list());
  }

  Optional<Change> change(long revision) {
    Sql s = schema.ready();
    return db.call(
        "reading revision " + revision,
        h ->
            h.createQuery(s.changeAt)
                .bind("revision", revision)
                .map((rs, ctx) -> mapping.change(rs, s.dialect))
                .findOne());
  }

  StoreStats stats() {
    Sql s = schema.ready();
    return db.call(
        "reading statistics",
        h ->
            h.createQuery(s.stats)
                .map(
                    (rs, ctx) ->
                        new StoreStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .findOne()
                .orElseThrow(() -> new StoreException("table " + s.state + " has no row")));
  }
}
