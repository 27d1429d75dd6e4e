package io.toggles.jdbc;

import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table rows to values and back: declarations, settings rows and change-log entries as stored (raw)
 * and parsed. Parsing tolerates what a person wrote by hand: a declaration, row or change that does
 * not parse is reported (a warning naming it) and left out, never taken for something else.
 */
final class RowMapping {
  private static final Logger LOG = LoggerFactory.getLogger(RowMapping.class);

  private final Hierarchy hierarchy;
  private final String prefix;

  RowMapping(Hierarchy hierarchy, String prefix) {
    this.hierarchy = hierarchy;
    this.prefix = prefix;
  }

  /** A declaration as stored, not yet parsed. */
  record RawDefinition(
      String feature,
      String type,
      @Nullable String defaultValue,
      @Nullable String description,
      @Nullable String owner,
      boolean killed) {

    FeatureDefinition definition() {
      SettingType t = SettingType.named(type);
      FeatureDefinition.Builder b =
          FeatureDefinition.builder(feature, t)
              .description(description == null ? "" : description)
              .owner(owner == null ? "" : owner);
      if (defaultValue != null) {
        b.defaultValue(t.parse(defaultValue));
      }
      return b.build();
    }
  }

  /** A settings row as stored, not yet parsed. */
  record RawRow(String feature, @Nullable String[] dims, String value, long version) {
    String describe(Hierarchy hierarchy) {
      StringBuilder out = new StringBuilder("{");
      for (int i = 0; i < dims.length; i++) {
        if (i > 0) {
          out.append(", ");
        }
        out.append(hierarchy.dimension(i)).append('=');
        out.append(dims[i] == null ? "*" : "'" + dims[i].replaceAll("\\p{Cntrl}", "?") + "'");
      }
      return out.append('}').toString();
    }
  }

  /** Columns {@code first .. first + count - 1} as strings. */
  static @Nullable String[] dims(ResultSet rs, int first, int count) throws SQLException {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      out[i] = rs.getString(first + i);
    }
    return out;
  }

  /** Columns feature, value_type, default_value, description, owner, killed. */
  static RawDefinition rawDefinition(ResultSet rs) throws SQLException {
    return new RawDefinition(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getBoolean(6));
  }

  /** Columns feature, version, value, then the dimensions. */
  RawRow rawRow(ResultSet rs) throws SQLException {
    return new RawRow(
        rs.getString(1), dims(rs, 4, hierarchy.size()), rs.getString(3), rs.getLong(2));
  }

  /** Whether a key read from the database is one the API accepts; warns if not. */
  static boolean validKey(String key) {
    try {
      FeatureDefinition.requireValidKey(key);
      return true;
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "toggles: skipping feature with a malformed key in the database: {}", e.getMessage());
      return false;
    }
  }

  /** Why a declaration does not parse, as the write path reports it; empty if it parses. */
  Optional<String> unreadable(RawDefinition raw) {
    try {
      raw.definition();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(
          "the declaration of feature '"
              + raw.feature()
              + "' in "
              + prefix
              + "features is unreadable ("
              + e.getMessage()
              + ")");
    }
  }

  /** A declaration from its row; empty (with a warning) if the row does not parse. */
  Optional<FeatureDefinition> parse(@Nullable RawDefinition raw) {
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(raw.definition());
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "toggles: ignoring the declaration of feature '{}' in {}features: {}; it answers the"
              + " caller's defaults (or, killed, its kill value) until it is declared again",
          raw.feature(),
          prefix,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** A scope from stored dimension values; empty if one is not a value the API writes. */
  Optional<Scope> scope(@Nullable String[] dims) {
    try {
      return Optional.of(Scope.of(hierarchy, dims));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A row; empty (with a warning naming it) if its scope or value does not parse. */
  Optional<Setting> parseRow(RawRow raw, Optional<FeatureDefinition> def) {
    if (def.isEmpty()) {
      return Optional.empty(); // counted and reported once per feature by warnUndeclared
    }
    try {
      return Optional.of(
          new Setting(
              raw.feature(),
              Scope.of(hierarchy, raw.dims()),
              def.get().type().parse(raw.value()),
              raw.version()));
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "toggles: skipping row {} of feature '{}' in {}settings: {}; the feature falls back to"
              + " its other rows and default there",
          raw.describe(hierarchy),
          raw.feature(),
          prefix,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** The state of a feature from its raw declaration (if any) and rows. */
  FeatureState state(
      String feature, @Nullable RawDefinition raw, List<RawRow> rawRows, long revision) {
    Optional<FeatureDefinition> def = parse(raw);
    List<Setting> rows = new ArrayList<>(rawRows.size());
    for (RawRow r : rawRows) {
      parseRow(r, def).ifPresent(rows::add);
    }
    if (def.isEmpty() && !rawRows.isEmpty()) {
      warnUndeclared(feature, rawRows.size());
    }
    return new FeatureState(feature, def, raw != null && raw.killed(), rows, revision);
  }

  void warnUndeclared(String feature, long rows) {
    LOG.warn(
        "toggles: skipping {} rows of feature '{}' in {}settings: the feature is not declared (or"
            + " its declaration is unreadable), so their values cannot be typed",
        rows,
        feature,
        prefix);
  }

  /**
   * A change-log entry from the columns of {@link Sql#changeColumns}. A change the previous release
   * wrote has no change set (a set of its own) and no id (one is derived, see {@link #derivedId}).
   */
  Change change(ResultSet rs, Dialect dialect) throws SQLException {
    int d = hierarchy.size();
    long revision = rs.getLong(1);
    String feature = rs.getString(2);
    ChangeKind kind = ChangeKind.valueOf(rs.getString(3));
    @Nullable String[] dims = dims(rs, 4, d);
    int c = 4 + d;
    Optional<Scope> scope = Optional.empty();
    if (kind == ChangeKind.SET || kind == ChangeKind.UNSET) {
      scope = scope(dims);
      if (scope.isEmpty()) {
        LOG.warn("toggles: change {} has an unreadable scope", revision);
      }
    }
    Optional<SettingValue> oldValue = changeValue(revision, rs.getString(c), rs.getString(c + 1));
    Optional<SettingValue> newValue =
        changeValue(revision, rs.getString(c + 2), rs.getString(c + 3));
    long nv = rs.getLong(c + 4);
    OptionalLong newVersion = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(nv);
    String actor = rs.getString(c + 5);
    String reason = rs.getString(c + 6);
    long ro = rs.getLong(c + 7);
    OptionalLong revertOf = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(ro);
    Instant at = dialect.readTime(rs, c + 8);
    long set = rs.getLong(c + 9);
    long changeSet = rs.wasNull() ? revision : Math.max(set, revision);
    String id = rs.getString(c + 10);
    return new Change(
        revision,
        feature,
        kind,
        scope,
        oldValue,
        newValue,
        newVersion,
        actor,
        reason,
        revertOf,
        at,
        changeSet,
        id != null ? id : derivedId(revision, at, feature, kind.name()));
  }

  /**
   * The id of a change written without one (by the previous release): derived from what the change
   * row holds, so that every reader derives the same, and a change written again at the same
   * revision after a restore (another time, feature or kind) has another.
   */
  static String derivedId(long revision, Instant at, String feature, String kind) {
    String source = revision + "|" + at + "|" + feature + "|" + kind;
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return "derived-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static Optional<SettingValue> changeValue(
      long revision, @Nullable String type, @Nullable String text) {
    if (type == null || text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SettingType.named(type).parse(text));
    } catch (IllegalArgumentException e) {
      LOG.warn("toggles: change {} has an unreadable value: {}", revision, e.getMessage());
      return Optional.empty();
    }
  }
}
