package io.toggles.cli;

import io.toggles.Change;
import io.toggles.Context;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How rows, scopes and values look in the CLI's tables and messages. */
final class Rows {
  private Rows() {}

  /** What a wildcard (row) or an absent value (context) prints as. */
  static final String ANY = "*";

  /** Most specific (winning) first, then by scope values. */
  static final Comparator<Setting> PRECEDENCE =
      Comparator.comparingInt((Setting s) -> -s.scope().rank())
          .thenComparing(s -> s.scope().toString());

  static List<Setting> inPrecedenceOrder(List<Setting> rows) {
    List<Setting> sorted = new ArrayList<>(rows);
    sorted.sort(PRECEDENCE);
    return sorted;
  }

  /** One cell per dimension, {@code *} for a wildcard. */
  static List<String> cells(Hierarchy hierarchy, Scope scope) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < hierarchy.size(); i++) {
      cells.add(scope.value(i).orElse(ANY));
    }
    return cells;
  }

  /** One cell per dimension, {@code *} for an absent value. */
  static List<String> cells(Hierarchy hierarchy, Context context) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < hierarchy.size(); i++) {
      cells.add(context.value(i).orElse(ANY));
    }
    return cells;
  }

  /** Column headers for the dimensions: PRODUCT, MERCHANT, COUNTRY. */
  static List<String> dimensionHeaders(Hierarchy hierarchy) {
    return hierarchy.dimensions().stream().map(d -> d.toUpperCase(java.util.Locale.ROOT)).toList();
  }

  static String value(Optional<SettingValue> v) {
    return v.map(SettingValue::text).orElse("(none)");
  }

  static String scope(Scope scope) {
    return scope.toString();
  }

  static String scope(Map<String, String> scope) {
    return scope.isEmpty() ? "{global}" : scope.toString();
  }

  /** What a change did, in a few words: {@code false -> true}. */
  static String what(Change c) {
    switch (c.kind()) {
      case DEFINE:
        return "declared, default " + value(c.oldValue()) + " -> " + value(c.newValue());
      case SET:
        return value(c.oldValue()) + " -> " + value(c.newValue());
      case UNSET:
        return value(c.oldValue()) + " -> (row removed)";
      case KILL:
        return "kill switch on";
      case UNKILL:
        return "kill switch off";
      default:
        throw new AssertionError(c.kind());
    }
  }
}
